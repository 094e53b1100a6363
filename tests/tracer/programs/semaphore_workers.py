# SPDX-License-Identifier: MIT
"""A Semaphore limits TaskGroup workers to two at a time; one worker fails."""

import asyncio


async def work(sem, n, done):
    async with sem:
        if n == 3:
            raise RuntimeError(f"worker {n} crashed")
        # Worker 1 is done long before worker 2, so worker 3 gets the semaphore, and crashes,
        # while worker 2 still works: the TaskGroup cancels it and the workers still waiting.
        await asyncio.sleep(0.01 if n == 1 else 0.2)
        done.append(n)


async def main():
    sem = asyncio.Semaphore(2)
    done = []
    try:
        async with asyncio.TaskGroup() as tg:
            for n in range(1, 6):
                tg.create_task(work(sem, n, done), name=f"worker-{n}")
    except* RuntimeError as eg:
        print("failed:", [str(e) for e in eg.exceptions])
    print("finished:", sorted(done))


if __name__ == "__main__":
    asyncio.run(main())
