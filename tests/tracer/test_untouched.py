# SPDX-License-Identifier: MIT
"""A traced program behaves as it does untraced: output, tracebacks, status, stdin, arguments,
working directory; and however it ends, it leaves a trace that opens."""

import os
import signal
import subprocess
import textwrap
import time
import unittest

from tracertest import (PROGRAMS, PYTHON, TRACER, TempDir, read_trace, traced, untraced,
                        write)

# A class resource that does nothing, for the programs below (indented as they are).
CONN = """
            import asyncio
            class Conn:
                async def __aenter__(self): return self
                async def __aexit__(self, *exc): return False
"""

SIMPLE = {
    "exception escapes from __aexit__": """
        import asyncio
        class Conn:
            async def __aenter__(self): return self
            async def __aexit__(self, *exc):
                raise RuntimeError("cleanup failed")
        async def main():
            async with Conn():
                raise ValueError("boom")
        asyncio.run(main())
        """,
    "sys.exit with a status": """
        import asyncio, sys
        async def main():
            print("leaving")
            sys.exit(3)
        asyncio.run(main())
        """,
    "sys.exit with a message": """
        import sys
        sys.exit("fatal: no config")
        """,
    "syntax error": """
        def broken(:
            pass
        """,
    "never uses asyncio": """
        import sys
        print("plain", "script", sep="-")
        print("to stderr", file=sys.stderr)
        """,
    "threads with their own loops": """
        import asyncio, threading
        async def job(n):
            await asyncio.sleep(0.001)
            return n * 2
        results = []
        threads = [threading.Thread(target=lambda n=n: results.append(asyncio.run(job(n))))
                   for n in range(3)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(sorted(results))
        """,
    "a second event loop after the first": """
        import asyncio
        async def main(n):
            await asyncio.sleep(0)
            print("run", n)
        asyncio.run(main(1))
        asyncio.run(main(2))
        """,
    "asyncio.sleep is still a coroutine function": """
        import asyncio, inspect, sys
        print(asyncio.iscoroutinefunction(asyncio.sleep), asyncio.sleep.__name__)
        if sys.version_info >= (3, 12):  # 3.11's inspect reads the code's flags only
            print(inspect.iscoroutinefunction(asyncio.sleep))
        """,
    "print with sep, end and flush": """
        import asyncio
        async def main():
            print("a", 1, None, sep=", ", end="!\\n", flush=True)
            print()
            print("no newline", end="")
        asyncio.run(main())
        """,
}


class UntouchedTest(unittest.TestCase):
    def assertSameRun(self, plain, tr):
        self.assertEqual(tr.stdout, plain.stdout)
        self.assertEqual(tr.stderr, plain.stderr)
        self.assertEqual(tr.returncode, plain.returncode)

    def test_simple_programs(self):
        for name, code in SIMPLE.items():
            with self.subTest(name), TempDir() as d:
                program = write(d, "prog.py", textwrap.dedent(code))
                out = os.path.join(d, "prog.lltrace")
                self.assertSameRun(untraced(program, cwd=d), traced(program, out=out, cwd=d))
                trace = read_trace(out)
                self.assertIsNone(trace.error_offset)

    def test_everyday_programs(self):
        for name in sorted(os.listdir(PROGRAMS)):
            if not name.endswith(".py"):
                continue
            with self.subTest(name), TempDir() as d:
                program = os.path.join(PROGRAMS, name)
                out = os.path.join(d, "t.lltrace")
                self.assertSameRun(untraced(program, cwd=d), traced(program, out=out, cwd=d))

    def test_arguments_stdin_and_working_directory(self):
        code = """
            import os, sys
            print(sys.argv[1:], os.getcwd() == os.environ["EXPECT_CWD"], input())
            """
        with TempDir() as d:
            program = write(d, "prog.py", textwrap.dedent(code))
            os.environ["EXPECT_CWD"] = d
            out = os.path.join(d, "t.lltrace")
            plain = untraced(program, "-x", "--flag", "two words", cwd=d, stdin=b"typed\n")
            tr = traced(program, "-x", "--flag", "two words", out=out, cwd=d, stdin=b"typed\n")
            self.assertEqual(plain.stdout, b"['-x', '--flag', 'two words'] True typed\n")
            self.assertSameRun(plain, tr)

    def test_missing_program(self):
        with TempDir() as d:
            missing = os.path.join(d, "nowhere.py")
            plain = untraced(missing)
            tr = traced(missing, out=os.path.join(d, "t.lltrace"))
            self.assertEqual(tr.returncode, plain.returncode)
            self.assertEqual(tr.stderr, plain.stderr)
            self.assertIsNone(read_trace(os.path.join(d, "t.lltrace")).error_offset)

    def test_os_exit_keeps_the_events(self):
        code = CONN + """
            import os
            async def main():
                async with Conn():
                    print("inside")
                    os._exit(4)
            asyncio.run(main())
            """
        with TempDir() as d:
            program = write(d, "prog.py", textwrap.dedent(code))
            out = os.path.join(d, "t.lltrace")
            tr = traced(program, out=out)
            self.assertEqual(tr.returncode, 4)
            self.assertEqual(tr.stdout, b"inside\n")
            described = [line.split("\t")[2] for line in read_trace(out).lines()]
            # Everything up to os._exit is there; the instance it left held was never released.
            self.assertEqual(described[-3:], ["Conn() #1 ready", "main() prints 'inside'",
                                              "Conn() #1 never-released"])

    def _killed_half_way(self, sig):
        code = CONN + """
            async def main():
                async with Conn():
                    print("waiting", flush=True)
                    await asyncio.sleep(60)
            asyncio.run(main())
            """
        with TempDir() as d:
            program = write(d, "prog.py", textwrap.dedent(code))
            out = os.path.join(d, "t.lltrace")
            child = subprocess.Popen([PYTHON, TRACER, "--out", out, "--", program],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            self.assertEqual(child.stdout.readline(), b"waiting\n")
            time.sleep(0.2)
            child.send_signal(sig)
            child.communicate(timeout=30)
            return child.returncode, read_trace(out)

    def test_sigkill_leaves_every_event_up_to_the_last_wait(self):
        status, trace = self._killed_half_way(signal.SIGKILL)
        self.assertEqual(status, -signal.SIGKILL)
        self.assertIsNone(trace.error_offset)
        self.assertEqual([line.split("\t")[2] for line in trace.lines()[-2:]],
                         ["main() prints 'waiting'", "main() awaits sleep(60)"])

    def test_sigint_ends_as_python_does(self):
        status, trace = self._killed_half_way(signal.SIGINT)
        self.assertEqual(status, -signal.SIGINT)
        described = [line.split("\t")[2] for line in trace.lines()]
        # The KeyboardInterrupt cancels main, which leaves Conn through its __aexit__.
        self.assertIn("Conn() #1 released", described)


if __name__ == "__main__":
    unittest.main()
