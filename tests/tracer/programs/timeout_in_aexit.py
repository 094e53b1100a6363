# SPDX-License-Identifier: MIT
"""An __aexit__ that flushes slowly; the timeout around the block cancels the flush."""

import asyncio


class BufferedWriter:
    def __init__(self, path):
        self.path = path
        self.pending = []

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        print(f"flushing {len(self.pending)} lines to {self.path}")
        await asyncio.sleep(0.05)  # slower than the deadline
        print("flushed")  # never printed: the timeout cancels the flush
        return False

    def write(self, line):
        self.pending.append(line)


async def main():
    try:
        async with asyncio.timeout(0.01):
            async with BufferedWriter("out.log") as w:
                for i in range(3):
                    w.write(f"line {i}")
    except TimeoutError:
        print("timed out while flushing")


if __name__ == "__main__":
    asyncio.run(main())
