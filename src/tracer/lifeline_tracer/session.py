# SPDX-License-Identifier: MIT
"""One traced run: sets up the writer, the recorder and the hooks, runs the program, ends it."""

import asyncio
import json
import os
import signal
import sys
import threading
import time
import traceback
import types

from . import VERSION
from . import writer as W
from .cancels import CancelTrackingMixin
from .hooks import Api, TracingLoopMixin
from .recorder import Recorder
from .rewrite import API_NAME, TracedFiles, TracedFinder, TracedLoader, compile_traced

TRACER_DIR = os.path.dirname(os.path.abspath(__file__))
_MAIN = threading.main_thread().ident
_STDLIB = os.path.dirname(os.__file__) + os.sep
LIVE_FLUSH_NS = 40_000_000  # live traces reach the window within 100 ms


def _make_loop_class(base, writer, recorder, live):
    class TracingLoop(TracingLoopMixin, CancelTrackingMixin, base):
        pass
    TracingLoop.recorder = recorder
    TracingLoop.trace_writer = writer
    TracingLoop.is_traced_file = staticmethod(recorder.is_traced_file)
    if not live:
        return TracingLoop

    class LiveTracingLoop(TracingLoop):
        def _run_once(self):
            # A busy loop still hands its events over every few tens of milliseconds.
            if writer.pending() and writer.now_ns() - writer.flushed_at > LIVE_FLUSH_NS \
                    and threading.get_ident() == _MAIN:
                writer.flush()
                writer.flushed_at = writer.now_ns()
            super()._run_once()
    return LiveTracingLoop


class _FlushingSelector:
    """The loop's selector: every wait for I/O or a timer first hands the events over."""

    def __init__(self, selector, writer):
        self._selector = selector
        self._writer = writer

    def select(self, timeout=None):
        # Only the main thread writes (a thread's own event loop waits here too).
        if (timeout is None or timeout > 0) and threading.get_ident() == _MAIN:
            self._writer.flush()
            self._writer.flushed_at = self._writer.now_ns()
        return self._selector.select(timeout)

    def __getattr__(self, name):
        return getattr(self._selector, name)


def _is_own_frame(filename):
    return filename.startswith(TRACER_DIR) or filename.endswith(os.sep + "runpy.py") \
        or filename == "<frozen runpy>"


def _filter_traceback(exc):
    """The TracebackException Python would print: without the tracer's or runpy's frames, nor
    the standard library's frames the tracer called before the program's first one (a
    program that does not compile has no frame at all)."""
    te = traceback.TracebackException.from_exception(exc)
    first = te.stack
    start = 0
    while start < len(first) and (_is_own_frame(first[start].filename)
                                  or first[start].filename.startswith(_STDLIB)):
        start += 1
    te.stack = traceback.StackSummary.from_list(list(first)[start:])
    seen = set()
    stack = [te]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        frames = [f for f in t.stack if not _is_own_frame(f.filename)]
        t.stack = traceback.StackSummary.from_list(frames)
        for nxt in (t.__cause__, t.__context__):
            if nxt is not None:
                stack.append(nxt)
        stack.extend(getattr(t, "exceptions", None) or [])
    return te


