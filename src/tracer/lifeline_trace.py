# SPDX-License-Identifier: MIT
"""Entry point of Lifeline's tracer; `lifeline trace` runs it (see lifeline_tracer/cli.py).

This file is read by whatever Python `lifeline trace` was given, so it stays readable by old
ones: the version is checked here, and `lifeline trace` starts that Python only once (a
separate check cost a second interpreter start-up, 0.15 s through a pyenv shim). A Python too
old exits 125 (lifeline's own failure) having written nothing to the trace.
"""

import os
import sys

if sys.version_info < (3, 11):
    sys.stderr.write("lifeline trace: %s is Python %s, older than the 3.11 the tracer needs "
                     "(--python names another Python)\n"
                     % (sys.executable or "python", sys.version.split()[0]))
    sys.exit(125)

# This directory, not the program's, is sys.path[0] here; the session puts the program's back.
sys.path[0] = os.path.dirname(os.path.abspath(__file__))

from lifeline_tracer.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
