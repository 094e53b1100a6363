# SPDX-License-Identifier: MIT
"""Recorder: turns what the hooks see into the events of docs/events.md.

One Recorder per traced run. It keeps the lanes (tasks and resource instances), the exceptions
it has written (by identity: Python's exceptions cannot be weakly referenced, so they are kept
until the run ends) and each instance's lifecycle state, and writes through a TraceWriter.
"""

import asyncio
import dis
import re
import sys

from . import writer as W

_get_running_loop = asyncio.events._get_running_loop
_current_tasks = asyncio.tasks._current_tasks
_DEFAULT_TASK_NAME = re.compile(r"Task-\d+\Z")

# Events of the hot paths, kind and detail as TraceWriter.simple_event takes them.
_ACQUIRE = (W.PHASE_BEGAN | W.ACQUIRE << 4) << 56
_READY = (W.PHASE_BEGAN | W.READY << 4) << 56
_EXECUTE = (W.PHASE_BEGAN | W.EXECUTE << 4) << 56
_RELEASE = (W.PHASE_BEGAN | W.RELEASE << 4) << 56
_ENDED = {state: (W.INSTANCE_ENDED | state << 4) << 56
          for state in (W.RELEASED, W.FAILED_TO_ACQUIRE, W.CANCELLED, W.NEVER_RELEASED)}

# Lifecycle states an instance moves through (only the recorder's own bookkeeping).
S_ACQUIRING, S_READY, S_EXECUTING, S_RELEASING, S_ENDED = range(5)


class Instance:
    __slots__ = ("lane", "state", "obj", "kind", "yield_lasti", "code", "frame_id")

    def __init__(self, lane, obj, kind):
        self.lane = lane
        self.state = S_ACQUIRING
        self.obj = obj
        self.kind = kind
        self.yield_lasti = None
        self.code = None
        self.frame_id = None


