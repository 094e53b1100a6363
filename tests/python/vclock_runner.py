#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run an exported Lifeline program under CPython with the spec's virtual clock.

    python3 vclock_runner.py PROGRAM.py [--timestamps] [--outcome]

PROGRAM.py is what `lifeline export-python` writes: a plain asyncio program that ends in
`if __name__ == "__main__": asyncio.run(main())`. This script runs it unchanged, on an event
loop whose clock is virtual, and prints exactly what `lifeline run` must print with the same
flags, so the two can be compared line for line (tests/scenario/tst_differential.cpp).

Exit status: 0 when the program ends normally, 1 when an exception escapes (a short traceback
goes to stderr), 3 when this Python cannot serve as the oracle (older than 3.11) or the
program would wait forever on a real loop.

What is changed relative to a plain `python3 PROGRAM.py`, and why (each is a choice the spec
makes, see "Virtual clock" in the scenario format):

1. The clock (VirtualClockLoop). Time is an integer number of milliseconds starting at 0;
   loop.time() returns it divided by 1000. Every timer (call_at/call_later, hence
   asyncio.sleep, asyncio.timeout and the exported cancel_after) is stored due at its time
   rounded to the nearest whole millisecond. When nothing is ready, time jumps to the
   earliest timer that is not cancelled, without waiting.
2. Timer order. asyncio keeps timers in a heap ordered by `when` alone, which is not stable:
   two timers due at the same instant may fire in either order. The spec says they fire in
   the order they were set (as a real clock, where the later call_at is a little later, would
   order them), so each timer carries a sequence number that breaks ties.
3. `_run_once` is a faithful copy of BaseEventLoop._run_once (3.11.7) with two changes only:
   the comparison "is this timer due" uses the integer clock instead of
   `time() + clock_resolution`, and the wait in select() becomes a jump of the clock. We copy
   it rather than fake time.monotonic() because the base version computes due times from
   floats and a real select() timeout. Everything else is kept: one pass runs the callbacks
   that were ready when the pass began; due timers are appended after the ones already ready;
   cancelled timers are dropped from the head of the heap (or in bulk, as the original does).
4. asyncio.all_tasks() (which asyncio.run uses to cancel what is left when main returns)
   returns the tasks that are not done in creation order. CPython builds it from a WeakSet,
   whose order follows memory addresses; the spec says "in the order they were created".
5. TaskGroup._tasks is an insertion-ordered set (CPython: a set, again address-ordered), so a
   failing TaskGroup cancels its other tasks in the order they were created.
6. The loop's _asyncgens (what asyncio.run closes at the very end) is an insertion-ordered
   weak set, so still-open async generators are closed in first-iteration order.

--timestamps prefixes every printed line with the virtual ms and a tab; --outcome adds the
line `outcome: ok` or `outcome: <repr>` followed by ` <- <repr>` for each link of the chain a
Python traceback prints (__cause__ if set, else __context__ unless __suppress_context__;
stopping at an exception already shown).
"""

import sys

ORACLE_VERSION = (3, 11, 7)
if sys.version_info < (3, 11):
    # Checked before importing asyncio.taskgroups, which 3.10 does not have.
    print(f"vclock_runner: Python {sys.version.split()[0]} is too old: the oracle is "
          f"CPython 3.11 (3.11.7 or later)", file=sys.stderr)
    sys.exit(3)

import gc
import os
import runpy
import traceback

# The clock itself lives with the tracer, which runs programs on it too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src",
                                "tracer"))
from lifeline_tracer.vclock import CLOCK, Deadlock, install  # noqa: E402



class TimestampedStdout:
    """Wraps stdout so that every line starts with the virtual ms and a tab."""

    def __init__(self, stream):
        self._stream = stream
        self._at_line_start = True

    def write(self, text):
        out = []
        for piece in text.splitlines(keepends=True):
            if self._at_line_start:
                out.append(f"{CLOCK.ms}\t")
            out.append(piece)
            self._at_line_start = piece.endswith("\n")
        self._stream.write("".join(out))
        return len(text)

    def flush(self):
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def chain_links(exc):
    """The exceptions a Python traceback shows, newest first, as the spec's outcome names them."""
    links = [exc]
    seen = {id(exc)}
    while True:
        if exc.__cause__ is not None:
            nxt = exc.__cause__
        elif exc.__context__ is not None and not exc.__suppress_context__:
            nxt = exc.__context__
        else:
            break
        if id(nxt) in seen:
            break
        seen.add(id(nxt))
        links.append(nxt)
        exc = nxt
    return links


def outcome_line(exc):
    if exc is None:
        return "outcome: ok"
    return "outcome: " + " <- ".join(repr(e) for e in chain_links(exc))


def main(argv):
    usage = "usage: vclock_runner.py PROGRAM.py [--timestamps] [--outcome]"
    if sys.version_info[:3] < ORACLE_VERSION:
        print(f"vclock_runner: warning: Python {sys.version.split()[0]} predates 3.11.7; its "
              f"contextlib does not close a generator that yields twice before raising "
              f"\"generator didn't stop\", so such scenarios differ", file=sys.stderr)
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = {a for a in argv[1:] if a.startswith("--")}
    unknown = flags - {"--timestamps", "--outcome"}
    if len(args) != 1 or unknown:
        print(usage, file=sys.stderr)
        return 3

    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    real_stdout = sys.stdout
    if "--timestamps" in flags:
        sys.stdout = TimestampedStdout(real_stdout)
    install()
    escaped = None
    try:
        program_globals = runpy.run_path(args[0], run_name="__main__")
        # Tasks the program still references (spawned ones kept "so they are not collected")
        # are destroyed here rather than at interpreter exit, so whatever their coroutines
        # print when closed comes before the outcome line, in the order a plain run prints it.
        program_globals.clear()
        del program_globals
        gc.collect()
    except Deadlock as e:
        sys.stdout = real_stdout
        real_stdout.flush()
        print(f"vclock_runner: {e}: a real event loop would wait forever", file=sys.stderr)
        return 3
    except BaseException as e:  # the program's own outcome, whatever it is
        escaped = e
    sys.stdout = real_stdout
    if "--outcome" in flags:
        print(outcome_line(escaped))
    real_stdout.flush()
    if escaped is not None:
        traceback.print_exception(escaped, limit=3, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
