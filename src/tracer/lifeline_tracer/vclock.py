# SPDX-License-Identifier: MIT
"""The scenario format's virtual clock for asyncio (see docs/scenario-format.md, "Virtual clock").

Shared by the tracer (`lifeline trace --virtual-clock`) and the differential tests' oracle
(tests/python/vclock_runner.py). What is changed relative to a plain asyncio run, and why (each
is a choice the format makes):

1. The clock (VirtualClockLoop). Time is an integer number of milliseconds starting at 0;
   loop.time() returns it divided by 1000. Every timer (call_at/call_later, hence
   asyncio.sleep, asyncio.timeout and cancel_after) is stored due at its time rounded to the
   nearest whole millisecond. When nothing is ready, time jumps to the earliest timer that is
   not cancelled, without waiting.
2. Timer order. asyncio keeps timers in a heap ordered by `when` alone, which is not stable:
   two timers due at the same instant may fire in either order. The format says they fire in
   the order they were set, so each timer carries a sequence number that breaks ties.
3. `_run_once` is a faithful copy of BaseEventLoop._run_once (3.11.7) with two changes only:
   "is this timer due" uses the integer clock instead of `time() + clock_resolution`, and the
   wait in select() becomes a jump of the clock.
4. asyncio.all_tasks() (which asyncio.run uses to cancel what is left when main returns)
   returns the tasks that are not done in creation order (CPython: a WeakSet, whose order
   follows memory addresses).
5. TaskGroup._tasks is an insertion-ordered set, so a failing TaskGroup cancels its other
   tasks in the order they were created.
6. The loop's _asyncgens (what asyncio.run closes at the very end) is an insertion-ordered
   weak set, so still-open async generators are closed in first-iteration order.
"""

import asyncio
import asyncio.base_events
import asyncio.events
import asyncio.tasks
import asyncio.taskgroups
import heapq
import itertools
import weakref


class VirtualClock:
    """The one clock of a run; the stdout wrapper reads it for --timestamps."""

    def __init__(self):
        self.ms = 0


CLOCK = VirtualClock()


class InsertionOrderedSet:
    """The part of `set` that TaskGroup and asyncio.run use, iterating in insertion order."""

    def __init__(self, items=()):
        self._items = dict.fromkeys(items)

    def add(self, item):
        self._items[item] = None

    def discard(self, item):
        self._items.pop(item, None)

    def remove(self, item):
        del self._items[item]

    def __contains__(self, item):
        return item in self._items

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return f"InsertionOrderedSet({list(self._items)!r})"


class InsertionOrderedWeakSet:
    """weakref.WeakSet as the loop uses it for _asyncgens, iterating in insertion order."""

    def __init__(self):
        self._refs = {}

        def forget(ref, selfref=weakref.ref(self)):
            owner = selfref()
            if owner is not None:
                owner._refs.pop(ref, None)

        self._forget = forget

    def add(self, item):
        self._refs[weakref.ref(item, self._forget)] = None

    def discard(self, item):
        try:
            self._refs.pop(weakref.ref(item), None)
        except TypeError:
            pass

    def clear(self):
        self._refs.clear()

    def __contains__(self, item):
        try:
            return weakref.ref(item) in self._refs
        except TypeError:
            return False

    def __iter__(self):
        for ref in list(self._refs):
            item = ref()
            if item is not None:
                yield item

    def __len__(self):
        return sum(1 for ref in self._refs if ref() is not None)


class VirtualTimerHandle(asyncio.TimerHandle):
    """A timer due at a whole virtual millisecond, ordered by (due ms, sequence)."""

    __slots__ = ("_ms", "_seq")

    def __init__(self, ms, seq, callback, args, loop, context=None):
        super().__init__(ms / 1000, callback, args, loop, context)
        self._ms = ms
        self._seq = seq

    def _key(self):
        return (self._ms, self._seq)

    def __hash__(self):
        return hash(self._key())

    def __lt__(self, other):
        if isinstance(other, VirtualTimerHandle):
            return self._key() < other._key()
        return NotImplemented

    def __le__(self, other):
        if isinstance(other, VirtualTimerHandle):
            return self._key() <= other._key()
        return NotImplemented

    def __gt__(self, other):
        if isinstance(other, VirtualTimerHandle):
            return self._key() > other._key()
        return NotImplemented

    def __ge__(self, other):
        if isinstance(other, VirtualTimerHandle):
            return self._key() >= other._key()
        return NotImplemented


