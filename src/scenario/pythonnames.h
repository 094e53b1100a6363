// SPDX-License-Identifier: MIT
#pragma once
// The *name* rule of docs/scenario-format.md (resource ids, `as`, exception names): a Python
// identifier that is not a keyword, not in CPython 3.11's dir(builtins), and not `asyncio` or
// `contextlib`, so the exported program can use it without shadowing anything. Pure functions;
// no Unicode identifiers (the format allows ASCII only).

#include <QString>
#include <QStringView>

namespace Lifeline {

class PythonNames
{
public:
    // [A-Za-z_][A-Za-z0-9_]*
    static bool isIdentifier(QStringView name);
    // An identifier that is a keyword or built-in name.
    static bool isReservedName(QStringView name);
    // Why `name` is not a name, or an empty string when it is one.
    static QString whyNotName(QStringView name);
};

} // namespace Lifeline
