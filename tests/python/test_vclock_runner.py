#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check vclock_runner.py against hand-verified outputs: runner_cases/NAME.py must print
runner_cases/NAME.expected (with --timestamps --outcome). Exit 0 when all match."""

import difflib
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    failures = 0
    cases = sorted(glob.glob(os.path.join(HERE, "runner_cases", "*.py")))
    for program in cases:
        expected_path = program[:-3] + ".expected"
        with open(expected_path, encoding="utf-8") as f:
            expected = f.read()
        run = subprocess.run([sys.executable, os.path.join(HERE, "vclock_runner.py"), program,
                              "--timestamps", "--outcome"],
                             capture_output=True, encoding="utf-8")
        want_rc = 0 if expected.rstrip("\n").endswith("outcome: ok") else 1
        name = os.path.basename(program)
        if run.stdout != expected or run.returncode != want_rc:
            failures += 1
            print(f"FAIL {name}: exit {run.returncode} (want {want_rc})")
            sys.stdout.writelines(difflib.unified_diff(
                expected.splitlines(True), run.stdout.splitlines(True), "expected", "got"))
            print(run.stderr)
        else:
            print(f"ok   {name}")
    print(f"{len(cases) - failures}/{len(cases)} runner cases pass")
    return 1 if failures or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
