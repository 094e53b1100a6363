# SPDX-License-Identifier: MIT
"""The hooks: where the traced program meets the Recorder. One module past 500 lines: its
wrappers are the program's only contact with the Recorder, installed together and sharing Api.

- every class of a traced file with __aenter__/__aexit__ gets wrapped methods (track_class, put
  on each class by the import-time rewrite), so whoever enters an instance is seen;
- contextlib's _AsyncGeneratorContextManager and asyncio's Lock, Semaphore, Condition,
  TaskGroup and Timeout are wrapped once; their instances are recorded when traced code
  enters them (or, for a generator, when its function is in a traced file);
- each task's coroutine is wrapped in a TaskCoroutine, which sees the task's first step, the
  exceptions thrown into it and how it ends (TracingLoop.create_task);
- print() is wrapped; raise statements and except clauses call raising/reraising/caught
  (rewrite.py puts the calls in).
The wrappers re-raise what they see unchanged; the runner drops their frames from the
tracebacks it prints.
"""

import asyncio
import asyncio.locks
import asyncio.taskgroups
import asyncio.timeouts
import builtins
import collections.abc
import contextlib
import functools
import inspect
import sys

from . import writer as W
from .recorder import S_READY, args_text

from threading import get_ident, main_thread

_KIND_CLASS, _KIND_GENERATOR, _KIND_LIBRARY = range(3)
# Only the main thread's event loops are recorded; other threads run untraced (a trace is one
# sequence of events, and the writer is not shared between threads).
_MAIN = main_thread().ident
_ASYNCIO_DIR = __import__("os").path.dirname(asyncio.__file__)
_WRAPPED = "__lifeline_wrapped__"
_TASK_GROUP_CREATE_TASK = asyncio.taskgroups.TaskGroup.create_task.__code__


