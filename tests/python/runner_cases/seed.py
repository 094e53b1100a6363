# SPDX-License-Identifier: MIT
import asyncio
from contextlib import asynccontextmanager

class AsyncDatabaseConnection:
    def __init__(self, arg):
        self.arg = arg
        self.connected = False
    async def __aenter__(self):
        print(f"Connecting to {self.arg}")
        await asyncio.sleep(0.1)
        self.connected = True
        return self
    async def __aexit__(self, exc_type, exc, tb):
        print("Closing connection")
        await asyncio.sleep(0.1)
        self.connected = False
        return False
    async def execute(self, query, ms=0.05, fail=None):
        if not self.connected:
            raise RuntimeError("Not connected")
        print(f"Executing: {query}")
        await asyncio.sleep(ms)
        if fail is not None:
            raise fail
        return {"result": "success"}

@asynccontextmanager
async def managed_resource(arg):
    resource = {"id": arg, "status": "initialized"}
    print(f"Acquiring resource {arg}")
    try:
        await asyncio.sleep(0.1)
        resource["status"] = "ready"
        yield resource
    finally:
        print(f"Releasing resource {arg}")

async def main():
    async with AsyncDatabaseConnection("postgresql://localhost/mydb") as db:
        result = await db.execute("SELECT * FROM users")
        print(f"Query result: {result}")
    async with managed_resource("GPU-001") as gpu:
        print(f"Using resource: {gpu}")
        await asyncio.sleep(0.2)

if __name__ == "__main__":
    asyncio.run(main())
