#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The tracer's overhead against the same program untraced, in the same run, start-up included.

    bench_tracer.py [--lifeline BINARY] [--python EXE] [--repeat K] [--count N]

Two programs (tests/benchmarks/tracer/): `lifecycles.py` enters and leaves N class resources
(default 100,000), each __aenter__ and __aexit__ awaiting once; `hotloop.py` awaits a plain
coroutine two million times with no `async with` in its loop. Each runs untraced and traced
(`lifeline trace -o FILE PROGRAM`, or the tracer script when no binary is given), alternately,
K times (default 5); the median wall times, their ratio and the trace's bytes per event are
printed, with the goals of issue 15 beside them.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", ".."))
TRACER = os.path.join(SOURCE, "src", "tracer", "lifeline_trace.py")
sys.path.insert(0, os.path.join(SOURCE, "tests", "tracer"))
from tracefile import Trace  # noqa: E402


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lifeline", default="")
    ap.add_argument("--python", default="python3")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--count", type=int, default=0)
    args = ap.parse_args()
    rows = [("lifecycles.py", 1.3, 16), ("hotloop.py", 1.05, None)]
    print(f"{'program':<15} {'untraced s':>10} {'traced s':>9} {'ratio':>6} {'goal':>5} "
          f"{'events':>8} {'B/event':>8}")
    failed = False
    with tempfile.TemporaryDirectory() as work:
        for name, goal, byte_goal in rows:
            program = os.path.join(HERE, "tracer", name)
            extra = [str(args.count)] if args.count else []
            out = os.path.join(work, name + ".lltrace")
            if args.lifeline:
                traced_cmd = [args.lifeline, "trace", "--python", args.python, "-o", out,
                              program, *extra]
            else:
                traced_cmd = [args.python, TRACER, "--out", out, "--", program, *extra]
            plain, traced = [], []
            timed([args.python, program, *extra])  # warm the page cache
            for _ in range(args.repeat):
                plain.append(timed([args.python, program, *extra]))
                if os.path.exists(out):
                    os.remove(out)
                traced.append(timed(traced_cmd))
            p, t = statistics.median(plain), statistics.median(traced)
            with open(out, "rb") as f:
                trace = Trace(f.read())
            events = len(trace.events)
            per_event = os.path.getsize(out) / max(events, 1)
            ratio = t / p
            ok = ratio <= goal and (byte_goal is None or per_event <= byte_goal)
            failed |= not ok
            print(f"{name:<15} {p:>10.3f} {t:>9.3f} {ratio:>6.2f} {goal:>5} {events:>8} "
                  f"{per_event:>8.1f}{'' if ok else '  (goal missed)'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
