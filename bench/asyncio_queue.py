"""The bench's workloads on CPython's asyncio, for the "asyncio" column of the table.

Run by `cargo run -p bench --release` when python3 is on PATH; or alone:
`python3 bench/asyncio_queue.py [--tiny]`. Prints one line per workload:
`id<TAB>items<TAB>runs<TAB>median<TAB>min<TAB>max`, in nanoseconds per item.

asyncio is tens of times slower than the Rust peers, so W1 moves 200,000 items instead of
1,000,000 (W2, W3 and W4 keep their sizes): the numbers are per item, and the size changes
them little.
"""
import asyncio
import statistics
import sys
import time

CONSUMERS = 8
W4_CAPACITY = 64


async def w1(n, maxsize):
    queue = asyncio.Queue(maxsize)

    async def produce():
        for i in range(n):
            await queue.put(i)

    async def consume():
        total = 0
        for _ in range(n):
            total += await queue.get()
        return total

    producer = asyncio.create_task(produce())
    consumer = asyncio.create_task(consume())
    await producer
    return await consumer


async def w2(n):
    async def trivial(i):
        return i

    tasks = [asyncio.create_task(trivial(i)) for i in range(n)]
    total = 0
    for task in tasks:
        total += await task
    return total


async def w3(n, yield_once):
    async def child(i):
        if yield_once:
            await asyncio.sleep(0)
        return i

    return sum(await asyncio.gather(*(child(i) for i in range(n))))


async def w4(n):
    queue = asyncio.Queue(W4_CAPACITY)
    sums = [0] * CONSUMERS

    async def consume(k):
        while True:
            item = await queue.get()
            sums[k] += item
            queue.task_done()

    async def produce():
        for i in range(n):
            await queue.put(i)

    consumers = [asyncio.create_task(consume(k)) for k in range(CONSUMERS)]
    await asyncio.create_task(produce())
    await queue.join()
    for consumer in consumers:
        consumer.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    return sum(sums)


def cases(tiny):
    def size(full):
        return max(full // 1000, 100) if tiny else full

    return [
        ("w1-unbounded", size(200_000), lambda n: w1(n, 0)),
        ("w1-bounded-1", size(200_000), lambda n: w1(n, 1)),
        ("w1-bounded-128", size(200_000), lambda n: w1(n, 128)),
        ("w2-spawn", size(100_000), w2),
        ("w3-ready", size(10_000), lambda n: w3(n, False)),
        ("w3-yield", size(10_000), lambda n: w3(n, True)),
        ("w4-1-thread", size(200_000), w4),
    ]


def main():
    tiny = "--tiny" in sys.argv
    runs = 1 if tiny else 5
    for case_id, n, workload in cases(tiny):
        expected = n * (n - 1) // 2
        samples = []
        for run in range(runs + 1):  # the first run warms up
            start = time.perf_counter_ns()
            total = asyncio.run(workload(n))
            elapsed = time.perf_counter_ns() - start
            if total != expected:
                sys.exit(f"{case_id}: checksum {total}, expected {expected}")
            if run > 0 or tiny:
                samples.append(elapsed / n)
        print(
            f"{case_id}\t{n}\t{len(samples)}\t{statistics.median(samples):.1f}"
            f"\t{min(samples):.1f}\t{max(samples):.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
