#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate random, valid format-v1 scenarios for the differential test.

    python3 gen_scenarios.py --seed S --count N --out DIR [--coverage]

Writes DIR/scenario-<S>-<i>.json for i in 0..N-1. Scenario i depends only on (S, i), so a
mismatch found in a batch can be regenerated alone. Every scenario obeys every rule of the
scenario format (names, templates, execute bindings, reraise and {exc} placement, nesting
limits, no ExceptionGroup raised); together a few hundred of them use every construct and
option of the format. Scenarios are small (about 40 steps at most) and their virtual time is
modest, and failures, cancellations and suppression are deliberately frequent.

--coverage prints the features that no generated scenario used and exits 1 if there are any.
Standard library only. One file past 500 lines: a generator of one grammar whose parts share
the random state, the names in scope and the nesting budget.
"""

import argparse
import builtins
import json
import keyword
import os
import random
import sys

MAX_LEVEL = 10      # "Blocks nest at most 10 deep within one function"
MAX_STEPS = 40

BUILTIN_EXCEPTIONS = [
    "BaseException", "Exception", "ArithmeticError", "ZeroDivisionError", "LookupError",
    "KeyError", "IndexError", "ValueError", "TypeError", "RuntimeError", "NotImplementedError",
    "OSError", "ConnectionError", "ConnectionResetError", "ConnectionRefusedError",
    "TimeoutError", "PermissionError", "AssertionError", "NameError", "UnboundLocalError",
    "ExceptionGroup", "CancelledError",
]
# Which built-ins derive from ExceptionGroup (never raisable) or are BaseException-only.
GROUP_BUILTINS = {"ExceptionGroup"}

RESOURCE_IDS = ["db", "gpu", "cache", "conn", "session", "stream", "queue", "bus", "store",
                "sock", "client", "lease", "ledger", "mutex", "channel"]
ODD_NAMES = ["main", "tg", "e", "result", "asynccontextmanager", "task", "loop", "self"]
AS_NAMES = ["c", "h", "r1", "r2", "handle", "res", "link", "slot_a"]
CLASS_NAMES = ["AsyncDatabaseConnection", "GpuLease", "CacheClient", "StreamHandle",
               "PoolSlot"]
EXCEPTION_NAMES = ["QueryError", "PoolExhausted", "AppError", "RetryableError", "FatalError",
                   "LeaseLost", "GroupFailure", "HardStop", "DeepError"]
WORDS = ["start", "done", "Using", "step", "ready", "releasing", "query", "ok", "tick",
         "bye", "worker", "état", "naïve", "日本", "quote's", 'say "hi"', "back\\slash",
         "50%", "tab\there", "a;b", "x=1", "emoji 😀"]
ARGS = ["postgresql://localhost/mydb", "GPU-001", "", "it's", 'say "x"', "back\\slash",
        "{not a template}", "ünï", "\\n literal", "𝄞 clef"]
QUERIES = ["SELECT * FROM users", "SELECT 1", "UPDATE t SET x = '{y}'", "", "ping",
           "insert ü", 'say "q"']
TASK_NAMES = ["worker-1", "worker-2", "bg", "", "tâche", 'quo"te', "w 3", "reaper"]


def is_name(s):
    return (s.isidentifier() and s.isascii() and not keyword.iskeyword(s)
            and s not in dir(builtins) and s not in ("asyncio", "contextlib"))


for _n in RESOURCE_IDS + ODD_NAMES + AS_NAMES + CLASS_NAMES + EXCEPTION_NAMES:
    assert is_name(_n), _n


class Function:
    """What the validity rules need to know about one Python function being generated."""

    def __init__(self):
        # name -> list of (resource id) bound to it by `with` items so far, in file order
        self.bound = {}
        # names whose `with` block is currently open around the step being generated
        self.open_names = []


class Generator:
    def __init__(self, rng):
        self.r = rng
        self.features = set()
        self.steps_left = self.r.randint(8, MAX_STEPS)
        self.odd = self.r.random() < 0.15  # use names that stress the exporter's renaming
        self.max_ms = self.r.choice([60, 150, 300])

    # ---------- small helpers ----------
    def chance(self, p):
        return self.r.random() < p

    def feat(self, name):
        self.features.add(name)

    def ms(self, zero_p=0.2):
        if self.chance(zero_p):
            return 0
        if self.chance(0.01):
            self.feat("ms.huge")
            return 1000000000
        return self.r.choice([v for v in (1, 5, 10, 10, 20, 30, 50, 50, 100, 150, 200, 300)
                              if v <= self.max_ms])

    def text(self, allow_exc=False, extra=()):
        """A print template: words, maybe placeholders and doubled braces."""
        parts = [self.r.choice(WORDS)]
        pool = list(extra)
        if allow_exc:
            pool += ["{exc}", "{exc_type}"]
        for _ in range(self.r.randint(0, 2)):
            roll = self.r.random()
            if pool and roll < 0.5:
                p = self.r.choice(pool)
                parts.append(p)
                self.feat("template." + p)
            elif roll < 0.6:
                parts.append(self.r.choice(["{{", "}}", "{{x}}"]))
                self.feat("template.braces")
            elif roll < 0.62:
                parts.append("\n" + self.r.choice(WORDS))
                self.feat("template.newline")
            else:
                parts.append(self.r.choice(WORDS))
        return " ".join(parts)

    # ---------- exceptions ----------
    def make_exceptions(self):
        self.custom = {}  # name -> base
        excs = []
        names = self.r.sample(EXCEPTION_NAMES, self.r.randint(0, 4))
        if self.odd and self.chance(0.3):
            names.append(self.r.choice(["main", "loop", "e"]))
        self.used_ids.update(names)
        for name in names:
            if self.custom and self.chance(0.5):
                base = self.r.choice(list(self.custom))
                self.feat("exception.base.custom")
            else:
                base = self.r.choice(["Exception"] * 3 + ["RuntimeError", "ValueError",
                                      "ConnectionError", "LookupError", "TimeoutError",
                                      "OSError", "BaseException", "CancelledError",
                                      "ExceptionGroup", "KeyError"])
                self.feat("exception.base." + base)
            entry = {"name": name}
            if base == "Exception" and self.chance(0.5):
                self.feat("exception.base.default")
            else:
                entry["base"] = base
            self.custom[name] = base
            excs.append(entry)
        return excs

    def is_group(self, name):
        while name in self.custom:
            name = self.custom[name]
        return name in GROUP_BUILTINS

    def depth_of(self, name):
        d = 0
        while name in self.custom:
            name = self.custom[name]
            d += 1
        return d

    def catchable_types(self):
        return BUILTIN_EXCEPTIONS + list(self.custom)

    def raisable_type(self):
        pool = [t for t in BUILTIN_EXCEPTIONS if t not in GROUP_BUILTINS]
        custom = [c for c in self.custom if not self.is_group(c)]
        if custom and self.chance(0.5):
            t = self.r.choice(custom)
            if self.depth_of(t) >= 2:
                self.feat("raise.custom.chain")
            return t
        common = ["ValueError", "RuntimeError", "KeyError", "TimeoutError",
                  "ConnectionError", "CancelledError", "ZeroDivisionError", "OSError"]
        return self.r.choice(common if self.chance(0.7) else pool)

    def exc_spec(self):
        t = self.raisable_type()
        spec = {"type": t}
        if self.chance(0.7):
            spec["message"] = self.r.choice(["boom", "bad", "it's broken", "{not}", "ünï",
                                             "k", 'q"q', "x\ny", ""])
            self.feat("exception.message")
        else:
            self.feat("exception.nomessage")
        self.feat("raise.type." + ("CancelledError" if t == "CancelledError" else "other"))
        return spec

    def type_list(self, allow_default=False):
        pool = self.catchable_types()
        weights = {"Exception": 6, "ValueError": 4, "RuntimeError": 3, "CancelledError": 3,
                   "BaseException": 2, "ExceptionGroup": 2, "TimeoutError": 3, "KeyError": 2}
        types = []
        for _ in range(1 if self.chance(0.7) else self.r.randint(2, 3)):
            if self.custom and self.chance(0.35):
                t = self.r.choice(list(self.custom))
                self.feat("types.custom")
            else:
                t = self.r.choices(pool, [weights.get(p, 1) for p in pool])[0]
            if t not in types:
                types.append(t)
        for t in types:
            if t in ("CancelledError", "Exception", "ExceptionGroup", "BaseException"):
                self.feat("types." + t)
        if len(types) > 1:
            self.feat("types.multi")
        return types

    # ---------- resources ----------
    def phase(self, kind, extra):
        ph = {}
        if self.chance(0.85):
            ph["print"] = self.text(extra=extra)
            self.feat(f"phase.{kind}.print")
        if self.chance(0.65):
            ph["ms"] = self.ms(zero_p=0.2)
            self.feat(f"phase.ms.{'zero' if ph['ms'] == 0 else 'positive'}")
        if self.chance({"enter": 0.07, "execute": 0.15, "exit": 0.1}[kind]):
            ph["raise"] = self.exc_spec()
            self.feat(f"phase.{kind}.raise")
        return ph

    def make_resources(self):
        res = []
        n = self.r.randint(1, 4)
        ids = self.r.sample(RESOURCE_IDS, n)
        if self.odd and self.chance(0.5):
            ids[0] = self.r.choice([x for x in ODD_NAMES if x not in self.used_ids])
            self.feat("name.odd")
        ids = [x for x in ids if x not in self.used_ids] or ["ledger_x"]
        self.used_ids.update(ids)
        for rid in ids:
            kind = self.r.choice(["class", "generator"])
            self.feat("kind." + kind)
            d = {"id": rid, "kind": kind}
            if self.chance(0.3):
                d["name"] = self.r.choice(CLASS_NAMES) + rid.capitalize()
                self.feat("resource.name")
            if self.chance(0.75):
                d["arg"] = self.r.choice(ARGS)
                self.feat("resource.arg")
            if self.chance(0.9):
                d["enter"] = self.phase("enter", ["{arg}"])
            if kind == "class" and self.chance(0.7):
                d["execute"] = self.phase("execute", ["{arg}", "{query}"])
            if self.chance(0.9):
                d["exit"] = self.phase("exit", ["{arg}"])
            if self.chance(0.35):
                d.setdefault("exit", {})
                if self.chance(0.3):
                    d["exit"]["suppress"] = True
                    self.feat("suppress.true")
                else:
                    d["exit"]["suppress"] = self.type_list()
                    self.feat("suppress.list")
                    for t in d["exit"]["suppress"]:
                        self.feat("suppress." + (t if t in ("CancelledError", "Exception",
                                                           "ExceptionGroup") else
                                                 "custom" if t in self.custom else "builtin"))
            if kind == "generator":
                roll = self.r.random()
                if roll < 0.3:
                    d["cleanup"] = "after_yield"
                elif roll < 0.45:
                    d["cleanup"] = "finally"
                self.feat("cleanup." + d.get("cleanup", "default"))
                roll = self.r.random()
                if roll < 0.1:
                    d["yields"] = 0
                elif roll < 0.22:
                    d["yields"] = 2
                elif roll < 0.32:
                    d["yields"] = 1
                self.feat("yields." + str(d.get("yields", "default")))
            res.append(d)
        self.resources = {d["id"]: d for d in res}
        return res

    def has_execute(self, rid):
        d = self.resources[rid]
        return d["kind"] == "class" and "execute" in d

    # ---------- steps ----------
    def task(self):
        t = {"name": self.r.choice(TASK_NAMES)}
        fn = Function()
        t["body"] = self.block(fn, 0, False, self.r.randint(1, 4))
        if self.chance(0.3):
            t["cancel_after"] = self.ms(zero_p=0.25)
            self.feat("cancel_after." + ("zero" if t["cancel_after"] == 0 else "positive"))
        return t

    def block(self, fn, level, in_except, want):
        steps = []
        for _ in range(want):
            if self.steps_left <= 0:
                break
            step = self.step(fn, level, in_except)
            if step is not None:
                steps.append(step)
        return steps

    def step(self, fn, level, in_except):
        self.steps_left -= 1
        choices = {
            "with": 7, "execute": 5, "sleep": 5, "print": 6, "raise": 1.3, "try": 4.5,
            "gather": 1.6, "task_group": 1.6, "timeout": 2.5, "spawn": 1.5,
        }
        if in_except:
            choices["reraise"] = 2
            choices["print"] += 2
        if not any(self.executable(fn, n) for n in fn.bound):
            del choices["execute"]
        if level + 2 <= MAX_LEVEL and any(self.has_execute(r) for r in self.resources):
            choices["unbound_execute"] = 0.6
        if level + 1 > MAX_LEVEL:
            for k in ("with", "try", "timeout"):
                choices.pop(k, None)
        if self.steps_left < 2:
            for k in ("gather", "task_group", "spawn"):
                choices.pop(k, None)
        kinds = list(choices)
        kind = self.r.choices(kinds, [choices[k] for k in kinds])[0]
        return getattr(self, "step_" + kind)(fn, level, in_except)

    def executable(self, fn, name):
        return any(self.has_execute(rid) for rid in fn.bound.get(name, []))

    def step_with(self, fn, level, in_except):
        room = MAX_LEVEL - level
        nitems = 1 if room < 2 or self.chance(0.75) else self.r.randint(2, min(3, room))
        items, names = [], []
        for _ in range(nitems):
            rid = self.r.choice(list(self.resources))
            name = rid
            if self.chance(0.3):
                pool = AS_NAMES + list(self.resources)
                if self.odd:
                    pool += [n for n in ODD_NAMES if n not in self.used_ids]
                    pool += list(self.custom)
                name = self.r.choice(pool)
                items.append({"resource": rid, "as": name})
                self.feat("with.as")
            else:
                items.append(rid)
            names.append(name)
            fn.bound.setdefault(name, []).append(rid)
        self.feat("with.multi" if nitems > 1 else "with.single")
        if level + nitems == MAX_LEVEL:
            self.feat("nesting.max")
        fn.open_names.append(names)
        body = self.block(fn, level + nitems, in_except, self.r.randint(0, 4))
        fn.open_names.pop()
        # One item may be written bare only as a resource id; an {"resource", "as"} item is
        # always in a list.
        bare = nitems == 1 and isinstance(items[0], str) and not self.chance(0.2)
        return {"with": items[0] if bare else items, "body": body}

    def step_execute(self, fn, level, in_except):
        names = [n for n in fn.bound if self.executable(fn, n)]
        name = self.r.choice(names)
        st = {"execute": name, "query": self.r.choice(QUERIES)}
        if self.chance(0.3):
            st["ms"] = self.ms()
            self.feat("execute.ms")
        if self.chance(0.2):
            st["fail"] = self.exc_spec()
            self.feat("execute.fail")
        if not any(name in names_ for names_ in fn.open_names):
            self.feat("execute.outside_block")
        else:
            self.feat("execute.inside_block")
        return st

    def step_unbound_execute(self, fn, level, in_except):
        """`execute` on a name whose `with` is earlier in the file but did not run (an earlier
        step raised): valid, and UnboundLocalError at run time unless bound before."""
        rid = self.r.choice([r for r in self.resources if self.has_execute(r)])
        name = self.r.choice([rid, self.r.choice(AS_NAMES)])
        item = rid if name == rid else {"resource": rid, "as": name}
        self.feat("execute.before_binding")
        fn.bound.setdefault(name, []).append(rid)
        steps = [{"raise": self.exc_spec()}] if self.chance(0.7) else [{"sleep": 0}]
        steps.append({"with": [item] if isinstance(item, dict) else item,
                      "body": [{"execute": name, "query": self.r.choice(QUERIES)}]})
        handler = {"body": [{"print": "caught {exc_type}: {exc}"},
                            {"execute": name, "query": self.r.choice(QUERIES)}]}
        if self.chance(0.5):
            handler["types"] = ["BaseException"]
        return {"try": steps, "except": [handler]}

    def step_sleep(self, fn, level, in_except):
        v = self.ms(zero_p=0.2)
        self.feat("sleep." + ("zero" if v == 0 else "positive"))
        return {"sleep": v}

    def step_print(self, fn, level, in_except):
        self.feat("print")
        return {"print": self.text(allow_exc=in_except)}

    def step_raise(self, fn, level, in_except):
        self.feat("raise")
        return {"raise": self.exc_spec()}

    def step_reraise(self, fn, level, in_except):
        self.feat("reraise")
        return {"reraise": True}

    def step_try(self, fn, level, in_except):
        st = {"try": self.block(fn, level + 1, in_except, self.r.randint(1, 4))}
        can_except = level + 2 <= MAX_LEVEL
        roll = self.r.random()
        with_except = can_except and roll < 0.85
        with_finally = not with_except or self.chance(0.35)
        if with_except:
            handlers = []
            for _ in range(1 if self.chance(0.7) else 2):
                h = {}
                if self.chance(0.75):
                    h["types"] = self.type_list()
                else:
                    self.feat("types.default")
                h["body"] = self.block(fn, level + 2, True, self.r.randint(0, 3))
                handlers.append(h)
            st["except"] = handlers
            self.feat("try.except")
            if self.chance(0.25):
                st["else"] = self.block(fn, level + 1, in_except, self.r.randint(0, 2))
                self.feat("try.else")
        if with_finally:
            st["finally"] = self.block(fn, level + 1, in_except, self.r.randint(0, 3))
            self.feat("try.finally")
        return st

    def tasks(self):
        n = self.r.randint(1, 3)
        return [self.task() for _ in range(n)]

    def step_gather(self, fn, level, in_except):
        st = {"gather": self.tasks()}
        roll = self.r.random()
        if roll < 0.4:
            st["return_exceptions"] = True
        elif roll < 0.7:
            st["return_exceptions"] = False
        self.feat("gather.return_exceptions." + str(st.get("return_exceptions", "absent")))
        return st

    def step_task_group(self, fn, level, in_except):
        self.feat("task_group")
        return {"task_group": self.tasks()}

    def step_timeout(self, fn, level, in_except):
        # Often longer than the body, so that the body's own outcome gets a chance too.
        v = 0 if self.chance(0.12) else self.r.choice([1, 10, 50, 100, 200, 300, 500, 1000])
        self.feat("timeout." + ("zero" if v == 0 else "positive"))
        return {"timeout": v, "body": self.block(fn, level + 1, in_except,
                                                  self.r.randint(1, 4))}

    def step_spawn(self, fn, level, in_except):
        self.feat("spawn" + (".in_except" if in_except else ""))
        return {"spawn": self.task()}

    # ---------- whole scenario ----------
    def deep_chain(self, fn):
        """A chain of blocks down to exactly MAX_LEVEL, to exercise the nesting limit."""
        level, outer, cur = 0, None, None
        while level < MAX_LEVEL:
            kind = self.r.choice(["with", "timeout", "try"])
            if kind == "with":
                rid = self.r.choice(list(self.resources))
                fn.bound.setdefault(rid, []).append(rid)
                st, inner, level = {"with": rid, "body": []}, "body", level + 1
            elif kind == "timeout":
                st, inner, level = {"timeout": self.r.choice([0, 50, 500]), "body": []}, \
                    "body", level + 1
            else:
                if level + 2 <= MAX_LEVEL and self.chance(0.5):
                    st = {"try": [{"raise": {"type": "ValueError", "message": "deep"}}],
                          "except": [{"body": []}]}
                    inner, level = ("except", 0, "body"), level + 2
                else:
                    st, inner, level = {"try": [], "finally": []}, "try", level + 1
            if outer is None:
                outer = st
            else:
                cur_container.append(st)
            if isinstance(inner, tuple):
                cur_container = st["except"][0]["body"]
            else:
                cur_container = st[inner]
        cur_container.append({"print": "deepest"})
        self.feat("nesting.max")
        return outer

    def scenario(self):
        self.used_ids = set()
        self.custom = {}
        doc = {"lifeline": 1}
        if self.chance(0.5):
            doc["title"] = "Generated " + self.r.choice(WORDS)
            self.feat("title")
        if self.chance(0.3):
            doc["description"] = self.r.choice(WORDS) + " — generated"
            self.feat("description")
        excs = self.make_exceptions()
        resources = self.make_resources()
        if excs or self.chance(0.3):
            doc["exceptions"] = excs
        doc["resources"] = resources
        fn = Function()
        main = []
        if self.chance(0.05):
            main.append(self.deep_chain(fn))
        main += self.block(fn, 0, False, self.r.randint(2, 6))
        doc["main"] = main
        return doc


def generate(seed, index):
    rng = random.Random(f"lifeline-{seed}-{index}")
    g = Generator(rng)
    doc = g.scenario()
    ascii_only = rng.random() < 0.3
    text = json.dumps(doc, ensure_ascii=ascii_only, indent=rng.choice([None, 1, 2]))
    return doc, text, g.features


ALL_FEATURES = {
    "kind.class", "kind.generator", "resource.name", "resource.arg",
    "phase.enter.print", "phase.execute.print", "phase.exit.print", "phase.enter.raise",
    "phase.execute.raise", "phase.exit.raise", "phase.ms.zero", "phase.ms.positive",
    "template.{arg}", "template.{query}", "template.{exc}", "template.{exc_type}",
    "template.braces", "exception.message", "exception.nomessage",
    "suppress.true", "suppress.list", "suppress.CancelledError", "suppress.Exception",
    "suppress.custom", "suppress.ExceptionGroup",
    "cleanup.default", "cleanup.finally", "cleanup.after_yield",
    "yields.0", "yields.1", "yields.2", "yields.default",
    "exception.base.custom", "exception.base.default", "exception.base.ExceptionGroup",
    "exception.base.BaseException", "exception.base.CancelledError", "raise.custom.chain",
    "with.single", "with.multi", "with.as", "execute.ms", "execute.fail",
    "execute.inside_block", "execute.outside_block", "execute.before_binding", "sleep.zero", "sleep.positive", "print",
    "raise", "raise.type.CancelledError", "raise.type.other", "reraise", "try.except",
    "try.else", "try.finally", "types.default", "types.multi", "types.custom",
    "types.CancelledError", "types.ExceptionGroup", "types.BaseException",
    "gather.return_exceptions.True", "gather.return_exceptions.False",
    "gather.return_exceptions.absent", "task_group", "timeout.zero", "timeout.positive",
    "spawn", "spawn.in_except", "cancel_after.zero", "cancel_after.positive", "nesting.max",
    "title", "description", "name.odd",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--coverage", action="store_true",
                    help="report features no scenario used; exit 1 if any")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    used = set()
    for i in range(a.count):
        _doc, text, features = generate(a.seed, i)
        used |= features
        path = os.path.join(a.out, f"scenario-{a.seed}-{i}.json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.write("\n")
    if a.coverage:
        missing = sorted(ALL_FEATURES - used)
        for m in missing:
            print("unused:", m)
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
