// SPDX-License-Identifier: MIT
#include "pythonnames.h"

#include <algorithm>
#include <string_view>

namespace Lifeline {

namespace {

// keyword.kwlist and dir(builtins) of CPython 3.11.7 (run as `python3 -c`, so with the names
// `site` adds: exit, quit, help, copyright, credits, license), merged and sorted for binary
// search. Generated once; a name the exported program would shadow must never be accepted.
// clang-format off
constexpr std::string_view kReserved[] = {
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
    "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
    "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
    "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError",
    "Exception", "ExceptionGroup", "False", "FileExistsError", "FileNotFoundError",
    "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError", "ImportError",
    "ImportWarning", "IndentationError", "IndexError", "InterruptedError", "IsADirectoryError",
    "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError", "ModuleNotFoundError",
    "NameError", "None", "NotADirectoryError", "NotImplemented", "NotImplementedError", "OSError",
    "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
    "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
    "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
    "SystemExit", "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError",
    "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
    "UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError",
    "__build_class__", "__debug__", "__doc__", "__import__", "__loader__", "__name__",
    "__package__", "__spec__", "abs", "aiter", "all", "and", "anext", "any", "as", "ascii",
    "assert", "async", "await", "bin", "bool", "break", "breakpoint", "bytearray", "bytes",
    "callable", "chr", "class", "classmethod", "compile", "complex", "continue", "copyright",
    "credits", "def", "del", "delattr", "dict", "dir", "divmod", "elif", "else", "enumerate",
    "eval", "except", "exec", "exit", "filter", "finally", "float", "for", "format", "from",
    "frozenset", "getattr", "global", "globals", "hasattr", "hash", "help", "hex", "id", "if",
    "import", "in", "input", "int", "is", "isinstance", "issubclass", "iter", "lambda", "len",
    "license", "list", "locals", "map", "max", "memoryview", "min", "next", "nonlocal", "not",
    "object", "oct", "open", "or", "ord", "pass", "pow", "print", "property", "quit", "raise",
    "range", "repr", "return", "reversed", "round", "set", "setattr", "slice", "sorted",
    "staticmethod", "str", "sum", "super", "try", "tuple", "type", "vars", "while", "with",
    "yield", "zip",
};
// clang-format on

// keyword.kwlist of CPython 3.11, only to word the message.
constexpr std::string_view kKeywords[]
    = { "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
        "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
        "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
        "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield" };

bool isReserved(std::string_view name)
{
    return std::binary_search(std::begin(kReserved), std::end(kReserved), name);
}

} // namespace

bool PythonNames::isIdentifier(QStringView name)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        const bool letter = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
        const bool digit = c >= u'0' && c <= u'9';
        if (!letter && !(digit && i > 0))
            return false;
    }
    return true;
}

bool PythonNames::isReservedName(QStringView name)
{
    if (!isIdentifier(name))
        return false;
    const QByteArray latin1 = name.toLatin1();
    return isReserved(std::string_view(latin1.constData(), size_t(latin1.size())));
}

QString PythonNames::whyNotName(QStringView name)
{
    if (!isIdentifier(name))
        return QStringLiteral(
            "a name must be a Python identifier: a letter or _ then letters, digits or _");
    const QByteArray latin1 = name.toLatin1();
    const std::string_view view(latin1.constData(), size_t(latin1.size()));
    if (std::binary_search(std::begin(kKeywords), std::end(kKeywords), view))
        return QStringLiteral("it is a Python keyword");
    if (isReserved(view))
        return QStringLiteral("it is a Python built-in name");
    if (name == u"asyncio" || name == u"contextlib")
        return QStringLiteral("the exported program imports a module of that name");
    return {};
}

} // namespace Lifeline
