#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make mutated scenario files for fuzzing the loader and the engine.

    python3 mutate.py --seed S --count N --out DIR [--examples DIR] [--no-huge]

Starts from the built-in examples (resources/examples/*.json) plus a few generated valid
scenarios (../python/gen_scenarios.py), and writes DIR/mutant-<S>-<i>.json. Each mutant
depends only on (S, i). Mutations: byte flips, truncations, deleted and duplicated keys, type
swaps, nesting 1000 deep (raw arrays and nested steps), huge and odd numbers, 10 MB strings,
invalid UTF-8, lone surrogates (escaped and raw), and valid-but-odd values (zero durations,
1e9 ms, empty bodies, a byte-order mark). Most mutants are invalid; some stay valid, which
is the point: `lifeline check` must answer 0 or 2 and `lifeline run` 0, 1 or 2, never crash.

--no-huge leaves out the multi-megabyte mutants (for the quick smoke test).
Standard library only.
"""

import argparse
import glob
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
import gen_scenarios  # noqa: E402

DEFAULT_EXAMPLES = os.path.join(HERE, "..", "..", "resources", "examples")

ODD_NUMBERS = ["0", "-0", "-1", "1.0", "5e0", "1e9", "1000000000", "1000000001",
               "99999999999999999999999", "1e309", "-1e309", "9223372036854775807",
               "9223372036854775808", "18446744073709551616", "2147483648", "4294967296",
               "0.5", "1e-400", "-9223372036854775809", "00", "01", "1E2", "NaN", "Infinity"]
ODD_VALUES = [None, True, False, 0, -1, 1.5, "", "x", [], {}, [[]], {"": None}, "\u0000",
              "\ud7ff", "\U0010ffff", 10 ** 30]
STEP_KEYS = ["with", "execute", "sleep", "print", "raise", "reraise", "try", "gather",
             "task_group", "timeout", "spawn", "body", "query", "ms", "fail", "except",
             "else", "finally", "return_exceptions", "types", "name", "cancel_after"]


def load_bases(examples_dir, rng_seed):
    bases = []
    for path in sorted(glob.glob(os.path.join(examples_dir, "*.json"))):
        with open(path, "rb") as f:
            bases.append(f.read())
    for i in range(8):
        _doc, text, _features = gen_scenarios.generate(rng_seed, 10000 + i)
        bases.append(text.encode("utf-8"))
    return bases


def containers(node, out=None):
    """Every dict and list inside a parsed document, with its parent chain implied."""
    if out is None:
        out = []
    if isinstance(node, (dict, list)):
        out.append(node)
        for v in (node.values() if isinstance(node, dict) else node):
            containers(v, out)
    return out


def dumps(doc, r):
    ascii_only, indent = r.random() < 0.5, r.choice([None, 1])
    text = json.dumps(doc, ensure_ascii=ascii_only)
    # Indenting a deep nest is slow (the pure-Python encoder) and quadratic in size.
    if indent is not None and len(text) < 100000 and text.count("[") + text.count("{") < 600:
        pretty = json.dumps(doc, ensure_ascii=ascii_only, indent=indent)
        if len(pretty) < 200000:
            text = pretty
    return text.encode("utf-8", "surrogatepass")


# ---------- byte-level mutations ----------
def m_flip(data, r):
    b = bytearray(data)
    for _ in range(r.randint(1, 8)):
        if not b:
            break
        i = r.randrange(len(b))
        b[i] ^= 1 << r.randrange(8) if r.random() < 0.7 else r.randrange(256)
    return bytes(b)


def m_truncate(data, r):
    return data[:r.randrange(len(data) + 1)]


def m_splice_bytes(data, r):
    junk = r.choice([b"\xff", b"\xc0\x80", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                     b"\x00", b"\x80", b"\xef\xbb\xbf", b"{", b"}", b"[", b"]", b",", b":",
                     b'"', b"\\", b"\\u", b"\\ud800", b"/*", b"\n", b"\t"])
    i = r.randrange(len(data) + 1)
    return data[:i] + junk + data[i:]


def m_invalid_utf8_in_string(data, r):
    # Put the bad bytes inside a string literal, where a lenient parser would keep them.
    quotes = [i for i, c in enumerate(data) if c == 0x22]
    if not quotes:
        return m_splice_bytes(data, r)
    i = r.choice(quotes) + 1
    bad = r.choice([b"\xff", b"\xfe\xfe", b"\xc3", b"\xc3\x28", b"\xe2\x28\xa1", b"\xed\xb0\x80",
                    b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"])
    return data[:i] + bad + data[i:]


def m_lone_surrogate(data, r):
    quotes = [i for i, c in enumerate(data) if c == 0x22]
    if not quotes:
        return data + b'"\\ud800"'
    i = r.choice(quotes) + 1
    esc = r.choice([b"\\ud800", b"\\udc00", b"\\udfff", b"\\ud800\\ud800", b"\\udc00\\ud800",
                    b"\\ud83d", b"\\ud83d\\u0041", b"\\u12", b"\\uZZZZ", b"\\x41", b"\\"])
    return data[:i] + esc + data[i:]


def m_bom(data, r):
    return r.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe",
                     b" \xef\xbb\xbf", b"\xef\xbb"]) + data


def m_raw_deep(data, r):
    depth = r.choice([99, 100, 101, 1000, 5000, 100000])
    opener, closer = (b"[", b"]") if r.random() < 0.5 else (b'{"a":', b"}")
    inner = opener * depth + b"1" + closer * (depth if r.random() < 0.8 else depth // 2)
    if r.random() < 0.5:
        return inner
    key = b'"main":'
    i = data.find(key)
    if i < 0:
        return inner
    return data[:i + len(key)] + inner + b"," + data[i + len(key):]


# ---------- structural mutations ----------
def m_delete_key(doc, r):
    objs = [c for c in containers(doc) if isinstance(c, dict) and c]
    if objs:
        o = r.choice(objs)
        del o[r.choice(list(o))]
    return doc


def m_type_swap(doc, r):
    cs = [c for c in containers(doc) if c]
    if not cs:
        return ODD_VALUES[r.randrange(len(ODD_VALUES))]
    c = r.choice(cs)
    k = r.choice(list(c)) if isinstance(c, dict) else r.randrange(len(c))
    c[k] = r.choice(ODD_VALUES + [str(c[k]), [c[k]], {"x": c[k]}])
    return doc


def m_add_unknown_or_step_key(doc, r):
    objs = [c for c in containers(doc) if isinstance(c, dict)]
    if objs:
        o = r.choice(objs)
        o[r.choice(STEP_KEYS + ["unknown", "Lifeline", "", "\u00e9"])] = r.choice(
            ODD_VALUES + [[{"sleep": 1}], {"type": "ValueError"}])
    return doc


def m_odd_valid_values(doc, r):
    """Durations to 0 or 1e9, bodies emptied, yields/cleanup varied: often still valid."""
    for c in containers(doc):
        if not isinstance(c, dict):
            continue
        for k in list(c):
            if k in ("ms", "sleep", "timeout", "cancel_after") and r.random() < 0.5:
                c[k] = r.choice([0, 0, 1, 999999999, 1000000000])
            elif k in ("body", "try", "finally", "else") and r.random() < 0.2:
                c[k] = []
            elif k == "yields" and r.random() < 0.5:
                c[k] = r.choice([0, 1, 2])
            elif k == "return_exceptions" and r.random() < 0.5:
                c[k] = not c[k]
    return doc


def m_deep_steps(doc, r):
    depth = r.choice([10, 11, 12, 1000])
    kind = r.choice(["timeout", "try", "with", "spawn"])
    inner = [{"print": "deep"}]
    res = (doc.get("resources") or [{"id": "db"}])[0]
    rid = res.get("id", "db") if isinstance(res, dict) else "db"
    for _ in range(depth):
        if kind == "timeout":
            inner = [{"timeout": 1, "body": inner}]
        elif kind == "try":
            inner = [{"try": inner, "finally": []}]
        elif kind == "with":
            inner = [{"with": rid, "body": inner}]
        else:
            inner = [{"spawn": {"name": "t", "body": inner}}]
    if isinstance(doc, dict):
        doc["main"] = inner
    return doc


def m_huge_string(doc, r):
    size = r.choice([1 << 20, 10 << 20])
    s = r.choice(["x", "é", "{{", "😀", "\\"]) * (size // 4)
    targets = [c for c in containers(doc) if isinstance(c, dict)
               and any(k in c for k in ("print", "arg", "query", "message", "title", "name"))]
    if not targets:
        return {"lifeline": 1, "title": s, "resources": [], "main": []}
    c = r.choice(targets)
    for k in ("print", "arg", "query", "message", "title", "name"):
        if k in c:
            c[k] = s
            break
    return doc


def m_many_steps(doc, r):
    n = r.choice([1000, 20000])
    if isinstance(doc, dict):
        doc["main"] = [r.choice([{"sleep": 0}, {"print": "p"}, {"sleep": 1}])] * n
    return doc


def text_dup_key(data, r):
    """A duplicate key, written textually (json.dumps cannot produce one)."""
    text = data.decode("utf-8", "surrogateescape")
    dup = r.choice(['"lifeline": 1, ', '"main": [], ', '"resources": [], ', '"title": "t", '])
    i = text.find("{")
    if i < 0:
        return data
    if r.random() < 0.5:
        return (text[:i + 1] + dup + text[i + 1:]).encode("utf-8", "surrogateescape")
    # a duplicate inside a nested object: repeat the first key of some inner object
    starts = [j for j, ch in enumerate(text) if ch == "{" and j > i]
    if not starts:
        return data
    j = r.choice(starts)
    end = text.find(",", j)
    colon = text.find(":", j)
    if end < 0 or colon < 0 or colon > end:
        return data
    first = text[j + 1:end].strip()
    return (text[:j + 1] + first + ", " + text[j + 1:]).encode("utf-8", "surrogateescape")


def text_number(data, r):
    text = data.decode("utf-8", "surrogateescape")
    import re
    nums = list(re.finditer(r"(?<![\w.\"])-?\d+(?![\w.\"])", text))
    if not nums:
        return data
    m = r.choice(nums)
    return (text[:m.start()] + r.choice(ODD_NUMBERS) + text[m.end():]).encode(
        "utf-8", "surrogateescape")


BYTE_MUTATIONS = [m_flip, m_truncate, m_splice_bytes, m_invalid_utf8_in_string,
                  m_lone_surrogate, m_bom, m_raw_deep, text_dup_key, text_number]
DOC_MUTATIONS = [m_delete_key, m_type_swap, m_add_unknown_or_step_key, m_odd_valid_values,
                 m_deep_steps]
HUGE_MUTATIONS = [m_huge_string, m_many_steps]


def mutate(bases, seed, index, allow_huge=True):
    r = random.Random(f"mutant-{seed}-{index}")
    data = r.choice(bases)
    rounds = r.choice([1, 1, 1, 2, 3])
    for _ in range(rounds):
        roll = r.random()
        if allow_huge and roll < 0.006:
            fn = r.choice(HUGE_MUTATIONS)
            try:
                doc = json.loads(data.decode("utf-8-sig", "surrogatepass"))
            except (ValueError, UnicodeDecodeError, RecursionError):
                doc = {"lifeline": 1, "resources": [], "main": []}
            if not isinstance(doc, dict):
                doc = {"lifeline": 1, "resources": [], "main": [doc]}
            return dumps(fn(doc, r), r)  # the last round: re-parsing megabytes is slow
        elif roll < 0.55:
            fn = r.choice(DOC_MUTATIONS)
        else:
            fn = r.choice(BYTE_MUTATIONS)
        if fn in BYTE_MUTATIONS:
            data = fn(data, r)
            continue
        try:
            doc = json.loads(data.decode("utf-8-sig", "surrogatepass"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            data = m_flip(data, r)
            continue
        try:
            doc = fn(doc, r)
        except (AttributeError, TypeError, IndexError, KeyError):
            pass  # the document is already too mangled for this mutation: keep it as it is
        data = dumps(doc, r)
    return data


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--examples", default=DEFAULT_EXAMPLES)
    ap.add_argument("--no-huge", action="store_true")
    a = ap.parse_args(argv)
    sys.setrecursionlimit(20000)
    os.makedirs(a.out, exist_ok=True)
    bases = load_bases(a.examples, a.seed)
    for i in range(a.count):
        data = mutate(bases, a.seed, i, allow_huge=not a.no_huge)
        with open(os.path.join(a.out, f"mutant-{a.seed}-{i}.json"), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
