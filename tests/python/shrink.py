#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shrink a scenario on which `lifeline run` and CPython disagree, keeping the disagreement.

    python3 shrink.py SCENARIO.json LIFELINE_BINARY [-o OUT.json]

Greedily deletes steps, handlers, tasks, resources, exceptions and optional keys, and
replaces block steps by their bodies, keeping each change only while the scenario stays valid
(`lifeline check`) and the two sides still differ (as tst_differential compares them). Prints
the smallest scenario found (or writes it to OUT.json) and both outputs. Standard library only.
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def outputs(doc, lifeline, work):
    """(lifeline stdout+status, python stdout+status), or None when the scenario is invalid."""
    path = os.path.join(work, "s.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    if subprocess.run([lifeline, "check", path], capture_output=True).returncode != 0:
        return None
    program = os.path.join(work, "s.py")
    if subprocess.run([lifeline, "export-python", path, "-o", program],
                      capture_output=True).returncode != 0:
        return None
    try:
        ll = subprocess.run([lifeline, "run", path, "--timestamps", "--outcome"],
                            capture_output=True, timeout=30)
        py = subprocess.run([sys.executable, os.path.join(HERE, "vclock_runner.py"), program,
                             "--timestamps", "--outcome"], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return None
    if py.returncode not in (0, 1):
        return None
    return (ll.stdout, ll.returncode), (py.stdout, py.returncode)


def differs(doc, lifeline, work):
    r = outputs(doc, lifeline, work)
    return r is not None and r[0] != r[1]


def candidates(doc):
    """Smaller variants of doc, biggest cuts first."""
    out = []

    def walk(node, path):
        if isinstance(node, list):
            for i in range(len(node)):
                out.append(("del", path, i))
            for i, v in enumerate(node):
                walk(v, path + [i])
        elif isinstance(node, dict):
            for k, v in node.items():
                if k in ("with", "timeout", "try") and isinstance(node.get("body", node.get("try")), list):
                    out.append(("inline", path, k))
                if k in ("print", "ms", "raise", "message", "title", "description", "name",
                         "arg", "finally", "else", "suppress", "cancel_after", "fail",
                         "return_exceptions", "cleanup", "yields", "enter", "exit",
                         "execute", "exceptions", "types", "base"):
                    out.append(("delkey", path, k))
                walk(v, path + [k])

    walk(doc, [])
    for kind, path, key in out:
        d = copy.deepcopy(doc)
        node = d
        for p in path:
            node = node[p]
        if kind == "del":
            del node[key]
        elif kind == "delkey":
            del node[key]
        else:  # inline: replace the block step by its body, in its parent list
            body = node.get("body") if key != "try" else node.get("try")
            parent = d
            for p in path[:-1]:
                parent = parent[p]
            if not isinstance(parent, list):
                continue
            parent[path[-1]:path[-1] + 1] = body
        yield d


def shrink(doc, lifeline, work):
    improved = True
    while improved:
        improved = False
        for cand in candidates(doc):
            if differs(cand, lifeline, work):
                doc = cand
                improved = True
                break
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("lifeline")
    ap.add_argument("-o", "--out")
    a = ap.parse_args()
    with open(a.scenario, encoding="utf-8-sig") as f:
        doc = json.load(f)
    with tempfile.TemporaryDirectory() as work:
        if not differs(doc, a.lifeline, work):
            print("shrink: both sides agree on this scenario", file=sys.stderr)
            return 1
        doc = shrink(doc, a.lifeline, work)
        (ll, llrc), (py, pyrc) = outputs(doc, a.lifeline, work)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)
    print(f"--- python (exit {pyrc})\n{py.decode('utf-8', 'replace')}"
          f"--- lifeline (exit {llrc})\n{ll.decode('utf-8', 'replace')}", end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
