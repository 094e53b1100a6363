#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The source tree's own rules, run by ctest (test `source`): every C++ file is formatted by
# the pinned clang-format (Debian 12's clang-format-14, installed by setup-debian.sh) with
# the repository's .clang-format, and every file that can hold a comment starts with its
# SPDX licence line. Prints each file that breaks a rule; exits 1 if any does.
set -uo pipefail
cd "$(dirname "$0")/.."
format=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$format" >/dev/null 2>&1; then
    echo "check-source: $format not found (scripts/setup-debian.sh installs it)" >&2
    exit 1
fi
status=0
# The tracked files; outside a git checkout (a source tarball), every file but build trees.
files=$(git ls-files 2>/dev/null) ||
    files=$(find . -path './build*' -prune -o -path ./.git -prune -o -type f -print | sed 's|^\./||')
while IFS= read -r f; do
    [ -f "$f" ] || continue
    case "$f" in
        *.cpp|*.h)
            if ! "$format" --dry-run -Werror "$f" >/dev/null 2>&1; then
                echo "$f: not formatted (run: $format -i $f)"
                status=1
            fi
            spdx=1 ;;
        # The seed program ships verbatim, exactly as the issue that brought it wrote it.
        resources/examples/python/seed.py) spdx=0 ;;
        *.py|*.sh|*CMakeLists.txt|*.cmake|.ci/run) spdx=1 ;;
        *) spdx=0 ;;
    esac
    if [ "$spdx" = 1 ] && ! head -n 3 "$f" | grep -q "SPDX-License-Identifier: MIT"; then
        echo "$f: no 'SPDX-License-Identifier: MIT' line in its first three lines"
        status=1
    fi
done <<< "$files"
exit $status
