#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the build into a temporary prefix as `cmake --install` does, checks every file an
# installation holds is in its GNUInstallDirs place, and runs the installed lifeline from
# another working directory: `run seed`, `render seed` (the module from lib/lifeline) and
# `trace` on the installed seed.py (the tracer from share/lifeline). Exits 77 (skipped) only
# when there is no Python 3.11 to trace with, after everything else has passed.
# Usage: test_install.sh CMAKE BUILD_DIR BINDIR LIBDIR DATADIR MANDIR
set -euo pipefail
cmake=$1 build=$2 bindir=$3 libdir=$4 datadir=$5 mandir=$6

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" \
    || { cat "$tmp/install.log" >&2; fail "cmake --install"; }

for file in "$bindir/lifeline" "$libdir/lifeline/lifeline-gui.so" \
        "$datadir/lifeline/tracer/lifeline_trace.py" "$datadir/lifeline/examples/seed.py" \
        "$datadir/applications/lifeline.desktop" "$datadir/mime/packages/lifeline.xml" \
        "$datadir/icons/hicolor/scalable/apps/lifeline.svg" "$mandir/man1/lifeline.1.gz"; do
    [ -f "$prefix/$file" ] || fail "not installed: $file"
done
for size in 16 22 24 32 48 64 128 256; do
    png=$prefix/$datadir/icons/hicolor/${size}x$size/apps/lifeline.png
    [ -f "$png" ] || fail "not installed: $png"
done
[ "$(gzip -dc "$prefix/$mandir/man1/lifeline.1.gz" | head -1)" = '.TH LIFELINE 1 "" "Lifeline '"$(
    "$prefix/$bindir/lifeline" --version | cut -d' ' -f2)"'" "User Commands"' ] \
    || fail "lifeline.1.gz does not start with its .TH line"
if command -v update-mime-database >/dev/null; then
    update-mime-database "$prefix/$datadir/mime" || fail "update-mime-database rejects lifeline.xml"
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$prefix/$datadir/applications/lifeline.desktop" \
        || fail "desktop-file-validate"
fi

# Anywhere but the build tree or the prefix.
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
lifeline=$prefix/$bindir/lifeline
expected="Connecting to postgresql://localhost/mydb
Executing: SELECT * FROM users
Query result: {'result': 'success'}
Closing connection
Acquiring resource GPU-001
Using resource: {'id': 'GPU-001', 'status': 'ready'}
Releasing resource GPU-001"

[ "$("$lifeline" run seed)" = "$expected" ] || fail "lifeline run seed printed otherwise"

QT_QPA_PLATFORM=offscreen "$lifeline" render seed -o "$tmp/x.png" 2>"$tmp/render.err" \
    || { cat "$tmp/render.err" >&2; fail "lifeline render seed"; }
[ "$(head -c 8 "$tmp/x.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
    || fail "render wrote no PNG"

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "SKIP: no python3 3.11 or newer on PATH to trace with"
    exit 77
fi
traced=$("$lifeline" trace --virtual-clock -o "$tmp/s.lltrace" \
    "$prefix/$datadir/lifeline/examples/seed.py") || fail "lifeline trace seed.py"
[ "$traced" = "$expected" ] || fail "the traced seed.py printed otherwise"
[ "$(head -c 8 "$tmp/s.lltrace" | od -An -tx1 | tr -d ' \n')" = 894c4c5452414345 ] \
    || fail "the trace does not start with \\x89LLTRACE"
# Traced on the virtual clock, the program's events are the seed scenario's (README).
[ "$("$lifeline" events "$tmp/s.lltrace")" = "$("$lifeline" events seed)" ] \
    || fail "the trace's events differ from the seed scenario's"
echo "installed lifeline: ok"
