# SPDX-License-Identifier: MIT
"""Six everyday programs (tests/tracer/programs), traced: every resource each one uses is drawn
as a lane, and the moments that make each one worth looking at are recorded."""

import os
import re
import unittest

from tracertest import PROGRAMS, TempDir, read_trace, traced

# Object reprs carry addresses; the tests compare the rest.
ADDRESS = re.compile(r" at 0x[0-9a-f]+")

EXPECTED = {
    "http_session.py": (
        {"ClientSession('https://api.example.test') #1",
         "Response(<__main__.ClientSession object>, '/users') #1",
         "Response(<__main__.ClientSession object>, '/orders') #2",
         "Response(<__main__.ClientSession object>, '/missing') #3", "main()"},
        ["HTTPError('404 for /missing') propagated at "
         "Response(<__main__.ClientSession object>, '/missing') #3",
         "HTTPError('404 for /missing') caught at main()"]),
    "pool_transaction.py": (
        {"Lock() #1", "Lock() #2", "Pool.acquire() #1", "Pool.acquire() #2",
         "Transaction(<__main__.Connection object>) #1",
         "Transaction(<__main__.Connection object>) #2", "main()", "transfer()"},
        ["ValueError('transfer of 500 exceeds the limit') propagated at "
         "Transaction(<__main__.Connection object>) #2",
         "ValueError('transfer of 500 exceeds the limit') propagated at Pool.acquire() #2"]),
    "exit_stack.py": (
        {"AsyncExitStack() #1", "connect('db-1') #1", "connect('db-2') #2",
         "connect('db-3') #3", "main()"},
        ["connect('db-3') #3 failed-to-acquire", "connect('db-2') #2 released",
         "connect('db-1') #1 released"]),
    "semaphore_workers.py": (
        {"TaskGroup() #1", "main()"} | {f"Semaphore(2) #{n}" for n in range(1, 6)}
        | {f"worker-{n}" for n in range(1, 6)},
        ["RuntimeError('worker 3 crashed') grouped at TaskGroup() #1"]),
    "retry.py": (
        {"FlakyConnection('postgres://db') #1", "FlakyConnection('postgres://db') #2",
         "FlakyConnection('postgres://db') #3", "main()"},
        ["FlakyConnection('postgres://db') #1 failed-to-acquire",
         "FlakyConnection('postgres://db') #2 failed-to-acquire",
         "FlakyConnection('postgres://db') #3 released"]),
    "timeout_in_aexit.py": (
        {"BufferedWriter('out.log') #1", "timeout(0.01) #1", "main()"},
        ["CancelledError() cancel in main()", "BufferedWriter('out.log') #1 released",
         "TimeoutError() timeout in main()", "CancelledError() replaced at timeout(0.01) #1"]),
}


class EverydayProgramsTest(unittest.TestCase):
    def test_every_resource_is_drawn(self):
        for name, (lanes, moments) in EXPECTED.items():
            with self.subTest(name), TempDir() as d:
                out = os.path.join(d, "t.lltrace")
                result = traced(os.path.join(PROGRAMS, name), out=out, cwd=d, virtual=True)
                self.assertEqual(result.returncode, 0, result.stderr)
                trace = read_trace(out)
                drawn = {ADDRESS.sub("", trace.lane_name(i)) for i in range(len(trace.lanes))}
                self.assertEqual(drawn, lanes)
                described = [ADDRESS.sub("", line.split("\t")[2]) for line in trace.lines()]
                positions = [described.index(m) for m in moments]
                self.assertEqual(positions, sorted(positions), "in this order")


if __name__ == "__main__":
    unittest.main()