def args_text(args, kwargs):
    if not kwargs and len(args) == 1:
        return repr(args[0])
    parts = [repr(a) for a in args]
    parts += [f"{k}={v!r}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _is_cancelled(exc):
    return isinstance(exc, asyncio.CancelledError)


class Recorder:
    def __init__(self, trace_writer):
        self.w = trace_writer
        self._task_lanes = {}  # Task -> lane
        self._task_count = 0
        self._groups = {}  # NAME -> group id
        self._instance_counts = {}  # NAME -> instances so far
        self._live = {}  # id(object) -> Instance (acquired, not yet ended)
        self.live_instances = self._live
        self._exceptions = {}  # id(exc) -> [exc id, exc, context id, cause id, suppress]
        self._types = {}  # class -> type id
        self._handler_cache = {}  # (code, offset) -> whether a handler of the code covers it
        self.sources = {}  # traced file path -> SOURCE id (the session fills it)
        self.hook_seq = 0
        self._hook_hits = {}  # code -> hook_seq of the last cleanup hook that ran in it
        self._generator_exit = -1  # aclose()'s GeneratorExit, recorded before it is seen
        self._generator_frames = {}  # id(generator frame) -> its Instance, while it lives
        self._locations = {}  # (source, line) -> LOCATION id
        # id(code) -> (code, {offset: LOCATION id + 1, or 0 outside traced files}): where() runs
        # for every acquire and release, and a line number is a search of the line table.
        self._where = {}
        self._simple_event = trace_writer.simple_event
        self._gathers = 0  # gather() calls of the program's code so far: `gather #N`

    # --- where --------------------------------------------------------------------------
    def at(self, frame):
        """The next event happened at frame's current line (when frame is a traced file's)."""
        source = self.sources.get(frame.f_code.co_filename)
        if source is None:
            return
        key = (source, frame.f_lineno)
        loc = self._locations.get(key)
        if loc is None:
            loc = self._locations[key] = self.w.location(source, frame.f_lineno)
        self.w.at(loc)

    def where(self, frame):
        """The LOCATION id + 1 of frame's current instruction, or 0 (not a traced file)."""
        code = frame.f_code
        entry = self._where.get(id(code))
        if entry is None:
            entry = self._where[id(code)] = (code, {})  # the code is kept: its id stays its
        offsets = entry[1]
        offset = frame.f_lasti
        loc = offsets.get(offset)
        if loc is None:
            loc = 0
            source = self.sources.get(code.co_filename)
            if source is not None:
                key = (source, frame.f_lineno)
                found = self._locations.get(key)
                if found is None:
                    found = self._locations[key] = self.w.location(source, frame.f_lineno)
                loc = found + 1
            offsets[offset] = loc
        return loc

    # --- lanes --------------------------------------------------------------------------
    def current_lane(self):
        # asyncio.current_task() without its Python frame: asked for at nearly every event.
        return self._task_lanes.get(_current_tasks.get(_get_running_loop()), -1)

    def task_created(self, task, coro):
        # Named by the lane rule of docs/events.md ("Lanes"), as new_instance() names instances.
        name = task.get_name()
        if _DEFAULT_TASK_NAME.match(name):
            name = getattr(coro, "__qualname__", type(coro).__qualname__) + "()"
        parent = self.current_lane()
        self._task_count += 1
        lane = self.w.lane(0, name, parent, -1, self._task_count)
        self._task_lanes[task] = lane
        self.w.event(W.TASK_CREATED, 0, lane, parent)
        return lane

    def task_lane(self, task):
        return self._task_lanes.get(task, -1)

    def instance_lane(self, obj):
        inst = self._live.get(id(obj))
        return -1 if inst is None else inst.lane

    def cancel_requested(self, task, cause, by):
        """cancel() was called on a task not done (cancels.py found the cause)."""
        lane = self._task_lanes.get(task)
        if lane is not None:
            self.w.event(W.CANCEL_REQUESTED, cause, lane, by)

    # --- waits and owners (docs/events.md, "Waits and owners") ---------------------------
    def awaits_sleep(self, delay, frame):
        """The program's code called asyncio.sleep(delay), delay > 0, in a task."""
        lane = self.current_lane()
        if lane < 0:
            return  # no task runs (no loop, or a coroutine closed after asyncio.run)
        sid = self.w.string(f"sleep({delay!r})")
        self.at(frame)
        self.w.event(W.TASK_AWAITS, W.WAIT_SLEEP, lane, sid)

    def awaits_task(self, waiter, task):
        """Task `waiter` blocks on `task` (its step added its wakeup to task's callbacks)."""
        lane = self._task_lanes.get(waiter)
        target = self._task_lanes.get(task)
        if lane is not None and target is not None:
            self.w.event(W.TASK_AWAITS, W.WAIT_TASK, lane, target)

    def awaits_gather(self, waiter, label):
        lane = self._task_lanes.get(waiter)
        if lane is not None:
            self.w.event(W.TASK_AWAITS, W.WAIT_GATHER, lane, label)

    def gathered(self, children):
        """The program's code called gather() and got a _GatheringFuture over `children`
        (its argument order, repeats included): each distinct recorded task joins `gather #N`,
        the label's string id returned."""
        self._gathers += 1
        label = self.w.string(f"gather #{self._gathers}")
        seen = set()
        lanes = self._task_lanes
        for child in children:
            lane = lanes.get(child)
            if lane is not None and lane not in seen:
                seen.add(lane)
                self.w.event(W.TASK_JOINED, W.JOIN_GATHER, lane, label)
        return label

    def joined_task_group(self, lane, group):
        """TaskGroup.create_task made the task on `lane`; nothing if the group has no lane."""
        inst = self._live.get(id(group))
        if inst is not None:
            self.w.event(W.TASK_JOINED, W.JOIN_TASK_GROUP, lane, inst.lane)

    def task_started(self, lane):
        self.w.event(W.TASK_STARTED, 0, lane)

    def task_finished(self, lane):
        self.w.event(W.TASK_ENDED, W.FINISHED, lane)

    def task_raised(self, lane, exc):
        eid = self.exception(exc, lane)
        self.w.event(W.HOP, W.ESCAPED, eid, lane)
        outcome = W.TASK_CANCELLED if _is_cancelled(exc) else W.FAILED
        self.w.event(W.TASK_ENDED, outcome, lane, eid)

    def task_thrown(self, lane, exc):
        """An exception is thrown into a task's coroutine (Task.__step with an exception)."""
        if id(exc) in self._exceptions:
            # Delivered from an awaited future (a gather, a task): it crosses into this task.
            eid = self.exception(exc, lane)
            self.w.event(W.HOP, W.PROPAGATED, eid, lane)
        else:
            origin = W.ORIGIN_CANCEL if _is_cancelled(exc) else W.ORIGIN_RUNTIME
            self.exception(exc, lane, origin)

    # --- exceptions ---------------------------------------------------------------------
    def _type_id(self, cls):
        tid = self._types.get(cls)
        if tid is None:
            base = -1
            for b in cls.__mro__[1:]:
                if isinstance(b, type) and issubclass(b, BaseException):
                    base = self._type_id(b)
                    break
            tid = self._types[cls] = self.w.type_(cls.__qualname__, base)
        return tid

    def exception(self, exc, lane=-1, origin=W.ORIGIN_RUNTIME):
        """The exception's id; an exception seen for the first time is recorded as raised
        (with `origin`) in `lane`. Chaining changes since it was written are written too."""
        entry = self._exceptions.get(id(exc))
        context, cause = exc.__context__, exc.__cause__
        if entry is None and self._generator_exit >= 0 and type(exc) is GeneratorExit:
            # The GeneratorExit aclose() threw, recorded when it was thrown.
            entry = self._exceptions[id(exc)] = [self._generator_exit, exc, -1, -1, False]
            self._generator_exit = -1
        if entry is None:
            ctx = self._known(context)
            cse = self._known(cause)
            members = []
            if isinstance(exc, BaseExceptionGroup):
                members = [self.exception(m, lane) for m in exc.exceptions]
            eid = self.w.exception(self._type_id(type(exc)), _safe_repr(exc), _safe_str(exc),
                                   exc.__suppress_context__, ctx, cse, members)
            self._exceptions[id(exc)] = [eid, exc, ctx, cse, exc.__suppress_context__]
            self.w.event(W.RAISED, origin, eid, lane)
            return eid
        eid = entry[0]
        ctx, cse = self._known(context), self._known(cause)
        if ctx != entry[2] or cse != entry[3] or exc.__suppress_context__ != entry[4]:
            entry[2], entry[3], entry[4] = ctx, cse, exc.__suppress_context__
            self.w.link(eid, exc.__suppress_context__, ctx, cse)
        return eid

    def synthetic(self, cls, lane, origin=W.ORIGIN_RUNTIME):
        """An exception Python makes inside C code, unseen (aclose()'s GeneratorExit)."""
        eid = self.w.exception(self._type_id(cls), f"{cls.__name__}()", "", False, -1, -1, [])
        self.w.event(W.RAISED, origin, eid, lane)
        if cls is GeneratorExit:
            self._generator_exit = eid
        return eid

    def is_known(self, exc):
        return id(exc) in self._exceptions

    def _known(self, exc):
        if exc is None:
            return -1
        entry = self._exceptions.get(id(exc))
        return entry[0] if entry is not None else -1

    def raising(self, exc, origin=W.ORIGIN_RAISE, frame=None):
        lane = self.current_lane()
        if frame is not None:
            self.at(frame)
        entry = self._exceptions.get(id(exc))
        if entry is None:
            self.exception(exc, lane, origin)
        else:
            self.w.event(W.RAISED, origin, entry[0], lane)

    def hop(self, exc, lane, action):
        eid = self.exception(exc, self.current_lane())
        self.w.event(W.HOP, action, eid, lane)

    def replaced(self, pending, exc, frame):
        """An except or finally body raised exc while pending was handled: a hop at the task's
        lane. Not in a recorded generator's own code: what leaves it is its scope's to report
        (contextlib's __aexit__ returning, docs/events.md)."""
        if id(frame) in self._generator_frames:
            return
        self.exception(exc, self.current_lane())
        self.hop(pending, self.current_lane(), W.REPLACED)

    def caught(self, exc, frame=None):
        if exc is not None:
            if frame is not None:
                self.hook_ran(frame)
                self.at(frame)
            self.hop(exc, self.current_lane(), W.CAUGHT)

    # --- output -------------------------------------------------------------------------
    def printed(self, text, frame=None):
        pid = self.w.print_(text)
        if frame is not None:
            self.at(frame)
        self.w.event(W.PRINTED, 0, self.current_lane() & 0xFFFFFFFF, pid)

    # --- resource instances -------------------------------------------------------------
    def new_instance(self, obj, name, args, kind, frame=None):
        group = self._groups.get(name)
        if group is None:
            group = self._groups[name] = self.w.group(name)
            self._instance_counts[name] = 0
        n = self._instance_counts[name] + 1
        self._instance_counts[name] = n
        lane = self.w.lane(1, f"{name}({args})", self.current_lane(), group, n)
        inst = Instance(lane, obj, kind)
        self._live[id(obj)] = inst
        self._simple_event(_ACQUIRE, lane, 0 if frame is None else self.where(frame))
        return inst

    def instance_of(self, obj):
        return self._live.get(id(obj))

    def entered(self, inst):
        inst.state = S_READY
        self._simple_event(_READY, inst.lane)

    def enter_failed(self, inst, exc):
        self.exception(exc, self.current_lane())
        self._end(inst, W.CANCELLED if _is_cancelled(exc) else W.FAILED_TO_ACQUIRE)

    def execute_began(self, inst):
        inst.state = S_EXECUTING
        self._simple_event(_EXECUTE, inst.lane)

    def execute_ended(self, inst):
        if inst.state == S_EXECUTING:
            inst.state = S_READY
            self._simple_event(_READY, inst.lane)

    def exit_began(self, inst, exc, frame=None):
        if exc is not None:
            self.exception(exc, self.current_lane())
        inst.state = S_RELEASING
        self._simple_event(_RELEASE, inst.lane, 0 if frame is None else self.where(frame))

    def exit_returned(self, inst, exc, result, skipped_cleanup=False):
        self._end(inst, W.NEVER_RELEASED if skipped_cleanup else W.RELEASED)
        if exc is not None:
            self.hop(exc, inst.lane, W.SUPPRESSED if result else W.PROPAGATED)

    def exit_raised(self, inst, exc, raised, origin=W.ORIGIN_RUNTIME, skipped_cleanup=False):
        lane = self.current_lane()
        if raised is exc:
            self._end(inst, W.NEVER_RELEASED if skipped_cleanup else W.RELEASED)
            self.hop(exc, inst.lane, W.PROPAGATED)
            return
        if id(raised) not in self._exceptions:
            members = raised.exceptions if (origin == W.ORIGIN_GROUP and isinstance(
                raised, BaseExceptionGroup)) else ()
            for m in members:
                self.exception(m, lane)
            self.exception(raised, lane, origin)
            for m in members:
                self.hop(m, inst.lane, W.GROUPED)
        # An __aexit__ cut short by a cancellation still ran: released (docs/events.md).
        self._end(inst, W.RELEASED)
        if exc is not None:
            self.hop(exc, inst.lane, W.REPLACED)

    def generator_frame(self, inst, frame):
        inst.frame_id = id(frame)
        self._generator_frames[inst.frame_id] = inst

    def _end(self, inst, state):
        inst.state = S_ENDED
        if inst.frame_id is not None:
            self._generator_frames.pop(inst.frame_id, None)
        self._live.pop(id(inst.obj), None)
        inst.obj = None
        self._simple_event(_ENDED[state], inst.lane)

    def finish(self):
        """The run is over: every instance still held was never released."""
        for inst in list(self._live.values()):
            self._end(inst, W.NEVER_RELEASED)

    # --- generators ---------------------------------------------------------------------
    def with_covers(self, code, offset):
        """Whether a (sync) `with` statement of the generator's own code encloses the yield at
        `offset`: its __exit__ is cleanup that runs for a thrown-in exception, and no hook of
        the rewrite sees it."""
        key = (code, offset)
        hit = self._handler_cache.get(key)
        if hit is None:
            hit = False
            try:
                table = dis._parse_exception_table(code)
            except Exception:
                table = []
            instructions = None
            for entry in table:
                if entry.start <= offset < entry.end:
                    if instructions is None:
                        instructions = list(dis.get_instructions(code))
                    following = [i.opname for i in instructions if i.offset >= entry.target][:3]
                    if "WITH_EXCEPT_START" in following:
                        hit = True
                        break
            self._handler_cache[key] = hit
        return hit

    # --- cleanup hooks ------------------------------------------------------------------
    def hook_ran(self, frame):
        """Code of the frame's own ran for an exception: a matching except clause, a finally
        body, an async with's exit (the rewrite's hooks)."""
        self.hook_seq += 1
        self._hook_hits[frame.f_code] = self.hook_seq

    def hook_ran_since(self, code, seq):
        return self._hook_hits.get(code, -1) > seq


def _safe_repr(exc):
    try:
        return repr(exc)
    except Exception:
        return f"<{type(exc).__qualname__} (repr failed)>"


def _safe_str(exc):
    try:
        return str(exc)
    except Exception:
        return ""


if sys.version_info < (3, 11):  # pragma: no cover - the tracer refuses to start before
    BaseExceptionGroup = BaseException  # noqa: F811