class Api:
    """What the rewritten code calls, as the module global `__lifeline__`."""

    def __init__(self, recorder, is_traced_file):
        self.r = recorder
        self.is_traced_file = is_traced_file
        self._cause = None
        # Constructor arguments by id(object): every instance of a wrapped class passes through
        # __init__, which overwrites what a dead object at the same address left.
        self._args = {}
        self._method_codes = set()  # the code of every wrapped class's own functions
        self._scope_classes = set()  # classes scope() has seen

    # --- called from rewritten code -----------------------------------------------------
    def raising(self, exc, cause=None, has_cause=False):
        if isinstance(exc, type) and issubclass(exc, BaseException):
            exc = exc()
        if isinstance(exc, BaseException) and get_ident() == _MAIN:
            self.r.raising(exc, W.ORIGIN_RAISE, sys._getframe(1))
        if has_cause:
            self._cause = cause
        return exc

    def cause(self):
        cause, self._cause = self._cause, None
        return cause

    def reraising(self):
        exc = sys.exc_info()[1]
        if exc is not None and get_ident() == _MAIN:
            self.r.raising(exc, W.ORIGIN_RERAISE, sys._getframe(1))

    def caught(self):
        """An except clause matched; returns the exception it handles."""
        exc = sys.exc_info()[1]
        if get_ident() == _MAIN:
            self.r.caught(exc, sys._getframe(1))
        return exc

    @staticmethod
    def handled():
        return sys.exc_info()[1]

    def pending(self, outer):
        """In a finally body: the exception it interrupted, or None. One Python raised itself
        (an UnboundLocalError) is recorded here if nothing saw it before: on 3.11 this is the
        first moment the tracer can see it, and the finally may wait before it goes on."""
        exc = sys.exc_info()[1]
        if exc is outer:
            return None
        if exc is not None and get_ident() == _MAIN and not self.r.is_known(exc):
            self.r.exception(exc, self.r.current_lane())
        return exc

    def replaced(self, pending, exc):
        if pending is not None and exc is not pending and get_ident() == _MAIN:
            self.r.replaced(pending, exc, sys._getframe(1))

    def ran_cleanup(self):
        """A finally body of an async generator starts (its cleanup runs)."""
        if get_ident() == _MAIN:
            self.r.hook_ran(sys._getframe(1))

    def scope(self, cm):
        """Each `async with` item of traced code passes here: a context manager class seen for
        the first time (asyncio.Server, a client library's session) is wrapped as the standard
        library's are, so that this entry and later ones are recorded. Types that cannot be
        patched (written in C) are left as they are."""
        cls = type(cm)
        if cls not in self._scope_classes:
            self._scope_classes.add(cls)
            enter = getattr(cls, "__aenter__", None)
            if enter is not None and not getattr(enter, _WRAPPED, False):
                try:
                    self._wrap_class(cls, _KIND_LIBRARY)
                except (TypeError, AttributeError):
                    pass
        return cm

    def track_class(self, cls):
        if isinstance(cls, type) and hasattr(cls, "__aenter__") and hasattr(cls, "__aexit__"):
            self._wrap_class(cls, _KIND_CLASS)
        return cls

    # --- labels -------------------------------------------------------------------------
    def remember_args(self, obj, args, kwargs, name=None):
        self._args[id(obj)] = (args, kwargs, name)

    def args_of(self, obj):
        entry = self._args.get(id(obj))
        return args_text(entry[0], entry[1]) if entry is not None else ""

    def factory_of(self, obj):
        """The function that made obj, when it is not its class (asyncio.timeout)."""
        entry = self._args.get(id(obj))
        return entry[2] if entry is not None else None

    # --- wrapping -----------------------------------------------------------------------
    def _wrap_class(self, cls, kind):
        api = self
        for name, value in list(vars(cls).items()):
            if inspect.iscoroutinefunction(value):
                self._method_codes.add(value.__code__)
                if not name.startswith("__") and not getattr(value, _WRAPPED, False):
                    setattr(cls, name, self._execute_wrapper(value))
        init = cls.__init__
        # object.__init__ is left alone: a wrapper would make it refuse the arguments a class
        # with its own __new__ accepts (its arguments are then not known: `Name()`).
        if init is not object.__init__ and not getattr(init, _WRAPPED, False):
            remembered = self._args

            @functools.wraps(init)
            def __init__(self, *args, **kwargs):
                remembered[id(self)] = (args, kwargs, None)  # remember_args, without a call
                return init(self, *args, **kwargs)
            setattr(__init__, _WRAPPED, True)
            cls.__init__ = __init__
        enter, exit_ = cls.__aenter__, cls.__aexit__
        if kind == _KIND_CLASS:
            enter_wrapper, exit_wrapper = self._class_aenter_wrapper, self._class_aexit_wrapper
        else:
            enter_wrapper = functools.partial(self._aenter_wrapper, kind=kind)
            exit_wrapper = functools.partial(self._aexit_wrapper, kind=kind)
        if not getattr(enter, _WRAPPED, False):
            cls.__aenter__ = enter_wrapper(enter)
        if not getattr(exit_, _WRAPPED, False):
            cls.__aexit__ = exit_wrapper(exit_)

    def _records(self, obj, kind, caller_file):
        """Whether entering obj is recorded, and under which NAME(ARGS) (the lane rule of
        docs/events.md, "Lanes"): instances of traced classes always; a generator's when its
        function or the code entering it is traced; the standard library's when traced code
        enters them."""
        if kind == _KIND_GENERATOR:
            func = obj.func
            code = getattr(func, "__code__", None)
            if not (code and self.is_traced_file(code.co_filename)) and \
                    not self.is_traced_file(caller_file):
                return None
            args = obj.args
            # A method's generator (`pool.acquire()`): the receiver is not an argument.
            if args and code is not None and code.co_argcount and \
                    code.co_varnames[0] in ("self", "cls") and "." in func.__qualname__:
                args = args[1:]
            return func.__qualname__, args_text(args, obj.kwds)
        if kind == _KIND_LIBRARY:
            if not self.is_traced_file(caller_file):
                return None
            return self.factory_of(obj) or type(obj).__qualname__, self.args_of(obj)
        return type(obj).__qualname__, self.args_of(obj)

    def _aenter_wrapper(self, enter, kind):
        r = self.r
        api = self

        @functools.wraps(enter)
        async def __aenter__(self):
            if get_ident() != _MAIN:
                return await enter(self)
            caller = sys._getframe(1)
            label = api._records(self, kind, caller.f_code.co_filename)
            if label is None:
                return await enter(self)
            inst = r.new_instance(self, label[0], label[1], kind, caller)
            if kind == _KIND_GENERATOR:
                if not isinstance(self.gen, _GeneratorProxy):
                    self.gen = _GeneratorProxy(self.gen, r)
                if self.gen.ag_frame is not None:
                    r.generator_frame(inst, self.gen.ag_frame)
            try:
                value = await enter(self)
            except BaseException as e:
                r.enter_failed(inst, e)
                raise
            if kind == _KIND_GENERATOR:
                frame = self.gen.ag_frame
                if frame is not None:
                    inst.code, inst.yield_lasti = frame.f_code, frame.f_lasti
            r.entered(inst)
            return value
        setattr(__aenter__, _WRAPPED, True)
        return __aenter__

    # The program's own classes: the common case, and the one a program may run a hundred
    # thousand times, so its wrappers do only what a class instance needs (always recorded,
    # no generator frame, no library's exceptions to name).
    def _class_aenter_wrapper(self, enter):
        r = self.r
        remembered = self._args.get
        getframe = sys._getframe

        @functools.wraps(enter)
        async def __aenter__(self):
            if get_ident() != _MAIN:
                return await enter(self)
            entry = remembered(id(self))
            inst = r.new_instance(self, type(self).__qualname__,
                                  "" if entry is None else args_text(entry[0], entry[1]),
                                  _KIND_CLASS, getframe(1))
            try:
                value = await enter(self)
            except BaseException as e:
                r.enter_failed(inst, e)
                raise
            r.entered(inst)
            return value
        setattr(__aenter__, _WRAPPED, True)
        return __aenter__

    def _class_aexit_wrapper(self, exit_):
        r = self.r
        live = r.live_instances.get
        getframe = sys._getframe

        @functools.wraps(exit_)
        async def __aexit__(self, exc_type, exc, tb):
            inst = live(id(self)) if get_ident() == _MAIN else None
            if inst is None:
                return await exit_(self, exc_type, exc, tb)
            r.exit_began(inst, exc, getframe(1))
            try:
                result = await exit_(self, exc_type, exc, tb)
            except BaseException as raised:
                origin = W.ORIGIN_RUNTIME
                if isinstance(self, asyncio.taskgroups.TaskGroup) and \
                        isinstance(raised, BaseExceptionGroup):
                    origin = W.ORIGIN_GROUP
                r.exit_raised(inst, exc, raised, origin)
                raise
            r.exit_returned(inst, exc, result)
            return result
        setattr(__aexit__, _WRAPPED, True)
        return __aexit__

    def _aexit_wrapper(self, exit_, kind):
        r = self.r
        is_timeout = kind == _KIND_LIBRARY

        @functools.wraps(exit_)
        async def __aexit__(self, exc_type, exc, tb):
            inst = r.instance_of(self) if get_ident() == _MAIN else None
            if inst is None:
                return await exit_(self, exc_type, exc, tb)
            if kind == _KIND_GENERATOR:
                frame = self.gen.ag_frame
                if frame is not None:
                    inst.code, inst.yield_lasti = frame.f_code, frame.f_lasti
            r.exit_began(inst, exc, sys._getframe(1))
            seq = r.hook_seq
            try:
                result = await exit_(self, exc_type, exc, tb)
            except BaseException as raised:
                origin = W.ORIGIN_RUNTIME
                if is_timeout and isinstance(self, asyncio.timeouts.Timeout) and \
                        isinstance(raised, TimeoutError):
                    origin = W.ORIGIN_TIMEOUT
                elif isinstance(self, asyncio.taskgroups.TaskGroup) and \
                        isinstance(raised, BaseExceptionGroup):
                    origin = W.ORIGIN_GROUP
                r.exit_raised(inst, exc, raised, origin, _skipped(r, inst, exc, raised, seq))
                raise
            r.exit_returned(inst, exc, result,
                            _skipped(r, inst, exc, None if result else exc, seq))
            return result
        setattr(__aexit__, _WRAPPED, True)
        return __aexit__

    def _execute_wrapper(self, method):
        r = self.r
        codes = self._method_codes

        @functools.wraps(method)
        async def wrapper(self, *args, **kwargs):
            inst = r.instance_of(self) if get_ident() == _MAIN else None
            if inst is None or inst.state != S_READY or sys._getframe(1).f_code in codes:
                return await method(self, *args, **kwargs)
            r.execute_began(inst)
            try:
                return await method(self, *args, **kwargs)
            finally:
                r.execute_ended(inst)
        setattr(wrapper, _WRAPPED, True)
        return wrapper

    # --- the standard library -----------------------------------------------------------
    def install(self):
        self._wrap_class(contextlib._AsyncGeneratorContextManager, _KIND_GENERATOR)
        for cls in (asyncio.locks.Lock, asyncio.locks.Semaphore, asyncio.locks.BoundedSemaphore,
                    asyncio.locks.Condition, asyncio.taskgroups.TaskGroup,
                    contextlib.AsyncExitStack):
            self._wrap_library(cls)
        self._wrap_library(asyncio.timeouts.Timeout)
        api = self
        original_timeout, original_timeout_at = asyncio.timeouts.timeout, asyncio.timeouts.timeout_at

        @functools.wraps(original_timeout)
        def timeout(delay):
            cm = original_timeout(delay)
            api.remember_args(cm, (delay,), {}, "timeout")
            return cm

        @functools.wraps(original_timeout_at)
        def timeout_at(when):
            cm = original_timeout_at(when)
            api.remember_args(cm, (when,), {}, "timeout_at")
            return cm
        asyncio.timeout = asyncio.timeouts.timeout = timeout
        asyncio.timeout_at = asyncio.timeouts.timeout_at = timeout_at
        self._install_waits()
        original_print = builtins.print
        r = self.r

        @functools.wraps(original_print)
        def print(*args, sep=" ", end="\n", file=None, flush=False):
            if (file is None or file is sys.stdout) and get_ident() == _MAIN:
                if sep is None:
                    sep = " "
                text = sep.join(map(str, args))
                if file is None and sys.stdout is None:
                    return None
                r.printed(text, sys._getframe(1))
                return original_print(text, end=end, file=file, flush=flush)
            return original_print(*args, sep=sep, end=end, file=file, flush=flush)
        builtins.print = print

    def _wrap_library(self, cls):
        self._wrap_class(cls, _KIND_LIBRARY)

    def _install_waits(self):
        """asyncio.sleep and asyncio.gather called from traced code, and a task blocking on
        a gather's future (docs/events.md, "Waits and owners"). A task blocking on another task
        is CancelTrackingTask.add_done_callback's (cancels.py)."""
        r = self.r
        traced = self.is_traced_file
        getframe = sys._getframe
        original_sleep = asyncio.tasks.sleep

        @functools.wraps(original_sleep)
        def sleep(delay, result=None):
            # sleep(0) only yields to the loop, and a program may call it in its hottest loop:
            # the one comparison is all it costs.
            try:
                waits = delay > 0
            except TypeError:
                waits = False  # asyncio's own sleep raises it, once awaited, as it would
            if waits and get_ident() == _MAIN:
                caller = getframe(1)
                if traced(caller.f_code.co_filename):
                    r.awaits_sleep(delay, caller)
            return original_sleep(delay, result)
        # Still a coroutine function to whoever asks (a retry helper deciding whether to await
        # what it was given): inspect's mark on 3.12+, asyncio's own on 3.11, whose
        # inspect.iscoroutinefunction reads only the code's flags and says False.
        if hasattr(inspect, "markcoroutinefunction"):
            inspect.markcoroutinefunction(sleep)
        else:
            sleep._is_coroutine = asyncio.coroutines._is_coroutine
        asyncio.sleep = asyncio.tasks.sleep = sleep

        gathering = asyncio.tasks._GatheringFuture
        original_gather = asyncio.tasks.gather

        @functools.wraps(original_gather)
        def gather(*coros_or_futures, return_exceptions=False):
            outer = original_gather(*coros_or_futures, return_exceptions=return_exceptions)
            # gather() of nothing returns a plain future, done already: no `gather #N`.
            if type(outer) is gathering and get_ident() == _MAIN:
                caller = getframe(1)
                if traced(caller.f_code.co_filename):
                    outer._lifeline_gather = r.gathered(outer._children)
            return outer
        asyncio.gather = asyncio.tasks.gather = gather

        # _GatheringFuture is a Python subclass of the C Future, so a task's step that blocks
        # on one adds its wakeup through this method (the C fast path is for exact Futures).
        base_add = asyncio.futures.Future.add_done_callback
        gathering._lifeline_gather = None

        def add_done_callback(self, fn, *, context=None):
            label = self._lifeline_gather
            if label is not None and getattr(fn, "__name__", None) == "task_wakeup":
                r.awaits_gather(fn.__self__, label)
            return base_add(self, fn, context=context)
        gathering.add_done_callback = add_done_callback


