"""Programs where a task is cancelled while it waits in a queue, and in the same step another
task puts, gets or joins. tests/abort.rs runs the same programs on tinyio and compares its lines
with the ones CPython prints here (recorded in abort_<name>.out, identical on 3.11 and 3.13).

Run one with `python3 tests/python/abort.py <name>`; `python3 tests/python/abort.py --record`
rewrites every .out file next to this one.
"""
import asyncio
import os
import sys

LINES = []


def say(task, what):
    LINES.append(f"{task} {what}")


async def finish(name, task):
    try:
        await task
        say("main", f"{name} finished")
    except asyncio.CancelledError:
        say("main", f"{name} cancelled")


# The example: t2 is cancelled while it waits, before anyone is notified after it.
async def four_getters():
    queue = asyncio.Queue()

    async def t1():
        say("t1", f"got {await queue.get()}")
        await queue.put(10)
        await asyncio.sleep(0)
        await queue.put(12)

    async def t2():
        say("t2", f"got {await queue.get()}")

    async def t3():
        say("t3", f"got {await queue.get()}")
        say("t3", f"got {await queue.get()}")

    async def t4():
        say("t4", f"got {await queue.get()}")
        await queue.put(40)

    tasks = [asyncio.create_task(f()) for f in (t1, t2, t3, t4)]
    await asyncio.sleep(0)
    queue.put_nowait(90)
    tasks[1].cancel()
    for name, task in zip(("t1", "t2", "t3", "t4"), tasks):
        await finish(name, task)


# Two getters; the first is cancelled before the put: the second gets the item at once.
async def second_getter():
    queue = asyncio.Queue()

    async def getter(name):
        say(name, f"got {await queue.get()}")

    g1 = asyncio.create_task(getter("g1"))
    g2 = asyncio.create_task(getter("g2"))
    await asyncio.sleep(0)
    g1.cancel()
    queue.put_nowait(1)
    for turn in range(2):
        say("main", f"yield {turn}")
        await asyncio.sleep(0)
    await finish("g1", g1)
    await finish("g2", g2)


# A notified getter is cancelled; main takes the item, puts another: the wake-up the cancelled
# getter never acts on is passed on when it unwinds, since the buffer is not empty then.
async def notified_getter():
    queue = asyncio.Queue()

    async def getter(name):
        say(name, f"got {await queue.get()}")

    gs = [asyncio.create_task(getter(f"g{i}")) for i in (1, 2, 3)]
    await asyncio.sleep(0)
    queue.put_nowait("a")
    gs[0].cancel()
    say("main", f"took {queue.get_nowait()}")
    queue.put_nowait("b")
    await asyncio.sleep(0)
    queue.put_nowait("c")
    for i, g in enumerate(gs, 1):
        await finish(f"g{i}", g)


# Two putters wait on a full queue; the first is cancelled, then main gets: the second puts.
async def putters():
    queue = asyncio.Queue(1)
    queue.put_nowait("x")

    async def putter(name, item):
        await queue.put(item)
        say(name, f"put {item}")

    p1 = asyncio.create_task(putter("p1", "a"))
    p2 = asyncio.create_task(putter("p2", "b"))
    await asyncio.sleep(0)
    p1.cancel()
    say("main", f"got {queue.get_nowait()}")
    say("main", f"got {await queue.get()}")
    await finish("p1", p1)
    await finish("p2", p2)
    say("main", f"left {queue.qsize()}")


# A joiner is cancelled in the step that releases the others.
async def joiners():
    queue = asyncio.Queue()
    queue.put_nowait("x")

    async def joiner(name):
        await queue.join()
        say(name, "released")

    js = [asyncio.create_task(joiner(f"j{i}")) for i in (1, 2, 3)]
    await asyncio.sleep(0)
    js[1].cancel()
    queue.task_done()
    for i, j in enumerate(js, 1):
        await finish(f"j{i}", j)


# Getters and a putter on a bounded queue, one of each cancelled in the same step.
async def mixed():
    queue = asyncio.Queue(1)

    async def getter(name):
        say(name, f"got {await queue.get()}")

    async def putter(name, item):
        await queue.put(item)
        say(name, f"put {item}")

    g1 = asyncio.create_task(getter("g1"))
    g2 = asyncio.create_task(getter("g2"))
    await asyncio.sleep(0)
    queue.put_nowait("a")  # notifies g1
    p1 = asyncio.create_task(putter("p1", "b"))
    p2 = asyncio.create_task(putter("p2", "c"))
    await asyncio.sleep(0)  # g1 takes a; p1 puts b and notifies g2; p2 waits
    g2.cancel()
    p2.cancel()
    say("main", f"took {queue.get_nowait()}")
    g3 = asyncio.create_task(getter("g3"))
    await asyncio.sleep(0)
    queue.put_nowait("d")
    for name, t in (("g1", g1), ("g2", g2), ("p1", p1), ("p2", p2), ("g3", g3)):
        await finish(name, t)


# A task that cancels itself and then returns in the same step ends as cancelled.
async def cancels_itself():
    async def body():
        asyncio.current_task().cancel()
        say("t", "returns")
        return 1

    t = asyncio.create_task(body())
    await finish("t", t)


PROGRAMS = {
    "four_getters": four_getters,
    "second_getter": second_getter,
    "notified_getter": notified_getter,
    "putters": putters,
    "joiners": joiners,
    "mixed": mixed,
    "cancels_itself": cancels_itself,
}


def run(name):
    LINES.clear()
    asyncio.run(PROGRAMS[name]())
    return "".join(line + "\n" for line in LINES)


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:
        here = os.path.dirname(os.path.abspath(__file__))
        for name in PROGRAMS:
            with open(os.path.join(here, f"abort_{name}.out"), "w") as out:
                out.write(run(name))
    else:
        sys.stdout.write(run(sys.argv[1]))
