# SPDX-License-Identifier: MIT
"""An AsyncExitStack over a list of hosts: the third refuses, the first two are closed."""

import asyncio
from contextlib import AsyncExitStack, asynccontextmanager

REFUSING = {"db-3"}


@asynccontextmanager
async def connect(host):
    await asyncio.sleep(0.001)
    if host in REFUSING:
        raise ConnectionRefusedError(f"{host} refused the connection")
    print(f"connected to {host}")
    try:
        yield host
    finally:
        print(f"closing {host}")


async def open_all(hosts):
    async with AsyncExitStack() as stack:
        conns = [await stack.enter_async_context(connect(h)) for h in hosts]
        print("all open:", conns)


async def main():
    try:
        await open_all(["db-1", "db-2", "db-3"])
    except ConnectionRefusedError as e:
        print("gave up:", e)


if __name__ == "__main__":
    asyncio.run(main())
