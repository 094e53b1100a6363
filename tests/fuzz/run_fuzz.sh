#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fuzz `lifeline check` and `lifeline run` under AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   tests/fuzz/run_fuzz.sh [BUILD_DIR] [COUNT] [SEED]
#
# Configures BUILD_DIR (default: build-fuzz next to the sources) with -DLIFELINE_SANITIZE=ON,
# builds only the `lifeline` target, and runs COUNT (default 3000) mutants of the examples
# through it (mutate.py, run_mutants.py). Fails on any crash, sanitizer or leak report,
# timeout, exit status other than 0/1/2, or check/run disagreement; offending mutants are
# kept in BUILD_DIR/fuzz-failures.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../.." && pwd)"
build="${1:-$src/build-fuzz}"
count="${2:-3000}"
seed="${3:-1}"
jobs="${FUZZ_JOBS:-2}"

generator=()
if command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$build" "${generator[@]}" -DLIFELINE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --target lifeline -j "$jobs"

lifeline="$(find "$build/src/app" -maxdepth 1 -name lifeline -type f -perm -u+x | head -n1)"
if [ -z "$lifeline" ]; then
    echo "run_fuzz: no lifeline binary under $build/src/app" >&2
    exit 2
fi

# Leaks inside Qt's own one-time initialisation are not ours; the suppressions say which.
export LSAN_OPTIONS="exitcode=88:suppressions=$here/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="exitcode=86:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="exitcode=87:print_stacktrace=1:halt_on_error=1"

python3 "$here/run_mutants.py" --lifeline "$lifeline" --seed "$seed" --count "$count" \
    --timeout 60 --jobs "$jobs" --keep "$build/fuzz-failures"
