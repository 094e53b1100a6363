#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Reproduce one differential-test comparison by hand:
#
#   tests/python/diff_one.sh SCENARIO.json [LIFELINE_BINARY]
#
# Exports the scenario with `lifeline export-python`, runs the program under CPython with
# vclock_runner.py and the scenario with `lifeline run` (both --timestamps --outcome), and
# shows a unified diff (python first) and both exit statuses. The binary defaults to
# $LIFELINE, else the first build*/src/app/lifeline next to the sources. The exported program
# and both outputs are left in a temporary directory, whose path is printed.
# Exit status: 0 when both agree, 1 when they differ, 2 on a usage or setup error.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../.." && pwd)"
scenario="${1:-}"
if [ -z "$scenario" ] || [ ! -f "$scenario" ]; then
    echo "usage: diff_one.sh SCENARIO.json [LIFELINE_BINARY]" >&2
    exit 2
fi
lifeline="${2:-${LIFELINE:-}}"
if [ -z "$lifeline" ]; then
    lifeline="$(ls -1t "$src"/build*/src/app/lifeline 2>/dev/null | head -n1)"
fi
if [ -z "$lifeline" ] || [ ! -x "$lifeline" ]; then
    echo "diff_one: no lifeline binary; pass it as the second argument or set LIFELINE" >&2
    exit 2
fi
python="${LIFELINE_PYTHON:-python3}"

work="$(mktemp -d "${TMPDIR:-/tmp}/lifeline-diff-XXXXXX")"
if ! "$lifeline" export-python "$scenario" -o "$work/program.py"; then
    echo "diff_one: export-python failed" >&2
    exit 2
fi
"$python" "$here/vclock_runner.py" "$work/program.py" --timestamps --outcome \
    >"$work/python.out" 2>"$work/python.err"
py_status=$?
"$lifeline" run "$scenario" --timestamps --outcome >"$work/lifeline.out" 2>"$work/lifeline.err"
ll_status=$?

echo "python exit $py_status, lifeline exit $ll_status; files in $work"
if diff -u --label python "$work/python.out" --label lifeline "$work/lifeline.out" \
    && [ "$py_status" = "$ll_status" ]; then
    echo "same"
    exit 0
fi
exit 1
