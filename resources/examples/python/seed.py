import asyncio
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, Optional


class AsyncDatabaseConnection:
    """Async context manager for database connections."""

    def __init__(self, connection_string: str):
        self.connection_string = connection_string
        self.connection: Optional[str] = None

    async def __aenter__(self) -> "AsyncDatabaseConnection":
        """Establish the connection when entering the context."""
        print(f"Connecting to {self.connection_string}")
        await asyncio.sleep(0.1)  # Simulate connection time
        self.connection = f"Connection to {self.connection_string}"
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb) -> bool:
        """Close the connection when leaving the context."""
        print("Closing connection")
        await asyncio.sleep(0.1)  # Simulate cleanup time
        self.connection = None
        return False  # Don't suppress exceptions

    async def execute(self, query: str) -> Dict[str, Any]:
        """Run a query on the open connection."""
        if not self.connection:
            raise RuntimeError("Not connected")
        print(f"Executing: {query}")
        await asyncio.sleep(0.05)
        return {"result": "success"}


@asynccontextmanager
async def managed_resource(resource_id: str) -> AsyncIterator[Dict[str, str]]:
    """Acquire a resource, hand it out, and always release it."""
    resource = {"id": resource_id, "status": "initialized"}
    print(f"Acquiring resource {resource_id}")
    try:
        await asyncio.sleep(0.1)
        resource["status"] = "ready"
        yield resource
    finally:
        print(f"Releasing resource {resource_id}")
        resource["status"] = "released"


async def main():
    async with AsyncDatabaseConnection("postgresql://localhost/mydb") as db:
        result = await db.execute("SELECT * FROM users")
        print(f"Query result: {result}")

    async with managed_resource("GPU-001") as resource:
        print(f"Using resource: {resource}")
        await asyncio.sleep(0.2)


if __name__ == "__main__":
    asyncio.run(main())
