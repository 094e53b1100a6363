# SPDX-License-Identifier: MIT
import asyncio
import sys


async def scale(x):
    return x * 2


async def main(count):
    total = 0
    for i in range(count):
        total += await scale(i)
        if i % 1000 == 0:
            await asyncio.sleep(0)
    print(total)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000))
