# SPDX-License-Identifier: MIT
"""docs/trace-format.md, the tracer's writer and a reader written from the document agree."""

import os
import re
import sys
import unittest

from tracertest import SOURCE_DIR, Trace, TempDir

sys.path.insert(0, os.path.join(SOURCE_DIR, "src", "tracer"))
from lifeline_tracer import writer as W  # noqa: E402
import tracefile  # noqa: E402

DOC = os.path.join(SOURCE_DIR, "docs", "trace-format.md")


def doc_text():
    with open(DOC, encoding="utf-8") as f:
        return f.read()


class TraceFormatTest(unittest.TestCase):
    def test_record_tags_are_the_documented_ones(self):
        rows = re.findall(r"^\| `([0-9A-F]{2})` \| ([A-Z]+) \|", doc_text(), re.M)
        documented = {int(tag, 16): name for tag, name in rows}
        self.assertEqual(len(documented), 13)
        for tag, name in documented.items():
            self.assertEqual(getattr(W, name), tag, name)
        self.assertEqual(documented, tracefile.TAGS)

    def test_magic_and_version_are_the_documented_ones(self):
        text = doc_text()
        magic = re.search(r"magic: `([0-9A-F ]+)`", text).group(1)
        self.assertEqual(bytes.fromhex(magic), W.MAGIC)
        self.assertEqual(W.HEADER[8], W.FORMAT_VERSION)
        self.assertIn(f"format version, `{W.FORMAT_VERSION:02d}`", text)

    def test_event_numbers_are_the_documented_ones(self):
        text = doc_text()
        rows = re.findall(r"^\| (\d+) \| (Task\w+|Phase\w+|Instance\w+|Printed|Exception\w+|"
                          r"CancelRequested) \|", text, re.M)
        constants = {"TaskCreated": W.TASK_CREATED, "TaskStarted": W.TASK_STARTED,
                     "TaskEnded": W.TASK_ENDED, "PhaseBegan": W.PHASE_BEGAN,
                     "InstanceEnded": W.INSTANCE_ENDED, "Printed": W.PRINTED,
                     "ExceptionRaised": W.RAISED, "ExceptionHop": W.HOP,
                     "CancelRequested": W.CANCEL_REQUESTED, "TaskAwaits": W.TASK_AWAITS,
                     "TaskJoined": W.TASK_JOINED}
        self.assertEqual(sorted(name for _, name in rows), sorted(constants))
        for number, name in rows:
            self.assertEqual(int(number), constants[name], name)

    def test_wait_and_join_details_are_the_documented_ones(self):
        text = doc_text()
        waits = re.search(r"^\| 10 \| TaskAwaits \| [^|]+ \| wait: ([^|]+) \|", text, re.M).group(1)
        self.assertEqual(waits.strip(), f"{W.WAIT_SLEEP} sleep, {W.WAIT_TASK} task, "
                                        f"{W.WAIT_GATHER} gather")
        joins = re.search(r"^\| 11 \| TaskJoined \| [^|]+ \| join: ([^|]+) \|", text, re.M).group(1)
        self.assertEqual(joins.strip(), f"{W.JOIN_TASK_GROUP} TaskGroup, {W.JOIN_GATHER} gather")

    def _sample(self, path):
        clock = iter(range(1500, 10**12, 1500)).__next__
        w = W.TraceWriter(path, clock)
        w.meta("clock", "real")
        task = w.lane(0, "main()", -1, -1, 1)
        w.event(W.TASK_CREATED, 0, task, -1)
        group = w.group("Conn")
        inst = w.lane(1, "Conn('x')", task, group, 1)
        w.event(W.PHASE_BEGAN, W.ACQUIRE, inst)
        pid = w.print_("héllo\nworld")
        w.event(W.PRINTED, 0, task, pid)
        t = w.type_("ValueError", -1)
        e = w.exception(t, "ValueError('boom')", "boom", False, -1, -1, [])
        w.event(W.RAISED, W.ORIGIN_RAISE, e, task)
        w.link(e, True, -1, -1)
        w.flush()  # two EVENTS blocks: the second counts on from the first
        w.at(w.location(w.source("prog.py", "x = 1\n"), 1))
        w.event(W.INSTANCE_ENDED, W.NEVER_RELEASED, inst)
        w.close()

    def test_a_written_trace_reads_back(self):
        with TempDir() as d:
            path = os.path.join(d, "t.lltrace")
            self._sample(path)
            trace = Trace(open(path, "rb").read())
            self.assertIsNone(trace.error_offset)
            self.assertEqual([line.split("\t", 1)[1] for line in trace.lines()], [
                "0.0015\tmain() created by -",
                "0.003\tConn('x') #1 acquire",
                "0.0045\tmain() prints 'héllo\\nworld'",
                "0.006\tValueError('boom') raise in main()",
                "0.0075\tConn('x') #1 never-released",
            ])
            self.assertEqual(trace.meta, {"clock": "real"})
            self.assertEqual(trace.at, {4: 0})
            self.assertEqual(trace.locations, [(0, 1)])

    def test_waits_and_owners_read_back(self):
        with TempDir() as d:
            path = os.path.join(d, "t.lltrace")
            w = W.TraceWriter(path, iter(range(0, 10**12, 10**6)).__next__)
            w.meta("clock", "virtual")
            main = w.lane(0, "main()", -1, -1, 1)
            w.event(W.TASK_CREATED, 0, main, -1)
            group = w.lane(1, "TaskGroup()", main, w.group("TaskGroup"), 1)
            w.event(W.PHASE_BEGAN, W.ACQUIRE, group)
            worker = w.lane(0, "worker()", main, -1, 2)
            w.event(W.TASK_CREATED, 0, worker, main)
            w.event(W.TASK_JOINED, W.JOIN_TASK_GROUP, worker, group)
            w.event(W.TASK_JOINED, W.JOIN_GATHER, worker, w.string("gather #1"))
            w.event(W.TASK_AWAITS, W.WAIT_GATHER, main, w.string("gather #1"))
            w.event(W.TASK_AWAITS, W.WAIT_SLEEP, worker, w.string("sleep(0.1)"))
            w.event(W.TASK_AWAITS, W.WAIT_TASK, main, worker)
            w.close()
            trace = Trace(open(path, "rb").read())
            self.assertEqual([line.split("\t", 2)[2] for line in trace.lines()][3:], [
                "worker() joins TaskGroup() #1",
                "worker() joins gather #1",
                "main() awaits gather #1",
                "worker() awaits sleep(0.1)",
                "main() awaits worker()",
            ])

    def test_every_prefix_cut_at_a_record_boundary_reads(self):
        """Append-only: a program killed between two writes leaves a readable file."""
        with TempDir() as d:
            path = os.path.join(d, "t.lltrace")
            self._sample(path)
            data = open(path, "rb").read()
            whole = Trace(data)
            for cut in range(12, len(data)):
                prefix = Trace(data[:cut])
                # Whatever was cut, the events read are the first ones of the whole trace.
                self.assertEqual(prefix.events, whole.events[:len(prefix.events)])


if __name__ == "__main__":
    unittest.main()
