import asyncio

async def produce(queue):
    for i in range(10):
        await queue.put(i)
        print(f"Produced: {i}")

async def consume(queue):
    while True:
        item = await queue.get()
        print(f"Consumed: {item}")
        queue.task_done()

async def main():
    queue = asyncio.Queue()
    await asyncio.gather(
        produce(queue),
        consume(queue)
    )
    await queue.join()

asyncio.run(main())
