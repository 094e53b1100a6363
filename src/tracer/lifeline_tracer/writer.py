# SPDX-License-Identifier: MIT
"""TraceWriter: the records of docs/trace-format.md, appended to a file.

Records are built in one bytearray and handed to the operating system whole (os.write), so a
program killed between two writes leaves only whole records. Strings are written once each.
"""

import os
import sys
import zlib
from array import array

MAGIC = b"\x89LLTRACE"
FORMAT_VERSION = 2  # 2: TaskAwaits and TaskJoined events
HEADER = MAGIC + bytes((FORMAT_VERSION, 0, 0, 0))

# Record tags.
EVENT, STRING, TYPE, EXCEPTION, LINK, GROUP, LANE, PRINT, META, SOURCE, LOCATION, _RESERVED, \
    END, EVENTS = range(1, 15)

# The event log's numbers (src/core/eventlog.h).
TASK_CREATED, TASK_STARTED, TASK_ENDED, PHASE_BEGAN, INSTANCE_ENDED, PRINTED, RAISED, HOP, \
    CANCEL_REQUESTED = range(9)
TASK_AWAITS, TASK_JOINED = 10, 11  # 9, StepBegan, is the engine's own
ACQUIRE, READY, EXECUTE, RELEASE = range(4)
RELEASED, FAILED_TO_ACQUIRE, CANCELLED, NEVER_RELEASED = 5, 6, 7, 8
FINISHED, FAILED, TASK_CANCELLED = range(3)
PROPAGATED, SUPPRESSED, REPLACED, GROUPED, CAUGHT, ESCAPED = range(6)
ORIGIN_RAISE, ORIGIN_RERAISE, ORIGIN_RUNTIME, ORIGIN_CANCEL, ORIGIN_TIMEOUT, ORIGIN_GROUP = range(6)
CAUSE_CALL, CAUSE_AWAITER, CAUSE_DEADLINE, CAUSE_SIBLING, CAUSE_GROUP_EXIT, CAUSE_SHUTDOWN = range(6)
WAIT_SLEEP, WAIT_TASK, WAIT_GATHER = range(3)
JOIN_TASK_GROUP, JOIN_GATHER = range(2)
NO_SUBJECT = 0xFFFFFFFF


# Varints of small numbers, made once: an event is a handful of them, and a traced program
# writes millions of events.
_ONE = [bytes((n,)) for n in range(128)]


def _varint(n):
    if n < 128:
        return _ONE[n]
    if n < 16384:
        return bytes(((n & 0x7F) | 0x80, n >> 7))
    if n < 2097152:
        return bytes(((n & 0x7F) | 0x80, ((n >> 7) & 0x7F) | 0x80, n >> 14))
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