def _skipped(recorder, inst, thrown, escaped, seq):
    """A generator whose yield let the thrown exception out without running any of its own
    code after the yield (no matching except clause, finally body, or exit of a with statement
    around the yield ran): its cleanup was skipped (never released)."""
    if inst.kind != _KIND_GENERATOR or thrown is None or escaped is not thrown:
        return False
    if inst.obj is None or inst.code is None or inst.yield_lasti is None:
        return False
    if recorder.hook_ran_since(inst.code, seq):
        return False
    return not recorder.with_covers(inst.code, inst.yield_lasti)


class _GeneratorProxy:
    """The generator as contextlib's manager sees it: aclose() is where contextlib 3.11.7
    closes a generator that yielded twice, while raising RuntimeError("generator didn't
    stop"); both exceptions are recorded there, where they are raised."""

    __slots__ = ("_gen", "_r")

    def __init__(self, gen, recorder):
        self._gen = gen
        self._r = recorder

    def __aiter__(self):
        return self

    def __anext__(self):
        return self._gen.__anext__()

    def asend(self, value):
        return self._gen.asend(value)

    def athrow(self, *args):
        return self._gen.athrow(*args)

    def aclose(self):
        r = self._r
        lane = r.current_lane()
        handled = sys.exc_info()[1]
        if handled is not None:
            r.exception(handled, lane)
        if self._gen.ag_frame is not None and self._gen.ag_frame.f_lasti >= 0:
            r.synthetic(GeneratorExit, lane)
        return self._gen.aclose()

    def __getattr__(self, name):
        return getattr(self._gen, name)


