# SPDX-License-Identifier: MIT
"""Why a task was cancelled: the CancelRequested events of docs/events.md ("Cancellations").

A tracing loop makes its tasks as CancelTrackingTask, asyncio.Task with cancel() overridden:
a call on a task that is not done records its cause, then asyncio's own cancel() runs. The
cause is read from who called: asyncio's timeouts (a deadline), taskgroups (a failing sibling,
or the group aborting in __aexit__), runners (asyncio.run's shutdown), another task's cancel()
reaching the task or gather it awaits, or else the program (the running task, or none). Python
only: asyncio's C Task calls cancel() on what it awaits through the method, so the override sees
those calls too.
"""

import asyncio
import os
import sys
from threading import get_ident, main_thread

from . import writer as W

_MAIN = main_thread().ident
_ASYNCIO_DIR = os.path.dirname(asyncio.__file__)
_cancelling = []  # tasks whose cancel() is running: a cancel() made inside is their awaiter's


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def _cause(r, task, caller):
    """(CancelCause, lane) of a cancel() that `caller` made on `task`."""
    if _cancelling:
        return W.CAUSE_AWAITER, r.task_lane(_cancelling[-1])
    code = caller.f_code
    if code.co_filename.startswith(_ASYNCIO_DIR):
        name = code.co_name
        if name == "_on_timeout":
            return W.CAUSE_DEADLINE, r.instance_lane(caller.f_locals.get("self"))
        if name == "_abort":
            up = caller.f_back
            if up is not None and up.f_code.co_name == "_on_task_done":
                return W.CAUSE_SIBLING, r.task_lane(up.f_locals.get("task"))
            return W.CAUSE_GROUP_EXIT, r.instance_lane(caller.f_locals.get("self"))
        if name == "_on_task_done":
            return W.CAUSE_SIBLING, r.task_lane(caller.f_locals.get("task"))
        if name == "_cancel_all_tasks":
            return W.CAUSE_SHUTDOWN, -1
        if name == "cancel":  # a _GatheringFuture's: the awaiting task's step cancels it
            current = _current_task()
            if current is not None and getattr(current, "_fut_waiter", None) is \
                    caller.f_locals.get("self"):
                return W.CAUSE_AWAITER, r.task_lane(current)
    current = _current_task()
    # A task cancelled during its own step, then awaiting `task`: its step cancels it.
    if current is not None and getattr(current, "_fut_waiter", None) is task and \
            getattr(current, "_must_cancel", False):
        return W.CAUSE_AWAITER, r.task_lane(current)
    return W.CAUSE_CALL, r.task_lane(current)


_add_done_callback = asyncio.Task.add_done_callback


class CancelTrackingTask(asyncio.Task):
    # Also what a task blocks on: a task's step that awaits this one adds its wakeup here. Being
    # a subclass, this task is not an exact Task, so C's Task.__step calls this method through
    # Python instead of adding the wakeup in C (3.11 to 3.13 alike).
    def add_done_callback(self, fn, *, context=None):
        if getattr(fn, "__name__", None) == "task_wakeup":
            r = getattr(self.get_loop(), "recorder", None)
            if r is not None and get_ident() == _MAIN:
                r.awaits_task(fn.__self__, self)
        return _add_done_callback(self, fn, context=context)

    def cancel(self, msg=None):
        if self.done():
            return False
        r = getattr(self.get_loop(), "recorder", None)
        if r is not None and get_ident() == _MAIN:
            cause, by = _cause(r, self, sys._getframe(1))
            r.cancel_requested(self, cause, by)
        _cancelling.append(self)
        try:
            return super().cancel(msg)
        finally:
            _cancelling.pop()


def _make_task(loop, coro, context=None):
    task = CancelTrackingTask(coro, loop=loop, context=context)
    task.default_name = task.get_name()
    return task


class CancelTrackingMixin:
    """create_task makes a CancelTrackingTask, unless the program set a task factory of its
    own: its tasks' cancellations are not recorded."""

    def create_task(self, coro, *, name=None, context=None):
        if self._task_factory is not None:
            return super().create_task(coro, name=name, context=context)
        # BaseEventLoop.create_task with a factory for this one call: the rest of what it
        # does (naming, a subclass's bookkeeping such as the virtual clock's order) stays.
        self._task_factory = _make_task
        try:
            task = super().create_task(coro, name=name, context=context)
        finally:
            self._task_factory = None
        if name is None and sys.version_info >= (3, 13):
            # 3.13's create_task names a factory's task with set_name(name) even when name is
            # None ("None"); without a factory the task keeps asyncio's own "Task-N".
            task.set_name(task.default_name)
        return task
