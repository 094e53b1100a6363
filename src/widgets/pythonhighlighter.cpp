#include "pythonhighlighter.h"

#include <QTextCharFormat>

namespace Lifeline {

namespace {

QTextCharFormat charFormat(const QColor &color, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(color);
    if (bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(italic);
    return f;
}

} // namespace

PythonHighlighter::PythonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    , m_keywords(QStringLiteral(
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
    m_theme = theme;
    rehighlight();
}

int PythonHighlighter::continueTripleQuote(const QString &text, int state)
{
    const QString quote = state == 1 ? QStringLiteral("'''") : QStringLiteral("\"\"\"");
    const int end = text.indexOf(quote);
    if (end < 0) {
        setFormat(0, int(text.size()), charFormat(m_theme.string));
        setCurrentBlockState(state);
        return int(text.size());
    }
    setFormat(0, end + 3, charFormat(m_theme.string));
    return end + 3;
}

void PythonHighlighter::highlightBlock(const QString &text)
{
    setCurrentBlockState(0);
    int from = 0;
    if (previousBlockState() > 0)
        from = continueTripleQuote(text, previousBlockState());
    if (currentBlockState() > 0)
        return;

    auto applyAll = [&](const QRegularExpression &re, const QTextCharFormat &f, int group = 0) {
        auto it = re.globalMatch(text, from);
        while (it.hasNext()) {
            const auto m = it.next();
            setFormat(int(m.capturedStart(group)), int(m.capturedLength(group)), f);
        }
    };
    applyAll(m_number, charFormat(m_theme.number));
    applyAll(m_builtins, charFormat(m_theme.builtin));
    applyAll(m_keywords, charFormat(m_theme.keyword, true));
    applyAll(m_definition, charFormat(m_theme.definition, true), 1);
    applyAll(m_decorator, charFormat(m_theme.decorator));

    // Strings and comments last, scanning left to right so quotes inside comments (and `#`
    // inside strings) are handled.
    const QTextCharFormat stringFormat = charFormat(m_theme.string);
    int i = from;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c == u'#') {
            setFormat(i, int(text.size()) - i, charFormat(m_theme.comment, false, true));
            return;
        }
        if (c != u'\'' && c != u'"') {
            ++i;
            continue;
        }
        // A string prefix (f, r, b, fr, ...) belongs to the string.
        int start = i;
        while (start > 0 && QStringLiteral("fFrRbBuU").contains(text.at(start - 1)))
            --start;
        const QString triple(3, c);
        if (text.mid(i, 3) == triple) {
            const int end = text.indexOf(triple, i + 3);
            if (end < 0) {
                setFormat(start, int(text.size()) - start, stringFormat);
                setCurrentBlockState(c == u'\'' ? 1 : 2);
                return;
            }
            setFormat(start, end + 3 - start, stringFormat);
            i = end + 3;
            continue;
        }
        int j = i + 1;
        while (j < text.size() && text.at(j) != c) {
            if (text.at(j) == u'\\')
                ++j;
            ++j;
        }
        const int end = std::min(int(text.size()), j + 1);
        setFormat(start, end - start, stringFormat);
        i = end;
    }
}

} // namespace Lifeline
