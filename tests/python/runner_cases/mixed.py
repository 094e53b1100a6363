# SPDX-License-Identifier: MIT
# Same-ms timer order, timeout(0), gather with and without return_exceptions, a failing
# TaskGroup (the others are cancelled in creation order), and a timeout escaping main.
import asyncio
from contextlib import asynccontextmanager

async def w(n, ms, fail=False):
    try:
        print(f"{n} start")
        await asyncio.sleep(ms / 1000)
        if fail:
            raise ValueError(n)
        print(f"{n} done")
        return n
    except asyncio.CancelledError:
        print(f"{n} cancelled")
        raise
    finally:
        print(f"{n} finally")

async def main():
    # same-ms ordering
    await asyncio.gather(*[asyncio.create_task(w(f"g{i}", 50)) for i in range(12)])
    # timeout 0
    try:
        async with asyncio.timeout(0):
            print("in timeout 0")
            await asyncio.sleep(0)
            print("not reached")
    except TimeoutError as e:
        print("timeout", repr(e), repr(e.__context__))
    # gather return_exceptions
    r = await asyncio.gather(asyncio.create_task(w("a", 10)), asyncio.create_task(w("b", 5, True)), return_exceptions=True)
    print(r)
    try:
        await asyncio.gather(asyncio.create_task(w("c", 10)), asyncio.create_task(w("d", 5, True)))
    except ValueError as e:
        print("gather raised", repr(e))
    await asyncio.sleep(0.1)
    try:
        async with asyncio.TaskGroup() as tg:
            for n, ms, f in [("t1", 100, False), ("t2", 50, True), ("t3", 200, False), ("t4", 300, False), ("t5", 50, True)]:
                tg.create_task(w(n, ms, f))
    except* ValueError as eg:
        print("tg", repr(eg))
    keep = [asyncio.create_task(w(f"s{i}", 1000)) for i in range(4)]
    await asyncio.sleep(0.01)
    async with asyncio.timeout(0.3):
        await asyncio.sleep(1)

if __name__ == "__main__":
    asyncio.run(main())