class Deadlock(Exception):
    """Nothing is ready and no timer is set: a real loop would wait forever."""


class VirtualClockLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        super().__init__()
        CLOCK.ms = 0
        self._timer_seq = itertools.count()
        self._task_seq = itertools.count()
        self._task_order = weakref.WeakKeyDictionary()
        self._asyncgens = InsertionOrderedWeakSet()
        self.set_debug(False)

    def time(self):
        return CLOCK.ms / 1000

    def call_at(self, when, callback, *args, context=None):
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        ms = round(when * 1000)
        timer = VirtualTimerHandle(ms, next(self._timer_seq), callback, args, self, context)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def create_task(self, coro, *, name=None, context=None):
        task = super().create_task(coro, name=name, context=context)
        self._task_order[task] = next(self._task_seq)
        return task

    def tasks_in_creation_order(self, tasks):
        order = self._task_order
        return sorted(tasks, key=lambda t: order.get(t, -1))

    def _run_once(self):
        # A copy of BaseEventLoop._run_once (CPython 3.11.7); see point 3 of the module doc.
        base = asyncio.base_events
        sched_count = len(self._scheduled)
        if (sched_count > base._MIN_SCHEDULED_TIMER_HANDLES and
                self._timer_cancelled_count / sched_count >
                base._MIN_CANCELLED_TIMER_HANDLES_FRACTION):
            new_scheduled = []
            for handle in self._scheduled:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    new_scheduled.append(handle)
            heapq.heapify(new_scheduled)
            self._scheduled = new_scheduled
            self._timer_cancelled_count = 0
        else:
            while self._scheduled and self._scheduled[0]._cancelled:
                self._timer_cancelled_count -= 1
                handle = heapq.heappop(self._scheduled)
                handle._scheduled = False

        if not self._ready and not self._stopping:
            if self._scheduled:
                # Where the original waits in select() until the first timer, jump to it.
                CLOCK.ms = max(CLOCK.ms, self._scheduled[0]._ms)
            else:
                raise Deadlock("nothing is ready and no timer is set")

        event_list = self._selector.select(0)
        self._process_events(event_list)
        event_list = None

        while self._scheduled:
            handle = self._scheduled[0]
            if handle._ms > CLOCK.ms:
                break
            handle = heapq.heappop(self._scheduled)
            handle._scheduled = False
            self._ready.append(handle)

        ntodo = len(self._ready)
        for i in range(ntodo):
            handle = self._ready.popleft()
            if handle._cancelled:
                continue
            handle._run()
        handle = None


class VirtualClockPolicy(asyncio.DefaultEventLoopPolicy):
    _loop_factory = VirtualClockLoop


_original_all_tasks = asyncio.tasks.all_tasks


def all_tasks_in_creation_order(loop=None):
    if loop is None:
        loop = asyncio.events.get_running_loop()
    tasks = _original_all_tasks(loop)
    if isinstance(loop, VirtualClockLoop):
        return InsertionOrderedSet(loop.tasks_in_creation_order(tasks))
    return tasks


_original_taskgroup_init = asyncio.taskgroups.TaskGroup.__init__


def taskgroup_init_ordered(self, *args, **kwargs):
    _original_taskgroup_init(self, *args, **kwargs)
    self._tasks = InsertionOrderedSet()


def install_ordering():
    """asyncio.all_tasks and TaskGroup keep creation order (points 4 and 5 above)."""
    asyncio.tasks.all_tasks = all_tasks_in_creation_order
    asyncio.all_tasks = all_tasks_in_creation_order
    if getattr(asyncio.taskgroups.TaskGroup.__init__, "__wrapped__", None) is None and \
            asyncio.taskgroups.TaskGroup.__init__ is _original_taskgroup_init:
        asyncio.taskgroups.TaskGroup.__init__ = taskgroup_init_ordered


def install(loop_class=VirtualClockLoop):
    """Every new event loop runs on the virtual clock (loop_class: VirtualClockLoop or a subclass)."""
    install_ordering()
    policy = VirtualClockPolicy()
    policy._loop_factory = loop_class
    asyncio.set_event_loop_policy(policy)
