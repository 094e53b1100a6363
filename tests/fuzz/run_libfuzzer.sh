#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the libFuzzer targets of the importers, one after the other, for SECONDS each.
#
#   tests/fuzz/run_libfuzzer.sh [SECONDS] [BUILD_DIR]
#
# Configures BUILD_DIR (default: build-libfuzzer next to the sources) with clang and
# -DLIFELINE_FUZZERS=ON, builds fuzz_scenarioloader and fuzz_tracereader, and runs each for
# SECONDS (default 600) on a working corpus BUILD_DIR/fuzz-corpus/<target>, seeded from
# resources/examples, tests/fuzz/corpus and tests/fuzz/regressions, with the format's
# dictionary (scenario.dict, trace.dict). Prints how many inputs each ran. An input that
# crashes, trips ASan/UBSan or fails a FuzzCheck is kept in BUILD_DIR/fuzz-findings and the
# exit status is 1: minimise it (`<target> -minimize_crash=1 FILE`), fix the bug, and add it to
# tests/fuzz/regressions/<scenario|trace>/, where tst_fuzzregressions loads it.
#
# FUZZ_BUILD_LOCK=FILE runs configure and build under `flock FILE` (a shared build machine);
# FUZZ_NICE (default 10) is the fuzzers' niceness; FUZZ_TARGETS (default both) which to run.
# One fuzzer at a time, one job each.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/../.." && pwd)"
seconds="${1:-600}"
build="${2:-$src/build-libfuzzer}"
nice_level="${FUZZ_NICE:-10}"

locked=()
if [ -n "${FUZZ_BUILD_LOCK:-}" ]; then
    locked=(flock "$FUZZ_BUILD_LOCK")
fi
generator=()
if command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
    "${locked[@]}" cmake -S "$src" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER=clang++ \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIFELINE_FUZZERS=ON
fi
"${locked[@]}" nice -n "$nice_level" cmake --build "$build" \
    --target fuzz_scenarioloader fuzz_tracereader -j 2

# Leaks are real findings too; UBSan stops at its first report so libFuzzer keeps the input.
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

findings="$build/fuzz-findings"
mkdir -p "$findings"
status=0
run() {
    local target="$1" dict="$2"
    shift 2
    local corpus="$build/fuzz-corpus/$target"
    mkdir -p "$corpus"
    local log="$build/fuzz-$target.log"
    echo "== $target: $seconds s (log: $log)"
    if ! nice -n "$nice_level" "$build/tests/fuzz/$target" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -dict="$here/$dict" -print_final_stats=1 \
        -artifact_prefix="$findings/$target-" "$corpus" "$@" >"$log" 2>&1; then
        echo "$target: FINDING (see $log and $findings)"
        status=1
    fi
    grep -E "^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)" "$log" || true
}

targets="${FUZZ_TARGETS:-fuzz_scenarioloader fuzz_tracereader}"
case " $targets " in *" fuzz_scenarioloader "*)
    run fuzz_scenarioloader scenario.dict "$src/resources/examples" "$here/regressions/scenario" ;;
esac
case " $targets " in *" fuzz_tracereader "*)
    run fuzz_tracereader trace.dict "$here/corpus/trace" "$here/regressions/trace" ;;
esac
exit $status
