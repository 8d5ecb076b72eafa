"""W1 bounded 1 in asyncio, counting how many times each coroutine is resumed.

bench/tests/switches.rs compares tinyio's poll counts with the output, recorded in
switches.out (CPython 3.11 and 3.13 print the same). Run: python3 bench/python/switches.py
"""

import asyncio
import collections.abc

ITEMS = 10_000


class Counted(collections.abc.Coroutine):
    """Wraps a coroutine and counts the times the event loop resumes it."""

    def __init__(self, coroutine):
        self.coroutine = coroutine
        self.resumed = 0

    def send(self, value):
        self.resumed += 1
        return self.coroutine.send(value)

    def throw(self, *args):
        return self.coroutine.throw(*args)

    def close(self):
        return self.coroutine.close()

    def __await__(self):
        return self


async def main():
    queue = asyncio.Queue(maxsize=1)

    async def produce():
        for i in range(ITEMS):
            await queue.put(i)

    async def consume():
        for _ in range(ITEMS):
            await queue.get()

    producer, consumer = Counted(produce()), Counted(consume())
    await asyncio.gather(asyncio.ensure_future(producer), asyncio.ensure_future(consumer))
    print(f"items {ITEMS}")
    print(f"producer resumed {producer.resumed}")
    print(f"consumer resumed {consumer.resumed}")


asyncio.run(main())
