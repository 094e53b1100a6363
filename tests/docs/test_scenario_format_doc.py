#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/scenario-format.md against the loader and the JSON Schema.

Every fenced block of the page whose info string is `json valid` or `json invalid` is a complete
scenario file. Each is saved as example.json in a fresh directory and checked:
- `lifeline check` exits 0 on a valid one, 2 on an invalid one with every line of its stderr in
  the documented grammar, FILE:LINE:COLUMN: JSON.PATH: message;
- each `console` block after an example runs its `$ lifeline ...` commands on that file and
  must print what the page shows (stdout, then stderr);
- the valid examples, and the built-in examples, validate against
  resources/schema/scenario.schema.json; an invalid example the schema accepts must break one
  of the rules the schema says it cannot express (SCHEMA_CANNOT below);
- the schema's reserved names are the loader's (src/scenario/pythonnames.cpp).

The binary is $LIFELINE_BINARY (ctest sets it; default build/src/app/lifeline). The schema part
needs the jsonschema module: when the python3 running this lacks it (a pyenv build, say), it is
run in a subprocess of Debian's /usr/bin/python3 (python3-jsonschema), or $LIFELINE_SCHEMA_PYTHON.
"""

import glob
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.normpath(os.path.join(HERE, "..", ".."))
DOC = os.path.join(SOURCE_DIR, "docs", "scenario-format.md")
SCHEMA = os.path.join(SOURCE_DIR, "resources", "schema", "scenario.schema.json")
NAMES_CPP = os.path.join(SOURCE_DIR, "src", "scenario", "pythonnames.cpp")
LIFELINE = os.path.abspath(os.environ.get("LIFELINE_BINARY")
                           or os.path.join(SOURCE_DIR, "build", "src", "app", "lifeline"))
EXAMPLE = "example.json"

# FILE:LINE:COLUMN: JSON.PATH: message, for the file example.json. A path is `$`, or keys and
# indexes: `main[0].with`, `$[0]`, `$["my key"].x`.
_KEY = r'[A-Za-z0-9_]+'
_QUOTED = r'\["(?:[^"\\]|\\.)*"\]'
_PATH = rf'(?:\$|(?:{_KEY}|\$(?=\[))(?:\.{_KEY}|\[\d+\]|{_QUOTED})*)'
DIAGNOSTIC = re.compile(rf'^{re.escape(EXAMPLE)}:(\d+):(\d+): {_PATH}: \S.*$')

# The rules the schema cannot express (its "description" names them), by the loader's message.
# An invalid example that the schema accepts must break one of these.
SCHEMA_CANNOT = [
    r"duplicate key",                              # a JSON parser keeps one of them
    r"is not valid Unicode",                       # lone surrogates decode in most parsers
    r"nesting deeper than 100",
    r"found the number -?\d+(\.\d+|[eE])",         # 5.0 and 5e2 are integers to a schema
    r"duplicate resource id", r"is defined twice",
    r"unknown resource", r"unknown base", r"unknown exception type",
    r'"execute" on ',
    r"\{exc(_type)?\} is not available here",
    r'"reraise" is only allowed inside an except body',
    r"a class derived from ExceptionGroup",
    r"blocks nest too deep",
]


def fenced_blocks(text):
    """(info string, content, line number) of every fenced block, in order."""
    blocks = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(`{3,})(.*)$", lines[i])
        if not m:
            i += 1
            continue
        fence, info, start = m.group(1), m.group(2).strip(), i + 1
        j = start
        while j < len(lines) and not lines[j].startswith(fence):
            j += 1
        blocks.append((info, "\n".join(lines[start:j]) + "\n", start))
        i = j + 1
    return blocks


class Example:
    def __init__(self, valid, text, line):
        self.valid = valid
        self.text = text
        self.line = line
        self.consoles = []  # [(command args, expected output)]

    def __str__(self):
        return f"{'valid' if self.valid else 'invalid'} example at docs/scenario-format.md:{self.line}"


def console_commands(content):
    """[(args after `lifeline`, expected output)] of a console block."""
    commands = []
    for line in content.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            args = shlex.split(line[2:])
            if not args or args[0] != "lifeline":
                raise ValueError(f"a console block runs only lifeline, not: {line}")
            commands.append((args[1:], []))
        elif commands:
            commands[-1][1].append(line)
        else:
            raise ValueError("a console block starts with a `$ lifeline` line")
    return [(args, "\n".join(out) + "\n" if out else "") for args, out in commands]


def read_examples(path=DOC):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    examples = []
    for info, content, line in fenced_blocks(text):
        words = info.split()
        if words[:1] == ["json"]:
            if words[1:] not in (["valid"], ["invalid"]):
                raise ValueError(f"docs/scenario-format.md:{line}: a json block is marked "
                                 f"`json valid` or `json invalid`, not `{info}`")
            examples.append(Example(words[1] == "valid", content, line))
        elif words[:1] == ["console"]:
            if not examples:
                raise ValueError(f"docs/scenario-format.md:{line}: a console block follows an "
                                 "example")
            examples[-1].consoles.extend(console_commands(content))
    return examples


def run_lifeline(args, cwd):
    return subprocess.run([LIFELINE, *args], cwd=cwd, capture_output=True, timeout=60)


# --- the schema, possibly in another interpreter --------------------------------------------

def schema_errors(documents):
    """For each document, the schema's errors as [JSON path as a list, message], those inside a
    failed oneOf or anyOf included (none: valid); None when no jsonschema module is found."""
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        return _schema_errors_elsewhere(documents)
    return _schema_errors_here(documents)


def _schema_errors_here(documents):
    import jsonschema
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    def flatten(errors):
        # A failed oneOf (a step of no kind that fits) keeps each branch's errors in `context`.
        for error in errors:
            yield [list(error.absolute_path), error.message]
            yield from flatten(error.context or ())

    return [list(flatten(validator.iter_errors(doc))) for doc in documents]


def _schema_python():
    candidates = [os.environ.get("LIFELINE_SCHEMA_PYTHON", ""), "/usr/bin/python3"]
    for python in candidates:
        if not python or not os.path.exists(python):
            continue
        if os.path.realpath(python) == os.path.realpath(sys.executable):
            continue
        probe = subprocess.run([python, "-c", "import jsonschema"], capture_output=True)
        if probe.returncode == 0:
            return python
    return None


def _schema_errors_elsewhere(documents):
    python = _schema_python()
    if not python:
        return None
    result = subprocess.run([python, os.path.abspath(__file__), "--schema-errors"],
                            input=json.dumps(documents), capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"{python} could not check the schema:\n{result.stderr}")
    return json.loads(result.stdout)


def loader_path(path):
    """`main[0].with` as ["main", 0, "with"]; `$` as []."""
    parts = []
    for key, index, quoted in re.findall(rf'({_KEY})|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]', path):
        if index:
            parts.append(int(index))
        else:
            parts.append(key or re.sub(r"\\(.)", r"\1", quoted))
    return parts


def reserved_names_of_the_loader():
    with open(NAMES_CPP, encoding="utf-8") as f:
        source = f.read()
    table = re.search(r"kReserved\[\] = \{(.*?)\};", source, re.S)
    return set(re.findall(r'"([^"]+)"', table.group(1))) | {"asyncio", "contextlib"}


# --- the tests --------------------------------------------------------------------------------

class ScenarioFormatDoc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.examples = read_examples()
        cls.tmp = tempfile.TemporaryDirectory(prefix="lifeline-format-doc-")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def saved(self, index, example):
        directory = os.path.join(self.tmp.name, str(index))
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, EXAMPLE), "w", encoding="utf-8") as f:
            f.write(example.text)
        return directory

    def test_page_has_examples_of_both_kinds(self):
        valid = [e for e in self.examples if e.valid]
        invalid = [e for e in self.examples if not e.valid]
        self.assertGreaterEqual(len(valid), 15)
        self.assertGreaterEqual(len(invalid), 30)

    def test_every_invalid_example_shows_its_messages(self):
        for example in self.examples:
            if not example.valid:
                with self.subTest(str(example)):
                    self.assertTrue(any(args[:1] == ["check"] for args, _ in example.consoles),
                                    "an invalid example is followed by `$ lifeline check`")

    def test_check_accepts_valid_and_rejects_invalid_examples(self):
        self.assertTrue(os.access(LIFELINE, os.X_OK), f"no lifeline binary at {LIFELINE}")
        for index, example in enumerate(self.examples):
            with self.subTest(str(example)):
                directory = self.saved(index, example)
                result = run_lifeline(["check", EXAMPLE], directory)
                stderr = result.stderr.decode("utf-8", "replace")
                if example.valid:
                    self.assertEqual(result.returncode, 0, stderr)
                    self.assertEqual(stderr, "")
                    continue
                self.assertEqual(result.returncode, 2, stderr)
                lines = stderr.rstrip("\n").split("\n")
                self.assertTrue(lines and lines[0], "an invalid file gets a message")
                for line in lines:
                    self.assertRegex(line, DIAGNOSTIC)
                positions = [tuple(map(int, DIAGNOSTIC.match(l).groups())) for l in lines]
                self.assertEqual(positions, sorted(positions), "messages are in file order")

    def test_console_blocks_print_what_the_page_shows(self):
        self.assertTrue(os.access(LIFELINE, os.X_OK), f"no lifeline binary at {LIFELINE}")
        for index, example in enumerate(self.examples):
            for args, expected in example.consoles:
                with self.subTest(f"{example}: lifeline {' '.join(args)}"):
                    directory = self.saved(index, example)
                    result = run_lifeline(args, directory)
                    printed = (result.stdout + result.stderr).decode("utf-8", "replace")
                    self.assertEqual(printed, expected)

    def test_examples_agree_with_the_schema(self):
        parsed = []
        for example in self.examples:
            try:
                parsed.append((example, json.loads(example.text)))
            except ValueError:
                self.assertFalse(example.valid, f"{example} is not JSON")  # rejected anyway
        builtin = sorted(glob.glob(os.path.join(SOURCE_DIR, "resources", "examples", "*.json")))
        documents = [doc for _, doc in parsed]
        for path in builtin:
            with open(path, encoding="utf-8") as f:
                documents.append(json.load(f))
        errors = schema_errors(documents)
        if errors is None:
            self.skipTest("no jsonschema module for this python3 nor /usr/bin/python3 "
                          "(apt-get install python3-jsonschema)")
        for (example, _), found in zip(parsed, errors):
            with self.subTest(str(example)):
                if example.valid:
                    self.assertEqual([m for _, m in found], [], "the schema rejects a valid example")
                    continue
                # Each of the loader's messages is either one the schema cannot express, or the
                # schema also finds something wrong at its place: at its path, inside it, or
                # around it (not at the root, unless the message is about a top-level key).
                directory = self.saved(self.examples.index(example), example)
                messages = run_lifeline(["check", EXAMPLE], directory).stderr.decode()
                for line in messages.rstrip("\n").split("\n"):
                    if any(re.search(p, line) for p in SCHEMA_CANNOT):
                        continue
                    where = loader_path(line.split(": ")[1])
                    near = [m for path, m in found
                            if (path or len(where) <= 1)
                            and (where[:len(path)] == path or path[:len(where)] == where)]
                    self.assertTrue(near, f"the schema accepts what the loader rejects: {line}")
        for path, found in zip(builtin, errors[len(parsed):]):
            with self.subTest(os.path.relpath(path, SOURCE_DIR)):
                self.assertEqual([m for _, m in found], [])

    def test_schema_reserves_the_loaders_names(self):
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        reserved = set(schema["$defs"]["reservedName"]["enum"])
        self.assertEqual(reserved, reserved_names_of_the_loader())


if __name__ == "__main__":
    if sys.argv[1:] == ["--schema-errors"]:
        # The worker half: run by an interpreter that has jsonschema.
        print(json.dumps(_schema_errors_here(json.load(sys.stdin))))
        sys.exit(0)
    unittest.main()
