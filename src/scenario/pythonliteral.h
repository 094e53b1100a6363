// SPDX-License-Identifier: MIT
#pragma once
// How text becomes Python source: string literals, f-string text, comments and durations, such
// that CPython reads back exactly the characters given and a reader sees every one of them
// (invisible and line-breaking characters become escapes, as Python's repr writes them).
// Knows nothing about scenarios.

#include <QString>
#include <QStringList>

namespace Lifeline {

class PythonLiteral
{
public:
    // A double-quoted string literal holding exactly `text`.
    static QString string(const QString &text);
    // `text` for the literal part of a double-quoted f-string: escaped, braces doubled.
    static QString fstringText(const QString &text);
    // `text` for one comment line: nothing that ends the line or hides from view.
    static QString comment(const QString &text);
    // `ms` milliseconds as exact decimal seconds: 150 -> 0.15, 0 -> 0.0, 1000 -> 1.0.
    static QString seconds(qint64 ms);
    // Words in lines of at most `width` characters (a longer word gets a line of its own);
    // every `\n` starts a new line.
    static QStringList wrapped(const QString &text, int width);
};

} // namespace Lifeline
