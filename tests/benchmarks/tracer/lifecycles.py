# SPDX-License-Identifier: MIT
import asyncio
import sys


class Connection:
    def __init__(self, number):
        self.number = number
        self.open = False

    async def __aenter__(self):
        await asyncio.sleep(0)
        self.open = True
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0)
        self.open = False
        return False


async def main(count):
    total = 0
    for i in range(count):
        async with Connection(i) as conn:
            total += conn.number
    print(total)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