class TraceWriter:
    def __init__(self, path, clock_ns, origin_ns=0):
        """clock_ns() -> the time of an event in nanoseconds (never decreasing); times are
        written relative to origin_ns."""
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._buf = bytearray()
        if os.fstat(self._fd).st_size == 0:
            # At once: `lifeline trace` takes an empty file for a tracer that never started.
            os.write(self._fd, HEADER)
        self._strings = {}
        self._counts = {}
        self.clock_ns = clock_ns
        self.origin_ns = origin_ns
        # Events wait here, two words each, and go out as one EVENTS block per flush: a
        # traced program records millions, and a varint record each cost a microsecond.
        # Columns, so that zlib finds each column's repeats: time | kind << 56, subject |
        # (arg + 1) << 32, location + 1.
        self._times = array("Q")
        self._ids = array("Q")
        self._locations = array("I")
        self._next_location = 0
        assert self._times.itemsize == 8 and self._locations.itemsize == 4
        # Bound once: event() runs for every event a program makes.
        self._append_time = self._times.append
        self._append_id = self._ids.append
        self._append_location = self._locations.append
        self._lane_count = 0

    # --- encoding -----------------------------------------------------------------------
    def _uv(self, n):
        self._buf += _ONE[n] if n < 128 else _varint(n)

    def _next_id(self, tag):
        n = self._counts.get(tag, 0)
        self._counts[tag] = n + 1
        return n

    # --- records ------------------------------------------------------------------------
    def string(self, text):
        sid = self._strings.get(text)
        if sid is None:
            data = text.encode("utf-8", "surrogatepass")
            self._buf.append(STRING)
            self._uv(len(data))
            self._buf += data
            # Every STRING record adds one entry: the count is the next id.
            sid = self._strings[text] = len(self._strings)
        return sid

    def event(self, kind, detail, subject, arg=-1):
        """Appends an event now, at the location at() named (if any)."""
        self._append_time((self.clock_ns() - self.origin_ns) | (kind | detail << 4) << 56)
        self._append_id(subject | (arg + 1) << 32)
        self._append_location(self._next_location)
        self._next_location = 0

    def simple_event(self, code, subject, where=0):
        """event() for the hot paths: code is (kind | detail << 4) << 56, no argument, and
        where a location + 1 (0: the one at() named, if any)."""
        self._append_time((self.clock_ns() - self.origin_ns) | code)
        self._append_id(subject)
        self._append_location(where or self._next_location)
        self._next_location = 0

    def now_ns(self):
        """The time of the next event, as written (relative to the origin)."""
        return self.clock_ns() - self.origin_ns

    def type_(self, name, base):
        name_id = self.string(name)
        self._buf.append(TYPE)
        self._uv(name_id)
        self._uv(base + 1)
        return self._next_id(TYPE)

    def exception(self, type_id, repr_text, str_text, suppress, context, cause, members):
        r, s = self.string(repr_text), self.string(str_text)
        self._buf.append(EXCEPTION)
        for n in (type_id, r, s, 1 if suppress else 0, context + 1, cause + 1, len(members)):
            self._uv(n)
        for m in members:
            self._uv(m)
        return self._next_id(EXCEPTION)

    def link(self, exc, suppress, context, cause):
        self._buf.append(LINK)
        for n in (exc, 1 if suppress else 0, context + 1, cause + 1):
            self._uv(n)

    def group(self, name):
        name_id = self.string(name)
        self._buf.append(GROUP)
        self._uv(name_id)
        return self._next_id(GROUP)

    def lane(self, kind, label, parent, group, ordinal):
        label_id = self._strings.get(label)
        if label_id is None:
            label_id = self.string(label)
        parent += 1
        group += 1
        self._buf += b"".join((
            _ONE[LANE], _ONE[kind], _ONE[label_id] if label_id < 128 else _varint(label_id),
            _ONE[parent] if parent < 128 else _varint(parent),
            _ONE[group] if group < 128 else _varint(group),
            _ONE[ordinal] if ordinal < 128 else _varint(ordinal)))
        self._lane_count += 1
        return self._lane_count - 1

    def print_(self, text, location=-1):
        text_id = self.string(text)
        self._buf.append(PRINT)
        self._uv(text_id)
        self._uv(location + 1)
        return self._next_id(PRINT)

    def meta(self, key, value):
        k, v = self.string(key), self.string(value)
        self._buf.append(META)
        self._uv(k)
        self._uv(v)

    def source(self, path, text):
        p, t = self.string(path), self.string(text)
        self._buf.append(SOURCE)
        self._uv(p)
        self._uv(t)
        return self._next_id(SOURCE)

    def location(self, source, line):
        self._buf.append(LOCATION)
        self._uv(source)
        self._uv(line)
        return self._next_id(LOCATION)

    def at(self, location):
        """The next event appended happened at this location."""
        self._next_location = location + 1

    # --- output -------------------------------------------------------------------------
    def pending(self):
        return len(self._buf) + len(self._times)

    def flush(self):
        count = len(self._times)
        if count:
            columns = (self._times, self._ids, self._locations)
            if sys.byteorder != "little":
                for c in columns:
                    c.byteswap()
            block = zlib.compress(b"".join(c.tobytes() for c in columns), 1)
            self._buf.append(EVENTS)
            self._uv(count)
            self._uv(len(block))
            self._buf += block
            for c in columns:
                del c[:]
        if self._buf and self._fd >= 0:
            with memoryview(self._buf) as whole:
                view = whole
                while view:
                    view = view[os.write(self._fd, view):]
                view.release()
            self._buf.clear()

    def close(self):
        self.flush()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
