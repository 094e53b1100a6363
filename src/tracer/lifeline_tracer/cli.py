# SPDX-License-Identifier: MIT
"""Runs a program under the tracer, as `python3 PROGRAM.py ARGS` or `python3 -m MODULE ARGS` would.

    lifeline_trace.py --out OUT [--virtual-clock] [--include PKG]... [--exclude PATH]... [--live]
                      -- (PROGRAM | -m MODULE) [ARGS...]

The program's stdout, stderr, stdin, arguments, working directory and exit status are what
they are untraced (its tracebacks show none of the tracer's frames); the tracer's own failures
exit 125 with a message on stderr.
"""

import os
import sys

OWN_FAILURE = 125


def _fail(message):
    print(f"lifeline trace: {message}", file=sys.stderr)
    return OWN_FAILURE


def parse(argv):
    opts = {"out": None, "virtual": False, "include": [], "exclude": [], "live": False}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            i += 1
            break
        if a in ("--out", "--include", "--exclude") and i + 1 < len(argv):
            if a == "--out":
                opts["out"] = argv[i + 1]
            else:
                opts[a[2:]].append(argv[i + 1])
            i += 2
        elif a == "--virtual-clock":
            opts["virtual"] = True
            i += 1
        elif a == "--live":
            opts["live"] = True
            i += 1
        else:
            break
    rest = argv[i:]
    if rest[:1] == ["-m"]:
        if len(rest) < 2:
            return None, "-m needs a module name"
        opts["module"], opts["args"] = rest[1], rest[2:]
    elif rest:
        opts["module"], opts["program"], opts["args"] = None, rest[0], rest[1:]
    else:
        return None, "no program to trace"
    if not opts["out"]:
        return None, "--out is required"
    return opts, None


def main(argv):
    if sys.version_info < (3, 11):
        return _fail(f"Python {sys.version.split()[0]} is too old: the tracer needs 3.11 or later")
    opts, error = parse(argv)
    if error:
        return _fail(error)
    from . import session
    return session.run(opts)
