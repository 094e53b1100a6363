# SPDX-License-Identifier: MIT
"""A connection pool whose connections open transactions that commit or roll back."""

import asyncio
from contextlib import asynccontextmanager


class Transaction:
    def __init__(self, conn):
        self.conn = conn

    async def __aenter__(self):
        await self.conn.run("BEGIN")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.conn.run("ROLLBACK" if exc_type else "COMMIT")
        return False


class Connection:
    def __init__(self, number):
        self.number = number

    async def run(self, sql):
        await asyncio.sleep(0.001)
        print(f"conn {self.number}: {sql}")

    def transaction(self):
        return Transaction(self)


class Pool:
    def __init__(self, size):
        self._free = [Connection(i) for i in range(size)]
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def acquire(self):
        async with self._lock:
            conn = self._free.pop()
        try:
            yield conn
        finally:
            self._free.append(conn)


async def transfer(pool, amount, after=0.0):
    await asyncio.sleep(after)  # the second transfer starts once the first one is under way
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.run(f"UPDATE accounts SET balance = balance - {amount}")
            if amount > 100:
                raise ValueError(f"transfer of {amount} exceeds the limit")
            await conn.run(f"UPDATE accounts SET balance = balance + {amount}")


async def main():
    pool = Pool(2)
    results = await asyncio.gather(transfer(pool, 50), transfer(pool, 500, after=0.05),
                                   return_exceptions=True)
    for r in results:
        print("result:", r)


if __name__ == "__main__":
    asyncio.run(main())