_NOT_STARTED, _IN_BODY, _FORWARDED = range(3)


async def _task_body(recorder, box, coro):
    """A task's coroutine as its TaskCoroutine runs it: each step reaches the program's
    coroutine through this frame's await, inside the interpreter, with no Python call per
    step (a Python send() on every step of every task cost a fifth of a traced run).
    box is [lane, how it runs: _NOT_STARTED, _IN_BODY or _FORWARDED]."""
    box[1] = _IN_BODY
    recorder.task_started(box[0])
    try:
        result = await coro
    except GeneratorExit:
        raise  # close(): the task is being discarded, not ending
    except BaseException as e:
        recorder.task_raised(box[0], e)
        raise
    recorder.task_finished(box[0])
    return result


class TaskCoroutine(collections.abc.Coroutine):
    """A task's coroutine as the task sees it: tells the recorder when the task first runs,
    what is thrown into it and how it ends. `send` is an instance slot holding _task_body's
    own send, which the task calls directly once it has started; throw() (a cancellation, an
    awaited future's exception) is rare and goes through Python. _task_body is made at the
    first step, so a task that never runs leaves no unawaited coroutine of the tracer's."""

    __slots__ = ("send", "_coro", "_body", "_box", "_r", "__weakref__")

    def __init__(self, coro, recorder):
        self._coro = coro
        self._r = recorder
        self._box = [-1, _NOT_STARTED]
        self._body = None
        self.send = self._first_send

    def _first_send(self, value):
        self._body = _task_body(self._r, self._box, self._coro)
        self.send = self._body.send
        return self._body.send(value)

    @property
    def _lane(self):
        return self._box[0]

    @_lane.setter
    def _lane(self, lane):
        self._box[0] = lane

    def throw(self, typ, val=None, tb=None):
        exc = typ if val is None else val
        if isinstance(exc, type):
            exc = exc()
        box = self._box
        if box[1] == _IN_BODY:
            self._r.task_thrown(box[0], exc)
            return self._body.throw(exc)
        if box[1] == _NOT_STARTED:
            # Thrown in before the first step (a task cancelled before it ran): the task
            # starts here, and its steps go to the program's coroutine from now on.
            box[1] = _FORWARDED
            self.send = self._send
            self._r.task_started(box[0])
        self._r.task_thrown(box[0], exc)
        return self._forward(self._coro.throw, exc)

    def _send(self, value):
        return self._forward(self._coro.send, value)

    def _forward(self, step, arg):
        """One step of the coroutine; its return or its exception ends the task."""
        try:
            return step(arg)
        except StopIteration:
            self._r.task_finished(self._box[0])
            raise
        except BaseException as e:
            self._r.task_raised(self._box[0], e)
            raise

    def close(self):
        if self._body is not None:
            self._body.close()
        return self._coro.close()

    def __await__(self):
        return self._coro.__await__()

    def __getattr__(self, name):
        return getattr(self._coro, name)

    def __repr__(self):
        return repr(self._coro)


