#pragma once
// Colours the exported Python in the code view: keywords, built-ins, strings (including f-strings
// and triple quotes spanning lines), numbers, comments, decorators and def/class names. A lexer
// good enough for the exporter's output, not a full Python tokenizer.

#include "theme.h"

#include <QRegularExpression>
#include <QSyntaxHighlighter>

namespace Lifeline {

class PythonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit PythonHighlighter(QTextDocument *document);

    // Call on palette changes; rehighlights.
    void setTheme(const Theme &theme);

protected:
    void highlightBlock(const QString &text) override;

private:
    // Block states: 0 normal, 1 inside ''' , 2 inside """.
    int continueTripleQuote(const QString &text, int state);

    Theme m_theme;
    QRegularExpression m_keywords;
    QRegularExpression m_builtins;
    QRegularExpression m_number;
    QRegularExpression m_definition;
    QRegularExpression m_decorator;
};

} // namespace Lifeline
