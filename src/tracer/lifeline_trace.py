"""Entry point of Lifeline's tracer; `lifeline trace` runs it (see lifeline_tracer/cli.py)."""

import os
import sys

# This directory, not the program's, is sys.path[0] here; the session puts the program's back.
sys.path[0] = os.path.dirname(os.path.abspath(__file__))

from lifeline_tracer.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
