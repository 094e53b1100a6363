# SPDX-License-Identifier: MIT
# Spawned tasks and open async generators when main returns: asyncio.run cancels the tasks in
# creation order, then closes the generators in first-iteration order. Timers due at the same
# millisecond fire in the order they were set.
import asyncio
from contextlib import asynccontextmanager


@asynccontextmanager
async def res(name):
    print(f"enter {name}")
    try:
        yield name
    finally:
        print(f"release {name}")
        await asyncio.sleep(0.01)
        print(f"released {name}")


async def late(name):
    async with res(name):
        await asyncio.sleep(5)


async def worker(name, ms):
    try:
        print(f"{name} start")
        await asyncio.sleep(ms / 1000)
        print(f"{name} woke")
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        # A task made during shutdown is not cancelled by asyncio.run: the generator it
        # holds open is closed by shutdown_asyncgens instead.
        keep.append(asyncio.create_task(late(f"late-{name}")))
        await asyncio.sleep(0.02)
        print(f"{name} after cancel")
        raise


keep = []


async def main():
    for i in range(12):
        keep.append(asyncio.create_task(worker(f"w{i}", 50)))
    keep.append(asyncio.create_task(worker("x", 100)))
    await asyncio.sleep(0.05)
    keep.append(asyncio.create_task(worker("y", 50)))   # due at 100, set after x's timer
    keep.append(asyncio.create_task(worker("z", 1000)))
    keep.append(asyncio.create_task(worker("q", 1000)))
    await asyncio.sleep(0.1 + 0.1 + 0.1 - 0.2)          # 0.1 in floats, still 100 ms


if __name__ == "__main__":
    asyncio.run(main())