class TracingLoopMixin:
    """create_task wraps the coroutine; close() ends the run's open instances; a wait for I/O
    first hands the recorded events to the operating system."""

    recorder = None
    trace_writer = None
    is_traced_file = staticmethod(lambda filename: False)

    def create_task(self, coro, *, name=None, context=None):
        r = self.recorder
        # Tasks of the program's own coroutines, or made by its code; not asyncio's own
        # (asyncio.run's shutdown_asyncgens, for one).
        if r is None or get_ident() != _MAIN or not inspect.iscoroutine(coro) or not (
                self.is_traced_file(coro.cr_code.co_filename)
                or self.is_traced_file(sys._getframe(1).f_code.co_filename)):
            return super().create_task(coro, name=name, context=context)
        if name is None:
            # asyncio.create_task and TaskGroup.create_task name the task only after the loop
            # made it (3.11): the name is already in their frame.
            caller = sys._getframe(1)
            if caller.f_code.co_name == "create_task" and \
                    caller.f_code.co_filename.startswith(_ASYNCIO_DIR):
                name = caller.f_locals.get("name")
        proxy = TaskCoroutine(coro, r)
        task = super().create_task(proxy, name=name, context=context)
        lane = proxy._lane = r.task_created(task, coro)
        caller = sys._getframe(1)
        if caller.f_code is _TASK_GROUP_CREATE_TASK:
            r.joined_task_group(lane, caller.f_locals.get("self"))
        return task

    def close(self):
        if self.recorder is not None and not self.is_closed() and get_ident() == _MAIN:
            self.recorder.finish()
        super().close()