def run(opts):
    virtual = opts["virtual"]
    if virtual:
        from . import vclock
        clock, origin = (lambda: vclock.CLOCK.ms * 1_000_000), 0  # noqa: E731
    else:
        clock, origin = time.monotonic_ns, time.monotonic_ns()
    try:
        writer = W.TraceWriter(opts["out"], clock, origin)
    except OSError as e:
        print(f"lifeline trace: {opts['out']}: cannot write: {e.strerror}", file=sys.stderr)
        return 125
    writer.flushed_at = 0

    module = opts.get("module")
    if module:
        root = os.getcwd()
        program_desc = f"-m {module}"
    else:
        program = opts["program"]
        path = os.path.abspath(program)
        root = os.path.dirname(path)
        program_desc = program
    writer.meta("python", sys.version)
    writer.meta("program", program_desc)
    writer.meta("argv", json.dumps(opts["args"]))
    writer.meta("clock", "virtual" if virtual else "real")
    writer.meta("tracer", VERSION)

    traced = TracedFiles([root], opts["exclude"], TRACER_DIR)
    import importlib.util
    for pkg in opts["include"]:
        try:
            spec = importlib.util.find_spec(pkg)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            print(f"lifeline trace: --include {pkg}: no such package", file=sys.stderr)
            continue
        for loc in (spec.submodule_search_locations or [os.path.dirname(spec.origin or "")]):
            traced.add_root(loc)

    recorder = Recorder(writer)
    recorder.is_traced_file = traced
    api = Api(recorder, traced)
    if virtual:
        # The virtual clock replaces TaskGroup.__init__; the hooks wrap the replacement.
        from . import vclock
        vclock.install_ordering()
    api.install()
    sources = {}

    recorder.sources = sources

    def on_source(p, text):
        if p not in sources:
            sources[p] = writer.source(p, text)
    TracedLoader.api = api
    TracedLoader.on_source = on_source
    sys.meta_path.insert(0, TracedFinder(traced))

    _watch_raises(recorder, traced)
    base = asyncio.SelectorEventLoop
    if virtual:
        from . import vclock
        base = vclock.VirtualClockLoop
    loop_class = _make_loop_class(base, writer, recorder, opts["live"])
    original_init = loop_class.__init__

    def init(self, *a, **k):
        original_init(self, *a, **k)
        self._selector = _FlushingSelector(self._selector, writer)
    loop_class.__init__ = init
    if virtual:
        vclock.install(loop_class)
    else:
        policy = asyncio.DefaultEventLoopPolicy()
        policy._loop_factory = loop_class
        asyncio.set_event_loop_policy(policy)

    real_exit = os._exit

    def _exit(status):
        _finish(recorder, writer)
        real_exit(status)
    os._exit = _exit

    status = 0
    interrupted = False
    try:
        if module:
            sys.argv = [module] + opts["args"]
            sys.path[0] = root
            _run_module(module, api)
        else:
            sys.argv = [program] + opts["args"]
            sys.path[0] = root
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as e:
                # As the interpreter says it, named as it was invoked.
                name = (getattr(sys, "orig_argv", None) or [sys.executable])[0]
                print(f"{name}: can't open file {path!r}: [Errno {e.errno}] "
                      f"{e.strerror}", file=sys.stderr)
                status = 2
            else:
                _run_script(path, data, api, on_source)
    except SystemExit as e:
        status = _exit_status(e.code)
    except KeyboardInterrupt as e:
        _print_exception(e)
        interrupted = True
        status = 130
    except BaseException as e:
        _print_exception(e)
        status = 1
    finally:
        _finish(recorder, writer)
    try:
        sys.stdout.flush()
    except Exception:
        pass
    if interrupted:
        # As CPython does for an uncaught KeyboardInterrupt: die of the signal itself.
        writer.close()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return status


def _watch_raises(recorder, traced):
    """3.12+: exceptions Python itself raises in traced code (a KeyError, an
    UnboundLocalError) are recorded where they are raised, through sys.monitoring's RAISE
    event; on 3.11 they are recorded where the tracer first sees them (a scope's __aexit__,
    an except clause, the task's end), which is the same place unless events come between."""
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return
    tool = monitoring.PROFILER_ID
    try:
        monitoring.use_tool_id(tool, "lifeline")
    except ValueError:
        return  # another profiler holds the id: keep 3.11's behaviour
    main_ident = __import__("threading").main_thread().ident
    get_ident = __import__("threading").get_ident

    def on_raise(code, offset, exc):
        # StopIteration and StopAsyncIteration carry a coroutine's or iterator's return value
        # (an await of a gather raises one in C); they are no program's failure.
        if type(exc) in _PROTOCOL_EXCEPTIONS:
            return
        if traced(code.co_filename) and get_ident() == main_ident and \
                not recorder.is_known(exc):
            recorder.exception(exc, recorder.current_lane(), W.ORIGIN_RUNTIME)
    monitoring.register_callback(tool, monitoring.events.RAISE, on_raise)
    monitoring.set_events(tool, monitoring.events.RAISE)


_PROTOCOL_EXCEPTIONS = (StopIteration, StopAsyncIteration, GeneratorExit)


def _finish(recorder, writer):
    try:
        recorder.finish()
    finally:
        writer.flush()


def _exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _print_exception(exc):
    try:
        sys.stdout.flush()
    except Exception:
        pass
    te = _filter_traceback(exc)
    print("".join(te.format()), end="", file=sys.stderr)


def _run_script(path, data, api, on_source):
    import importlib.machinery
    import importlib.util
    source = importlib.util.decode_source(data)
    on_source(path, source)
    code = compile_traced(source, path)
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    main.__spec__ = None
    main.__builtins__ = __builtins__
    main.__dict__[API_NAME] = api
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _run_module(name, api):
    import runpy
    runpy.run_module(name, run_name="__main__", alter_sys=True,
                     init_globals={API_NAME: api})
