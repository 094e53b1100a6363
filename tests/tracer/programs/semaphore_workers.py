"""A Semaphore limits TaskGroup workers to two at a time; one worker fails."""

import asyncio


async def work(sem, n, done):
    async with sem:
        await asyncio.sleep(0.002 * n)
        if n == 3:
            raise RuntimeError(f"worker {n} crashed")
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
