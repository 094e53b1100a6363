#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the engine benchmarks' scenarios (format v1) for a workload and a size N.

    python3 workloadgenerator.py WORKLOAD N OUT.json

WORKLOAD is one of:

  gather        `gather` of N tasks, each one class-resource lifecycle
                (enter 10 ms, execute 5 ms, exit 10 ms), every phase printing.
  seq-class     main enters N class resources one after another (the format has no loops,
                so main is a list of N `with` steps), same phases as `gather`.
  seq-generator the same with an @asynccontextmanager resource (enter 10 ms, a 5 ms sleep in
                the body, cleanup 10 ms).
  exceptions    `gather` of N tasks; each enters three nested class resources, its body raises
                and every exit raises while that exception propagates, so the task catches
                an exception whose __context__ chain is three deep.
  inflight      `gather` of N tasks, each holding a resource across a 1 s sleep: all N
                lifecycles are in flight at once. No prints: the memory figure is the engine's.

Everything is in virtual time. The files are written compactly with one task or step per line,
so the 1M-task `gather` is about 100 MB, the size the loader benchmark wants.
"""

import json
import sys


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


CLASS_RESOURCE = {
    "id": "conn",
    "kind": "class",
    "name": "Connection",
    "arg": "db-1",
    "enter": {"print": "connect {arg}", "ms": 10},
    "execute": {"print": "execute {query}", "ms": 5},
    "exit": {"print": "close {arg}", "ms": 10},
}

GENERATOR_RESOURCE = {
    "id": "lease",
    "kind": "generator",
    "name": "lease",
    "arg": "gpu-1",
    "enter": {"print": "acquire {arg}", "ms": 10},
    "exit": {"print": "release {arg}", "ms": 10},
}


def scope(rid, raising):
    return {
        "id": rid,
        "kind": "class",
        "name": rid.capitalize(),
        "arg": rid,
        "enter": {"ms": 1},
        "exit": {"ms": 1, "raise": {"type": raising, "message": f"{rid} failed"}},
    }


def lifecycle_step():
    return {"with": "conn", "body": [{"execute": "conn", "query": "SELECT 1"}]}


def write_document(out, header, lines_key, lines, tail="]}"):
    """Writes {header..., lines_key: [line, line, ...]} with one element per line."""
    head = dumps(header)[:-1]
    out.write(head + ',"' + lines_key + '":[\n')
    first = True
    for item in lines:
        if not first:
            out.write(",\n")
        out.write(item)
        first = False
    out.write("\n" + tail + "\n")


def gather_file(out, n, resources, body, title, return_exceptions=False):
    header = {"lifeline": 1, "title": title, "resources": resources}
    head = dumps(header)[:-1]
    out.write(head + ',"main":[{"return_exceptions":' + dumps(return_exceptions) + ',"gather":[\n')
    task_body = dumps(body)
    for i in range(n):
        if i:
            out.write(",\n")
        out.write('{"name":"t%d","body":%s}' % (i, task_body))
    out.write("\n]}]}\n")


def generate(workload, n, out):
    if workload == "gather":
        gather_file(out, n, [CLASS_RESOURCE], [lifecycle_step()],
                    f"gather of {n} class lifecycles")
    elif workload == "seq-class":
        header = {"lifeline": 1, "title": f"{n} class lifecycles in one task",
                  "resources": [CLASS_RESOURCE]}
        step = dumps(lifecycle_step())
        write_document(out, header, "main", (step for _ in range(n)))
    elif workload == "seq-generator":
        header = {"lifeline": 1, "title": f"{n} generator lifecycles in one task",
                  "resources": [GENERATOR_RESOURCE]}
        step = dumps({"with": "lease", "body": [{"sleep": 5}]})
        write_document(out, header, "main", (step for _ in range(n)))
    elif workload == "exceptions":
        resources = [scope("outer", "RuntimeError"), scope("middle", "KeyError"),
                     scope("inner", "LookupError")]
        body = [{
            "try": [{"with": "outer", "body": [{"with": "middle", "body": [
                {"with": "inner", "body": [
                    {"raise": {"type": "ValueError", "message": "body failed"}}]}]}]}],
            "except": [{"types": ["Exception"],
                        "body": [{"print": "caught {exc_type}: {exc}"}]}],
        }]
        header_resources = resources
        gather_file(out, n, header_resources, body,
                    f"{n} tasks with exceptions chained through three exits")
    elif workload == "inflight":
        resource = {"id": "slot", "kind": "class", "name": "Slot", "arg": "pool",
                    "enter": {"ms": 10}, "exit": {"ms": 10}}
        gather_file(out, n, [resource], [{"with": "slot", "body": [{"sleep": 1000}]}],
                    f"{n} lifecycles in flight at once")
    else:
        raise SystemExit(f"unknown workload {workload!r}")


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    workload, n, path = argv[1], int(argv[2]), argv[3]
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        generate(workload, n, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
