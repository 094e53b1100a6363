#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Set up (Debian packages, build) and start the desktop app on the seed example.
# Extra arguments go to lifeline: scripts/run-app.sh demo, scripts/run-app.sh my.json
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
if [ $# -eq 0 ]; then set -- seed; fi
exec build/src/app/lifeline "$@"
