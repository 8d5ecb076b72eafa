"""The programs of chapters 6 to 8 in Python (asyncio), each printing its lines as
`<task> <what>`, the way the Rust timelines show them. The listings' tests compare.

Run one with `python3 queue_timelines.py two_consumers` (or two_putters, cancelled_getter,
abort_then_put, joiners).
"""
import asyncio
import sys


def say(task, what):
    print(f"{task} {what}", flush=True)


# ANCHOR: two_consumers
async def two_consumers():
    async def consume(name, queue):
        for _ in range(2):
            item = await queue.get()
            say(name, f"got {item}")

    queue = asyncio.Queue()
    c1 = asyncio.create_task(consume("c1", queue))
    c2 = asyncio.create_task(consume("c2", queue))
    await asyncio.sleep(0)
    await queue.put("a")
    await queue.put("b")
    await asyncio.sleep(0)
    await queue.put("c")
    await queue.put("d")
    await c1
    await c2
# ANCHOR_END: two_consumers


# ANCHOR: two_putters
async def two_putters():
    async def produce(name, queue, items):
        for item in items:
            await queue.put(item)
            say(name, f"put {item}")

    queue = asyncio.Queue(1)
    p1 = asyncio.create_task(produce("p1", queue, ["a1", "a2"]))
    p2 = asyncio.create_task(produce("p2", queue, ["b1", "b2"]))
    for _ in range(4):
        item = await queue.get()
        say("main", f"got {item}")
    await p1
    await p2
# ANCHOR_END: two_putters


# ANCHOR: cancelled_getter
async def cancelled_getter():
    async def consume(name, queue):
        item = await queue.get()
        say(name, f"got {item}")

    queue = asyncio.Queue()
    g1 = asyncio.create_task(consume("g1", queue))
    g2 = asyncio.create_task(consume("g2", queue))
    await asyncio.sleep(0)
    queue.put_nowait("a")
    g1.cancel()
    await g2
    try:
        await g1
        cancelled = False
    except asyncio.CancelledError:
        cancelled = True
    say("main", f"g1 cancelled: {str(cancelled).lower()}; items left: {queue.qsize()}")
# ANCHOR_END: cancelled_getter


# ANCHOR: abort_then_put
async def abort_then_put():
    async def consume(name, queue):
        item = await queue.get()
        say(name, f"got {item}")

    queue = asyncio.Queue()
    g1 = asyncio.create_task(consume("g1", queue))
    g2 = asyncio.create_task(consume("g2", queue))
    await asyncio.sleep(0)
    g1.cancel()
    queue.put_nowait("a")
    await g2
# ANCHOR_END: abort_then_put


# ANCHOR: joiners
async def joiners():
    async def joiner(name, queue):
        await queue.join()
        say(name, f"released; unfinished is {queue._unfinished_tasks}")

    queue = asyncio.Queue()
    await queue.put("a")
    j1 = asyncio.create_task(joiner("j1", queue))
    j2 = asyncio.create_task(joiner("j2", queue))
    await asyncio.sleep(0)
    item = await queue.get()
    say("main", f"got {item}; unfinished is {queue._unfinished_tasks}")
    queue.task_done()
    await queue.put("b")
    await j1
    await j2
# ANCHOR_END: joiners


if __name__ == "__main__":
    asyncio.run(globals()[sys.argv[1]]())
