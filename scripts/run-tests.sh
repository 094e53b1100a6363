#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Set up (Debian packages, build) and run the whole test suite (not the benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure --label-exclude bench -j "$(nproc)"
