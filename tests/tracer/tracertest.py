# SPDX-License-Identifier: MIT
"""What the tracer's tests share: the interpreter under test, the tracer, running a program
traced and untraced, and reading the trace it wrote."""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.normpath(os.path.join(HERE, "..", ".."))
TRACER = os.path.join(SOURCE_DIR, "src", "tracer", "lifeline_trace.py")
PROGRAMS = os.path.join(HERE, "programs")
# The interpreter whose tracing is tested (ctest runs the suite once per Python it finds).
PYTHON = os.environ.get("LIFELINE_PYTHON", sys.executable)
# The lifeline executable, for the tests that read traces with it.
LIFELINE = os.environ.get("LIFELINE_BINARY", "")

sys.path.insert(0, HERE)
from tracefile import Trace  # noqa: E402


def run(args, cwd=None, stdin=None, timeout=60, env=None):
    return subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
                          env=env)


def untraced(program, *args, cwd=None, stdin=None):
    return run([PYTHON, program, *args], cwd=cwd, stdin=stdin)


def traced(program, *args, out, cwd=None, stdin=None, virtual=False, options=()):
    cmd = [PYTHON, TRACER, "--out", out, *options]
    if virtual:
        cmd.append("--virtual-clock")
    return run([*cmd, "--", program, *args], cwd=cwd, stdin=stdin)


def read_trace(path):
    with open(path, "rb") as f:
        return Trace(f.read())


class TempDir:
    def __enter__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="lifeline-tracer-")
        return self._dir.name

    def __exit__(self, *exc):
        self._dir.cleanup()


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
