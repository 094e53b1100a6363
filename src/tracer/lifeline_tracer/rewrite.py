# SPDX-License-Identifier: MIT
"""The import-time rewrite of traced files (as pytest rewrites asserts).

Four changes, each keeping the line numbers of the statement it touches, so tracebacks and
the code view show the program's own lines:
- every class gets `@__lifeline__.track_class` (innermost), which wraps __aenter__/__aexit__
  when the class has them;
- each `async with` item becomes `__lifeline__.scope(EXPR)`, which wraps a library's context
  manager class the first time traced code enters one;
- `raise X` becomes `raise __lifeline__.raising(X)` (`raise X from Y` keeps its cause through
  __lifeline__.cause()), and a bare `raise` is preceded by `__lifeline__.reraising()`;
- every except clause starts with `_lifeline_N = __lifeline__.caught()`, and an exception that
  leaves its body other than the caught one is reported with `__lifeline__.replaced()`; a
  finally body reports likewise an exception that replaces the one it interrupted (what was
  handled before the try statement is kept in `_lifeline_N` to tell them apart); every finally
  body of an async generator starts with `__lifeline__.ran_cleanup()`.
Nothing is added on a hot path: a loop with no raise, except or class runs as written.
"""

import ast
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

API_NAME = "__lifeline__"


def _api(attr, node):
    return ast.copy_location(
        ast.Attribute(value=ast.copy_location(ast.Name(id=API_NAME, ctx=ast.Load()), node),
                      attr=attr, ctx=ast.Load()), node)


def _call(attr, node, args=()):
    return ast.copy_location(ast.Call(func=_api(attr, node), args=list(args), keywords=[]), node)


def _is_async_generator(node):
    """Whether an async def yields in its own body (not in a nested function)."""
    stack = list(node.body)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return False


class _Rewriter(ast.NodeTransformer):
    def __init__(self):
        self._in_generator = [False]
        # Whether the code being rewritten is a function's: only there may the rewrite add
        # local variables (in a module or class body they would be globals or attributes).
        self._in_function = [False]
        self._counter = 0  # numbers the rewrite's own local variables (_lifeline_N)

    def visit_FunctionDef(self, node):
        self._in_generator.append(False)
        self._in_function.append(True)
        self.generic_visit(node)
        self._in_function.pop()
        self._in_generator.pop()
        return node

    visit_Lambda = visit_FunctionDef

    def visit_AsyncFunctionDef(self, node):
        self._in_generator.append(_is_async_generator(node))
        self._in_function.append(True)
        self.generic_visit(node)
        self._in_function.pop()
        self._in_generator.pop()
        return node

    def visit_ClassDef(self, node):
        self._in_function.append(False)
        self.generic_visit(node)
        self._in_function.pop()
        node.decorator_list.append(_api("track_class", node))
        return node

    def visit_AsyncWith(self, node):
        self.generic_visit(node)
        for item in node.items:
            item.context_expr = _call("scope", item.context_expr, [item.context_expr])
        return node

    def visit_Raise(self, node):
        if node.exc is None:
            before = ast.copy_location(ast.Expr(value=_call("reraising", node)), node)
            return [before, node]
        if node.cause is None:
            node.exc = _call("raising", node.exc, [self.visit(node.exc)])
        else:
            cause = self.visit(node.cause)
            node.exc = _call("raising", node.exc, [
                self.visit(node.exc), cause, ast.copy_location(ast.Constant(True), node)])
            node.cause = _call("cause", node)
        return node

    def _name(self, node, store):
        return ast.copy_location(ast.Name(id=f"_lifeline_{self._counter}",
                                          ctx=ast.Store() if store else ast.Load()), node)

    def _replacing(self, body, pending, node):
        """body wrapped so that an exception leaving it other than `pending` is recorded as
        replacing pending: `try: body / except BaseException as x: replaced(pending, x);
        raise` (the bare raise adds no traceback entry and changes no chaining)."""
        self._counter += 1
        caught = self._name(node, True)
        handler = ast.copy_location(ast.ExceptHandler(
            type=ast.copy_location(ast.Name(id="BaseException", ctx=ast.Load()), node),
            name=caught.id,
            body=[ast.copy_location(ast.Expr(value=_call("replaced", node, [
                      pending, self._name(node, False)])), node),
                  ast.copy_location(ast.Raise(exc=None, cause=None), node)]), node)
        return [ast.copy_location(ast.Try(body=body, handlers=[handler], orelse=[],
                                          finalbody=[]), node)]

    def _handlers(self, node):
        self.generic_visit(node)
        if not self._in_function[-1]:
            # Module or class level: report the catch, add no names.
            for handler in node.handlers:
                first = handler.body[0] if handler.body else handler
                handler.body.insert(0, ast.copy_location(
                    ast.Expr(value=_call("caught", first)), first))
            return node
        starstar = isinstance(node, getattr(ast, "TryStar", ()))
        for handler in node.handlers:
            first = handler.body[0] if handler.body else handler
            self._counter += 1
            handled = self._name(first, True)
            caught = ast.copy_location(ast.Assign(targets=[handled],
                                                  value=_call("caught", first)), first)
            if starstar:
                handler.body.insert(0, caught)
            else:
                pending = self._name(first, False)
                handler.body = [caught] + self._replacing(handler.body, pending, first)
        before = []
        if node.finalbody:
            first = node.finalbody[0]
            self._counter += 1
            # What is being handled around the try statement: in the finally body, any other
            # exception being handled is the one the finally interrupts.
            outer = self._name(node, True)
            before.append(ast.copy_location(ast.Assign(targets=[outer],
                                                       value=_call("handled", node)), node))
            outer_value = self._name(node, False)
            self._counter += 1
            pending = ast.copy_location(ast.Assign(targets=[self._name(first, True)], value=_call(
                "pending", first, [outer_value])), first)
            final = [pending] + self._replacing(node.finalbody, self._name(first, False), first)
            if self._in_generator[-1]:
                # An async generator's cleanup: whether it ran decides "never released".
                final.insert(0, ast.copy_location(
                    ast.Expr(value=_call("ran_cleanup", first)), first))
            node.finalbody = final
        return before + [node]

    visit_Try = _handlers
    visit_TryStar = _handlers


