#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run `lifeline check` and `lifeline run` on mutated scenarios and fail on any crash.

    python3 run_mutants.py --lifeline BIN --seed S --count N [--timeout SEC] [--jobs J]
                           [--no-huge] [--keep DIR]

Mutants come from mutate.py (same seed, same files). For each one, both commands must exit
0, 1 or 2 (`check` 0 or 2), within the timeout, with no sanitizer, leak or UB report on
stderr, and they must agree: `check` says 2 exactly when `run` says 2. Every offending mutant
is copied to the keep directory (default ./fuzz-failures) with what went wrong, and the exit
status is 1. Used by run_fuzz.sh (the ASan+UBSan build) and by the quick ctest
tst_fuzzsmoke (the normal build).
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mutate  # noqa: E402

SANITIZER_MARKERS = ["AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                     "runtime error:", "ThreadSanitizer", "MemorySanitizer", "SUMMARY: "]
ALLOWED = {"check": {0, 2}, "run": {0, 1, 2}}


def run_one(lifeline, command, path, timeout):
    env = dict(os.environ)
    # A sanitizer's own exit codes must not look like "an exception escaped" (1).
    env.setdefault("ASAN_OPTIONS", "exitcode=86:detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "exitcode=87:print_stacktrace=1:halt_on_error=1")
    env.setdefault("LSAN_OPTIONS", "exitcode=88")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        p = subprocess.run([lifeline, command, path], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return None, b""
    return p.returncode, p.stderr


def examine(lifeline, path, timeout):
    """Problems found with one mutant, as strings (empty: fine)."""
    problems = []
    codes = {}
    for command in ("check", "run"):
        code, err = run_one(lifeline, command, path, timeout)
        codes[command] = code
        if code is None:
            problems.append(f"{command}: timed out after {timeout} s")
            continue
        if code < 0:
            problems.append(f"{command}: killed by signal {-code}")
        elif code not in ALLOWED[command]:
            problems.append(f"{command}: exit status {code}")
        text = err.decode("utf-8", "replace")
        for marker in SANITIZER_MARKERS:
            if marker in text:
                first = next(l for l in text.splitlines() if marker in l)
                problems.append(f"{command}: sanitizer report: {first.strip()}")
                break
    c, r = codes["check"], codes["run"]
    if c in (0, 2) and r in (0, 1, 2) and (c == 2) != (r == 2):
        problems.append(f"check exited {c} but run exited {r}")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lifeline", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-huge", action="store_true")
    ap.add_argument("--keep", default="fuzz-failures")
    a = ap.parse_args(argv)

    if not os.access(a.lifeline, os.X_OK):
        print(f"run_mutants: {a.lifeline} is not an executable", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="lifeline-mutants-") as tmp:
        args = ["--seed", str(a.seed), "--count", str(a.count), "--out", tmp]
        if a.no_huge:
            args.append("--no-huge")
        mutate.main(args)
        paths = [os.path.join(tmp, f"mutant-{a.seed}-{i}.json") for i in range(a.count)]
        failed = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
            results = pool.map(lambda p: (p, examine(a.lifeline, p, a.timeout)), paths)
            for path, problems in results:
                if not problems:
                    continue
                failed += 1
                os.makedirs(a.keep, exist_ok=True)
                kept = os.path.join(a.keep, os.path.basename(path))
                shutil.copyfile(path, kept)
                with open(kept + ".problems.txt", "w", encoding="utf-8") as f:
                    f.write("\n".join(problems) + "\n")
                print(f"FAIL {kept}: " + "; ".join(problems))
    print(f"{a.count - failed}/{a.count} mutants fine (seed {a.seed})")
    if failed:
        print(f"offending mutants kept in {os.path.abspath(a.keep)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
