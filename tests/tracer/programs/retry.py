# SPDX-License-Identifier: MIT
"""A retry loop with backoff around a connection that fails twice before it works."""

import asyncio

attempts_seen = 0


class FlakyConnection:
    def __init__(self, url):
        self.url = url

    async def __aenter__(self):
        global attempts_seen
        attempts_seen += 1
        await asyncio.sleep(0.001)
        if attempts_seen < 3:
            raise ConnectionResetError(f"attempt {attempts_seen}: reset by peer")
        return self

    async def __aexit__(self, *exc_info):
        await asyncio.sleep(0.001)

    async def query(self, sql):
        await asyncio.sleep(0.001)
        return [("row", 1)]


async def with_retries(url, tries=4, backoff=0.002):
    for attempt in range(1, tries + 1):
        try:
            async with FlakyConnection(url) as conn:
                return await conn.query("SELECT 1")
        except ConnectionError as e:
            print(f"retrying after: {e}")
            await asyncio.sleep(backoff * attempt)
    raise RuntimeError("out of retries")


async def main():
    print(await with_retries("postgres://db"))


if __name__ == "__main__":
    asyncio.run(main())
