# SPDX-License-Identifier: MIT
"""What a task waits on and who owns it (docs/events.md, "Waits and owners"), traced from real
programs: the program's own sleeps over 0, tasks and gathers it blocks on, the TaskGroup and
gather each task joins; never sleep(0), a library's sleeps, or a task the program's own task
factory made."""

import os
import unittest

from tracertest import TempDir, read_trace, traced, write

LIBRARY = """import asyncio


async def fetch():
    await asyncio.sleep(0.5)  # a library's sleep: not the program's code
    return 1
"""

PROLOGUE = """import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor"))
import slowlib


async def worker(n):
    await asyncio.sleep(0.01 * n)
    return n

"""

EVERY_WAIT = PROLOGUE + """
async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(worker(1), name="a")
        tg.create_task(worker(2), name="b")
    await asyncio.gather(worker(1), worker(2))
    u = asyncio.create_task(worker(3), name="u")
    await u
    await asyncio.sleep(0)
    await slowlib.fetch()
    await asyncio.gather()
    await asyncio.sleep(2)

asyncio.run(main())
"""

OWN_FACTORY = PROLOGUE + """
async def main():
    asyncio.get_running_loop().set_task_factory(
        lambda loop, coro, **kwargs: asyncio.Task(coro, loop=loop, **kwargs))
    u = asyncio.create_task(worker(1), name="u")
    await u
    await asyncio.gather(asyncio.create_task(worker(2), name="v"))

asyncio.run(main())
"""


def events(program):
    """The program's events as `lifeline events` describes them, traced on the virtual clock
    with vendor/ excluded (a library)."""
    with TempDir() as d:
        vendor = os.path.join(d, "vendor")
        os.mkdir(vendor)
        write(vendor, "slowlib.py", LIBRARY)
        path = write(d, "program.py", program)
        out = os.path.join(d, "t.lltrace")
        result = traced(path, out=out, cwd=d, virtual=True, options=("--exclude", vendor))
        if result.returncode != 0:
            raise AssertionError(result.stderr.decode())
        trace = read_trace(out)
        return [line.split("\t")[1:] for line in trace.lines()]


class WaitsTest(unittest.TestCase):
    def test_each_wait_and_owner_in_the_order_cpython_makes_them(self):
        self.assertEqual(events(EVERY_WAIT), [
            ["0", "main() created by -"],
            ["0", "main() started"],
            ["0", "TaskGroup() #1 acquire"],
            ["0", "TaskGroup() #1 ready"],
            # Right after each task's creation: TaskGroup.create_task made it.
            ["0", "a created by main()"],
            ["0", "a joins TaskGroup() #1"],
            ["0", "b created by main()"],
            ["0", "b joins TaskGroup() #1"],
            ["0", "TaskGroup() #1 release"],
            ["0", "a started"],
            ["0", "a awaits sleep(0.01)"],
            ["0", "b started"],
            ["0", "b awaits sleep(0.02)"],
            ["10", "a finished"],
            ["20", "b finished"],
            ["20", "TaskGroup() #1 released"],
            # gather() wraps both coroutines into tasks, then each joins it.
            ["20", "worker() created by main()"],
            ["20", "worker() created by main()"],
            ["20", "worker() joins gather #1"],
            ["20", "worker() joins gather #1"],
            ["20", "main() awaits gather #1"],
            ["20", "worker() started"],
            ["20", "worker() awaits sleep(0.01)"],
            ["20", "worker() started"],
            ["20", "worker() awaits sleep(0.02)"],
            ["30", "worker() finished"],
            ["40", "worker() finished"],
            ["40", "u created by main()"],
            ["40", "main() awaits u"],
            ["40", "u started"],
            ["40", "u awaits sleep(0.03)"],
            ["70", "u finished"],
            # sleep(0), the library's sleep(0.5) and gather() of nothing record nothing.
            ["570", "main() awaits sleep(2)"],
            ["2570", "main() finished"],
        ])

    def test_a_task_of_the_programs_own_factory_records_no_task_wait(self):
        described = [text for _, text in events(OWN_FACTORY)]
        self.assertNotIn("main() awaits u", described)
        self.assertIn("u awaits sleep(0.01)", described)
        # A gather is asyncio's own future whatever made its tasks.
        self.assertIn("v joins gather #1", described)
        self.assertIn("main() awaits gather #1", described)


if __name__ == "__main__":
    unittest.main()
