# SPDX-License-Identifier: MIT
"""An aiohttp-style client: a session that makes responses, each an async context manager."""

import asyncio


class HTTPError(Exception):
    def __init__(self, status, url):
        super().__init__(f"{status} for {url}")
        self.status = status


class Response:
    def __init__(self, session, url):
        self.session = session
        self.url = url
        self.status = None

    async def __aenter__(self):
        await asyncio.sleep(0.002)  # headers arrive
        self.status = self.session.routes.get(self.url, 404)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        self.session.open_responses -= 1
        return False

    async def text(self):
        if self.status != 200:
            raise HTTPError(self.status, self.url)
        await asyncio.sleep(0.001)
        return f"<body of {self.url}>"


class ClientSession:
    def __init__(self, base_url, *, timeout=5.0):
        self.base_url = base_url
        self.timeout = timeout
        self.routes = {"/users": 200, "/orders": 200}
        self.open_responses = 0

    async def __aenter__(self):
        await asyncio.sleep(0.001)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0.001)
        print(f"session closed, {self.open_responses} responses left open")

    def get(self, path):
        self.open_responses += 1
        return Response(self, path)


async def fetch(session, path):
    async with session.get(path) as resp:
        return await resp.text()


async def main():
    async with ClientSession("https://api.example.test") as session:
        for path in ("/users", "/orders", "/missing"):
            try:
                body = await fetch(session, path)
                print(f"{path}: {body}")
            except HTTPError as e:
                print(f"{path}: failed with {e.status}")


if __name__ == "__main__":
    asyncio.run(main())
