#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make the .lltrace seeds of fuzz_tracereader's corpus (corpus/trace).

    python3 make_trace_seeds.py --lifeline BIN [--out DIR]

Traces resources/examples/python/*.py and tests/tracer/programs/*.py with
`lifeline trace --virtual-clock`, then rewrites each trace record by record: a string naming
a path inside the source tree becomes relative to it (seeds are committed), and a second seed,
NAME-records.lltrace, has every EVENTS block written out as EVENT records, so the fuzzer's
mutations reach the event checks without going through zlib. Standard library only.
"""

import argparse
import glob
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
PROGRAMS = ["resources/examples/python/*.py", "tests/tracer/programs/*.py"]
# Fields (unsigned varints) of each record after its tag; None: read by hand.
FIELDS = {3: 2, 5: 4, 6: 1, 7: 5, 8: 2, 9: 2, 10: 2, 11: 2, 13: 2}


def uv(data, pos):
    n = shift = 0
    while True:
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, pos


def enc(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def records(data):
    """(tag, bytes of the whole record) for each record after the 12-byte header."""
    pos = 12
    while pos < len(data):
        start, tag = pos, data[pos]
        pos += 1
        if tag == 1:
            pos += 1
            for _ in range(4):
                _, pos = uv(data, pos)
        elif tag == 2:
            n, pos = uv(data, pos)
            pos += n
        elif tag == 4:
            for _ in range(6):
                _, pos = uv(data, pos)
            n, pos = uv(data, pos)
            for _ in range(n):
                _, pos = uv(data, pos)
        elif tag == 14:
            _, pos = uv(data, pos)
            n, pos = uv(data, pos)
            pos += n
        elif tag in FIELDS:
            for _ in range(FIELDS[tag]):
                _, pos = uv(data, pos)
        else:
            raise ValueError(f"unknown tag {tag} at byte {start}")
        yield tag, data[start:pos]


def rewrite(data, expand_blocks):
    out = bytearray(data[:12])
    last = 0  # the time of the last event written
    for tag, rec in records(data):
        if tag == 2:
            n, pos = uv(rec, 1)
            text = rec[pos:pos + n].decode("utf-8", "surrogatepass")
            if text.startswith(SOURCE + os.sep):
                text = os.path.relpath(text, SOURCE)
            raw = text.encode("utf-8", "surrogatepass")
            rec = bytes([2]) + enc(len(raw)) + raw
        elif tag == 14:
            count, pos = uv(rec, 1)
            length, pos = uv(rec, pos)
            raw = zlib.decompress(rec[pos:pos + length])
            times = struct.unpack_from(f"<{count}Q", raw, 0)
            ids = struct.unpack_from(f"<{count}Q", raw, 8 * count)
            locations = struct.unpack_from(f"<{count}I", raw, 16 * count)
            if expand_blocks:
                rec = bytearray()
                for word, both, location in zip(times, ids, locations):
                    t = word & ((1 << 56) - 1)
                    rec += bytes([1, word >> 56]) + enc(t - last) + enc(both & 0xFFFFFFFF)
                    rec += enc(both >> 32) + enc(location)
                    last = t
                rec = bytes(rec)
            elif count:
                last = times[-1] & ((1 << 56) - 1)
        elif tag == 1:
            dt, _ = uv(rec, 2)
            last += dt
        out += rec
    return bytes(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lifeline", required=True)
    ap.add_argument("--out", default=os.path.join(HERE, "corpus", "trace"))
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lifeline-seeds-") as tmp:
        for pattern in PROGRAMS:
            for program in sorted(glob.glob(os.path.join(SOURCE, pattern))):
                name = os.path.splitext(os.path.basename(program))[0]
                trace = os.path.join(tmp, name + ".lltrace")
                subprocess.run([a.lifeline, "trace", "--virtual-clock", "-o", trace,
                                os.path.relpath(program, SOURCE)], cwd=SOURCE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                with open(trace, "rb") as f:
                    data = f.read()
                for suffix, expand in (("", False), ("-records", True)):
                    with open(os.path.join(a.out, name + suffix + ".lltrace"), "wb") as f:
                        f.write(rewrite(data, expand))
    return 0


if __name__ == "__main__":
    sys.exit(main())
