// SPDX-License-Identifier: MIT
// PythonHighlighter, one line at a time: the kinds a reader sees (keywords, strings,
// comments, numbers, definitions), and the state a triple-quoted string carries into the
// next lines, the same whether found cheaply (endState) or while highlighting.

#include "pythonhighlighter.h"

#include <QTest>

using namespace Lifeline;

namespace {
// The foreground colour highlighting gives character `at`, invalid when plain.
QColor colourAt(const QList<QTextLayout::FormatRange> &ranges, int at)
{
    QColor colour;
    for (const auto &r : ranges)
        if (at >= r.start && at < r.start + r.length)
            colour = r.format.foreground().color();
    return colour;
}
} // namespace

class tst_PythonHighlighter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kindsOfOneLine();
    void tripleQuotesSpanLines();
};

void tst_PythonHighlighter::kindsOfOneLine()
{
    PythonHighlighter h;
    const Theme theme = Theme::forPalette(QPalette());
    h.setTheme(theme);
    const QString line = QStringLiteral("    await asyncio.sleep(0.5)  # 'not a string'");
    const auto ranges = h.highlightLine(line, PythonHighlighter::Normal);
    QCOMPARE(colourAt(ranges, line.indexOf(QStringLiteral("await"))), theme.keyword);
    QCOMPARE(colourAt(ranges, line.indexOf(QStringLiteral("asyncio"))), theme.builtin);
    QCOMPARE(colourAt(ranges, line.indexOf(QStringLiteral("0.5"))), theme.number);
    QCOMPARE(colourAt(ranges, line.indexOf(QStringLiteral("not"))), theme.comment);
    QVERIFY(!colourAt(ranges, 0).isValid()); // indentation stays plain

    const QString def = QStringLiteral("class Conn:  s = f\"#{x} def\"");
    const auto defRanges = h.highlightLine(def, PythonHighlighter::Normal);
    QCOMPARE(colourAt(defRanges, def.indexOf(QStringLiteral("Conn"))), theme.definition);
    QCOMPARE(colourAt(defRanges, def.indexOf(u'#')), theme.string); // `#` inside a string
    QCOMPARE(colourAt(defRanges, def.indexOf(QStringLiteral("def"))), theme.string);
    QCOMPARE(colourAt(defRanges, def.indexOf(QStringLiteral("f\""))), theme.string); // prefix
}

void tst_PythonHighlighter::tripleQuotesSpanLines()
{
    PythonHighlighter h;
    const Theme theme = Theme::forPalette(QPalette());
    h.setTheme(theme);
    const QStringList lines = { QStringLiteral("x = \"\"\"opens here"),
                                QStringLiteral("still inside, with a def and a # too"),
                                QStringLiteral("closes\"\"\" + 'y'  # comment"),
                                QStringLiteral("z = '''one line''' and 1") };
    const PythonHighlighter::State expected[]
        = { PythonHighlighter::InDoubleTriple, PythonHighlighter::InDoubleTriple,
            PythonHighlighter::Normal, PythonHighlighter::Normal };
    auto state = PythonHighlighter::Normal;
    for (int i = 0; i < lines.size(); ++i) {
        const auto ranges = h.highlightLine(lines[i], state);
        if (state != PythonHighlighter::Normal)
            QCOMPARE(colourAt(ranges, 0), theme.string);
        state = PythonHighlighter::endState(lines[i], state);
        QCOMPARE(state, expected[i]);
    }
    const auto middle = h.highlightLine(lines[1], PythonHighlighter::InDoubleTriple);
    QCOMPARE(colourAt(middle, lines[1].indexOf(QStringLiteral("def"))), theme.string);
    const auto closing = h.highlightLine(lines[2], PythonHighlighter::InDoubleTriple);
    QCOMPARE(colourAt(closing, lines[2].indexOf(QStringLiteral("'y'"))), theme.string);
    QCOMPARE(colourAt(closing, lines[2].indexOf(QStringLiteral("comment"))), theme.comment);
    QVERIFY(!colourAt(closing, lines[2].indexOf(u'+')).isValid());
}

QTEST_MAIN(tst_PythonHighlighter)
#include "tst_pythonhighlighter.moc"
