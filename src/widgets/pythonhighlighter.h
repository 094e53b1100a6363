// SPDX-License-Identifier: MIT
#pragma once
// Colours the exported Python in the code view, one line at a time: keywords, built-ins,
// strings (including f-strings and triple quotes spanning lines), numbers, comments,
// decorators and def/class names. A lexer good enough for the exporter's output, not a full
// Python tokenizer. Lines are highlighted only when painted, so a line's only link to the
// lines before it is the state it starts in (inside a triple-quoted string or not), which
// endState() finds cheaply for every line while a program loads.

#include "theme.h"

#include <QList>
#include <QRegularExpression>
#include <QStringView>
#include <QTextLayout>

namespace Lifeline {

class PythonHighlighter
{
public:
    // Line states: 0 normal, 1 inside ''' , 2 inside """.
    enum State : quint8 { Normal = 0, InSingleTriple = 1, InDoubleTriple = 2 };

    PythonHighlighter();

    void setTheme(const Theme &theme);
    // The formats of one line that starts in `state`, for QTextLayout::setFormats.
    QList<QTextLayout::FormatRange> highlightLine(const QString &text, State state) const;
    // The state the line ends in: strings and comments only, no regular expressions.
    static State endState(QStringView text, State state);

private:
    enum Kind : quint8 { Plain, Keyword, Builtin, String, Number, Comment, Decorator, Definition };
    static constexpr int KindCount = Definition + 1;

    QTextCharFormat m_formats[KindCount]; // by Kind, from setTheme()
    QRegularExpression m_keywords;
    QRegularExpression m_builtins;
    QRegularExpression m_number;
    QRegularExpression m_definition;
    QRegularExpression m_decorator;
};

} // namespace Lifeline
