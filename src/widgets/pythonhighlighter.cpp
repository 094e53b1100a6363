// SPDX-License-Identifier: MIT
#include "pythonhighlighter.h"

#include <QTextCharFormat>

#include <algorithm>
#include <vector>

namespace Lifeline {

namespace {

// Walks strings and comments from `from`, telling `mark` each one's [start, end) and kind;
// returns the state the line ends in. Shared by highlighting and endState(), so both agree.
template <typename Mark>
PythonHighlighter::State scanStrings(QStringView text, qsizetype from, Mark mark)
{
    qsizetype i = from;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text[i];
        if (c == u'#') {
            mark(i, n, true);
            return PythonHighlighter::Normal;
        }
        if (c != u'\'' && c != u'"') {
            ++i;
            continue;
        }
        // A string prefix (f, r, b, fr, ...) belongs to the string.
        qsizetype start = i;
        while (start > 0 && QStringView(u"fFrRbBuU").contains(text[start - 1]))
            --start;
        if (i + 2 < n && text[i + 1] == c && text[i + 2] == c) {
            const QChar triple[3] = { c, c, c };
            const qsizetype end = text.indexOf(QStringView(triple, 3), i + 3);
            if (end < 0) {
                mark(start, n, false);
                return c == u'\'' ? PythonHighlighter::InSingleTriple
                                  : PythonHighlighter::InDoubleTriple;
            }
            mark(start, end + 3, false);
            i = end + 3;
            continue;
        }
        qsizetype j = i + 1;
        while (j < n && text[j] != c) {
            if (text[j] == u'\\')
                ++j;
            ++j;
        }
        const qsizetype end = std::min(n, j + 1);
        mark(start, end, false);
        i = end;
    }
    return PythonHighlighter::Normal;
}

// Where a line that starts inside a triple-quoted string leaves it; -1 if it does not.
qsizetype tripleQuoteEnd(QStringView text, PythonHighlighter::State state)
{
    const QStringView quote
        = state == PythonHighlighter::InSingleTriple ? QStringView(u"'''") : QStringView(u"\"\"\"");
    const qsizetype end = text.indexOf(quote);
    return end < 0 ? -1 : end + 3;
}

} // namespace

PythonHighlighter::PythonHighlighter()
    : m_keywords(QStringLiteral(
        "\\b(False|None|True|and|as|assert|async|await|break|class|continue|def|del|elif|else|"
        "except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|"
        "return|try|while|with|yield)\\b"))
    , m_builtins(QStringLiteral(
          "\\b(print|len|isinstance|issubclass|type|super|self|range|dict|list|str|repr|"
          "asyncio|contextlib|[A-Z][A-Za-z]*(Error|Exception|Group|Exit))\\b"))
    , m_number(QStringLiteral("\\b[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?\\b"))
    , m_definition(QStringLiteral("\\b(?:def|class)\\s+([A-Za-z_][A-Za-z0-9_]*)"))
    , m_decorator(QStringLiteral("^\\s*@[A-Za-z_][A-Za-z0-9_.]*"))
{
}

void PythonHighlighter::setTheme(const Theme &theme)
{
    // Made once per theme, not per range of every line painted.
    struct Style
    {
        Kind kind;
        QColor colour;
        bool bold = false;
        bool italic = false;
    };
    const Style styles[] = { { Keyword, theme.keyword, true },
                             { Builtin, theme.builtin },
                             { String, theme.string },
                             { Number, theme.number },
                             { Comment, theme.comment, false, true },
                             { Decorator, theme.decorator },
                             { Definition, theme.definition, true } };
    for (const Style &style : styles) {
        QTextCharFormat &f = m_formats[style.kind];
        f = QTextCharFormat();
        f.setForeground(style.colour);
        if (style.bold)
            f.setFontWeight(QFont::Bold);
        f.setFontItalic(style.italic);
    }
}

PythonHighlighter::State PythonHighlighter::endState(QStringView text, State state)
{
    qsizetype from = 0;
    if (state != Normal) {
        from = tripleQuoteEnd(text, state);
        if (from < 0)
            return state;
    }
    return scanStrings(text, from, [](qsizetype, qsizetype, bool) {});
}

QList<QTextLayout::FormatRange> PythonHighlighter::highlightLine(const QString &text,
                                                                 State state) const
{
    // One kind per character, later rules overriding earlier ones (as QSyntaxHighlighter's
    // setFormat() does), then runs of one kind become format ranges.
    std::vector<Kind> kinds(size_t(text.size()), Plain);
    auto set = [&](qsizetype start, qsizetype end, Kind kind) {
        std::fill(kinds.begin() + start, kinds.begin() + end, kind);
    };
    qsizetype from = 0;
    if (state != Normal)
        from = tripleQuoteEnd(text, state);
    set(0, from < 0 ? text.size() : from, String);
    if (from >= 0) {
        auto applyAll = [&](const QRegularExpression &re, Kind kind, int group = 0) {
            auto it = re.globalMatch(text, from);
            while (it.hasNext()) {
                const auto m = it.next();
                if (m.capturedLength(group) > 0)
                    set(m.capturedStart(group), m.capturedEnd(group), kind);
            }
        };
        applyAll(m_number, Number);
        applyAll(m_builtins, Builtin);
        applyAll(m_keywords, Keyword);
        applyAll(m_definition, Definition, 1);
        applyAll(m_decorator, Decorator);
        // Strings and comments last, left to right, so quotes inside comments (and `#` inside
        // strings) are handled.
        scanStrings(text, from, [&](qsizetype start, qsizetype end, bool comment) {
            set(start, end, comment ? Comment : String);
        });
    }
    QList<QTextLayout::FormatRange> ranges;
    for (qsizetype i = 0; i < text.size();) {
        qsizetype j = i + 1;
        while (j < text.size() && kinds[size_t(j)] == kinds[size_t(i)])
            ++j;
        if (kinds[size_t(i)] != Plain)
            ranges.append({ int(i), int(j - i), m_formats[kinds[size_t(i)]] });
        i = j;
    }
    return ranges;
}

} // namespace Lifeline