def rewrite(tree):
    tree = _Rewriter().visit(tree)
    ast.fix_missing_locations(tree)
    return tree


def compile_traced(source, path):
    tree = ast.parse(source, filename=path)
    return compile(rewrite(tree), path, "exec", dont_inherit=True)


class TracedLoader(importlib.machinery.SourceFileLoader):
    """Loads a traced module from its source, rewritten (never from or to a .pyc)."""

    api = None
    on_source = None  # called with (path, text) for each traced file loaded (a plain function)

    def get_code(self, fullname):
        path = self.get_filename(fullname)
        data = self.get_data(path)
        source = importlib.util.decode_source(data)
        if TracedLoader.on_source is not None:
            TracedLoader.on_source(path, source)
        return compile_traced(source, path)

    def exec_module(self, module):
        module.__dict__[API_NAME] = self.api
        super().exec_module(module)


class TracedFinder(importlib.abc.MetaPathFinder):
    """Finds modules as the path finder does and loads those in traced files rewritten."""

    def __init__(self, is_traced_file):
        self.is_traced_file = is_traced_file

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            return None
        if not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        if not self.is_traced_file(spec.origin):
            return None
        spec.loader = TracedLoader(fullname, spec.origin)
        return spec


class TracedFiles:
    """Which files are the program's own: under its directory (or --include'd packages),
    never the standard library, installed packages or the tracer, minus --exclude."""

    def __init__(self, roots, excludes, tracer_dir):
        norm = lambda p: os.path.normcase(os.path.abspath(p))  # noqa: E731
        self._roots = [norm(r) + os.sep for r in roots]
        self._excludes = [norm(e) for e in excludes]
        library = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        import sysconfig
        for key in ("stdlib", "platstdlib", "purelib", "platlib"):
            try:
                library.add(sysconfig.get_paths()[key])
            except KeyError:
                pass
        import site
        for p in getattr(site, "getsitepackages", lambda: [])() + [site.getusersitepackages()]:
            library.add(p)
        self._library = [norm(p) + os.sep for p in library if p]
        self._tracer = norm(tracer_dir) + os.sep
        self._cache = {}

    def add_root(self, path):
        self._roots.append(os.path.normcase(os.path.abspath(path)) + os.sep)
        self._cache.clear()

    def __call__(self, filename):
        hit = self._cache.get(filename)
        if hit is None:
            hit = self._decide(filename)
            self._cache[filename] = hit
        return hit

    def _decide(self, filename):
        if not filename or filename.startswith("<"):
            return False
        path = os.path.normcase(os.path.abspath(filename))
        if path.startswith(self._tracer):
            return False
        for e in self._excludes:
            if path == e or path.startswith(e + os.sep):
                return False
        for root in self._roots:
            if path.startswith(root):
                # A virtualenv or site-packages inside the program's folder is still a library.
                if any(path.startswith(lib) and len(lib) > len(root) for lib in self._library):
                    return False
                if os.sep + "site-packages" + os.sep in path[len(root) - 1:]:
                    return False
                return True
        return False
