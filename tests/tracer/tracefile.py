# SPDX-License-Identifier: MIT
"""A reader of docs/trace-format.md in Python, for the tracer's tests: the records of a trace
file, and its events printed as `lifeline events` prints them (a cross-check of the C++ reader,
and what the tests compare when no lifeline binary is given)."""

import struct
import zlib

MAGIC = b"\x89LLTRACE"
TAGS = {1: "EVENT", 2: "STRING", 3: "TYPE", 4: "EXCEPTION", 5: "LINK", 6: "GROUP", 7: "LANE",
        8: "PRINT", 9: "META", 10: "SOURCE", 11: "LOCATION", 13: "END", 14: "EVENTS"}
NONE = 0xFFFFFFFF


class Trace:
    def __init__(self, data):
        if data[:8] != MAGIC:
            raise ValueError("not a Lifeline trace")
        if data[8] not in (1, 2):  # 2 added TaskAwaits and TaskJoined
            raise ValueError(f"format version {data[8]}")
        self.strings, self.types, self.exceptions, self.groups = [], [], [], []
        self.lanes, self.prints, self.meta, self.sources, self.locations = [], [], {}, [], []
        self.events, self.end, self.error_offset, self.at = [], None, None, {}
        self._parse(data, 12)

    def _parse(self, data, pos):
        t = 0

        def uv():
            nonlocal pos
            n = shift = 0
            while True:
                b = data[pos]
                pos += 1
                n |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    return n
        while pos < len(data):
            start = pos
            try:
                tag = data[pos]
                pos += 1
                if tag == 1:
                    kd = data[pos]
                    pos += 1
                    t += uv()
                    self.events.append((t, kd & 15, kd >> 4, uv(), uv() - 1))
                    location = uv() - 1
                    if location >= 0:
                        self.at[len(self.events) - 1] = location
                elif tag == 2:
                    n = uv()
                    if pos + n > len(data):
                        raise IndexError
                    self.strings.append(data[pos:pos + n].decode("utf-8", "surrogatepass"))
                    pos += n
                elif tag == 3:
                    self.types.append((self.strings[uv()], uv() - 1))
                elif tag == 4:
                    ty, r, s, fl, ctx, cause, n = (uv() for _ in range(7))
                    members = [uv() for _ in range(n)]
                    self.exceptions.append({"type": ty, "repr": self.strings[r],
                                            "str": self.strings[s], "context": ctx - 1,
                                            "cause": cause - 1, "members": members})
                elif tag == 5:
                    e, fl, ctx, cause = uv(), uv(), uv(), uv()
                    self.exceptions[e].update(context=ctx - 1, cause=cause - 1)
                elif tag == 6:
                    self.groups.append(self.strings[uv()])
                elif tag == 7:
                    kind, label, parent, group, ordinal = (uv() for _ in range(5))
                    self.lanes.append((kind, self.strings[label], parent - 1, group - 1, ordinal))
                elif tag == 8:
                    self.prints.append((self.strings[uv()], uv() - 1))
                elif tag == 9:
                    k, v = uv(), uv()
                    self.meta[self.strings[k]] = self.strings[v]
                elif tag == 10:
                    p, x = uv(), uv()
                    self.sources.append((self.strings[p], self.strings[x]))
                elif tag == 11:
                    self.locations.append((uv(), uv()))
                elif tag == 14:
                    count, length = uv(), uv()
                    if pos + length > len(data):
                        raise IndexError
                    raw = zlib.decompress(data[pos:pos + length])
                    pos += length
                    if len(raw) != 20 * count:
                        raise ValueError("block size")
                    times = struct.unpack_from(f"<{count}Q", raw, 0)
                    ids = struct.unpack_from(f"<{count}Q", raw, 8 * count)
                    locations = struct.unpack_from(f"<{count}I", raw, 16 * count)
                    for word, both, location in zip(times, ids, locations):
                        t = word & ((1 << 56) - 1)
                        kd = word >> 56
                        if location:
                            self.at[len(self.events)] = location - 1
                        self.events.append((t, kd & 15, kd >> 4, both & 0xFFFFFFFF,
                                            (both >> 32) - 1))
                elif tag == 13:
                    self.end = (uv(), uv())
                else:
                    raise ValueError(f"unknown tag {tag}")
            except (IndexError, ValueError, zlib.error):
                self.error_offset = start
                return

    def lane_name(self, lane):
        if lane < 0 or lane == NONE:
            return "-"
        kind, label, _, _, ordinal = self.lanes[lane]
        return f"{label} #{ordinal}" if kind == 1 else label

    def lines(self):
        kinds = ["created", "started", "ended", "phase", "end", "prints", "raised", "hop",
                 "cancel-request"]
        phases = ["acquire", "ready", "execute", "release"]
        states = {5: "released", 6: "failed-to-acquire", 7: "cancelled", 8: "never-released"}
        outcomes = ["finished", "failed", "cancelled"]
        origins = ["raise", "reraise", "runtime", "cancel", "timeout", "group"]
        hops = ["propagated", "suppressed", "replaced", "grouped", "caught", "escaped"]
        causes = ["call", "awaiter", "deadline", "sibling", "group-exit", "shutdown"]
        ms = 1_000_000
        out = []
        for i, (t, kind, detail, subject, arg) in enumerate(self.events):
            name = self.lane_name
            if kind == 0:
                d = f"{name(subject)} created by {name(arg)}"
            elif kind == 1:
                d = f"{name(subject)} started"
            elif kind == 2:
                d = f"{name(subject)} {outcomes[detail]}" + (
                    f": {self.exceptions[arg]['repr']}" if arg >= 0 else "")
            elif kind == 3:
                d = f"{name(subject)} {phases[detail]}"
            elif kind == 4:
                d = f"{name(subject)} {states[detail]}"
            elif kind == 5:
                d = f"{name(subject)} prints {self.prints[arg][0]!r}"
            elif kind == 6:
                d = f"{self.exceptions[subject]['repr']} {origins[detail]} in {name(arg)}"
            elif kind == 7:
                d = f"{self.exceptions[subject]['repr']} {hops[detail]} at {name(arg)}"
            elif kind in (10, 11):
                # A task (wait 1) or TaskGroup (join 0) is a lane; a sleep or gather a string.
                lane = detail == 1 if kind == 10 else detail == 0
                target = name(arg) if lane else self.strings[arg]
                d = f"{name(subject)} {'awaits' if kind == 10 else 'joins'} {target}"
            else:
                d = f"{name(subject)} cancel requested: {causes[detail]} {name(arg)}"
            time = t // ms if t % ms == 0 else t / ms
            out.append(f"{i}\t{time}\t{d}")
        del kinds
        return out


if __name__ == "__main__":
    import sys
    tr = Trace(open(sys.argv[1], "rb").read())
    print("\n".join(tr.lines()))
    if tr.error_offset is not None:
        print(f"bad record at byte {tr.error_offset}", file=sys.stderr)
