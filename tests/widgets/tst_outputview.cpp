// SPDX-License-Identifier: MIT
// OutputView: a running program's output, shown a frame's worth at a time. A character split
// between two reads arrives whole; stderr is coloured apart; text pending past the bound drops
// its oldest part with a note; the view keeps its last MaxLines lines. The frame QTimer is what
// the one QTRY_ here waits on.
#include "outputview.h"
#include "theme.h"

#include <QTest>
#include <QTextBlock>

using namespace Lifeline;

class tst_OutputView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aCharacterSplitBetweenReadsArrivesWhole_data();
    void aCharacterSplitBetweenReadsArrivesWhole();
    void stderrIsColouredApart();
    void aFrameShowsAtMostItsShare();
    void pendingTextPastTheBoundDropsItsOldestPart();
    void theViewKeepsItsLastLines();
    void clearingForgetsEverything();
};

void tst_OutputView::aCharacterSplitBetweenReadsArrivesWhole_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("split");
    QTest::newRow("é, its two bytes apart") << QByteArray("caf\xc3\xa9\n") << 4;
    QTest::newRow("a snake, its four bytes apart") << QByteArray("\xf0\x9f\x90\x8d!\n") << 2;
    QTest::newRow("a line apart") << QByteArray("one\ntwo\n") << 5;
}

void tst_OutputView::aCharacterSplitBetweenReadsArrivesWhole()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, split);
    OutputView view;
    view.append(QByteArrayView(bytes).first(split), OutputView::Stream::Out);
    view.append(QByteArrayView(bytes).sliced(split), OutputView::Stream::Out);
    view.flush();
    QCOMPARE(view.toPlainText(), QString::fromUtf8(bytes));
}

void tst_OutputView::stderrIsColouredApart()
{
    OutputView view;
    view.append("out\n", OutputView::Stream::Out);
    view.append("err\n", OutputView::Stream::Err);
    view.flush();
    const QTextBlock out = view.document()->findBlockByNumber(0);
    const QTextBlock err = view.document()->findBlockByNumber(1);
    QCOMPARE(err.text(), QStringLiteral("err"));
    const QColor error = Theme::forPalette(view.palette()).error;
    QCOMPARE(err.begin().fragment().charFormat().foreground().color(), error);
    QVERIFY(out.begin().fragment().charFormat().foreground().color() != error);
}

void tst_OutputView::aFrameShowsAtMostItsShare()
{
    OutputView view;
    const QByteArray line = QByteArray(99, 'x') + '\n';
    const qsizetype total = 10000 * line.size(); // about 60 frames' worth
    view.append(line.repeated(10000), OutputView::Stream::Out);
    QCOMPARE(view.toPlainText(), QString()); // nothing before the frame
    QTRY_VERIFY(!view.toPlainText().isEmpty());
    // Whole frames' shares so far, and the rest waits.
    const qsizetype shown = view.toPlainText().size();
    QVERIFY(view.pendingChars() > 0);
    QCOMPARE(shown % OutputView::MaxCharsPerFrame, 0);
    QCOMPARE(shown + view.pendingChars(), total);
    view.flush();
    QCOMPARE(view.pendingChars(), 0);
    QCOMPARE(view.document()->blockCount(), OutputView::MaxLines); // the last ones
}

void tst_OutputView::pendingTextPastTheBoundDropsItsOldestPart()
{
    OutputView view;
    const qsizetype extra = 1234;
    view.append(QByteArray(OutputView::MaxPendingChars, 'a'), OutputView::Stream::Out);
    view.append(QByteArray(extra, 'b'), OutputView::Stream::Out);
    QCOMPARE(view.pendingChars(), OutputView::MaxPendingChars);
    QCOMPARE(view.droppedChars(), extra);
    view.flush();
    const QString text = view.toPlainText();
    QVERIFY2(text.startsWith(QStringLiteral("[… 1234 characters not shown")),
             qPrintable(text.left(80)));
    QVERIFY(text.endsWith(QString(extra, u'b')));
}

void tst_OutputView::theViewKeepsItsLastLines()
{
    OutputView view;
    QByteArray lines;
    for (int i = 0; i < OutputView::MaxLines + 100; ++i)
        lines += "line " + QByteArray::number(i) + '\n';
    view.append(lines, OutputView::Stream::Out);
    view.flush();
    QCOMPARE(view.document()->blockCount(), OutputView::MaxLines);
    QCOMPARE(view.document()->lastBlock().previous().text(),
             QStringLiteral("line %1").arg(OutputView::MaxLines + 99));
}

void tst_OutputView::clearingForgetsEverything()
{
    OutputView view;
    view.append("shown\n", OutputView::Stream::Out);
    view.flush();
    view.append("\xc3", OutputView::Stream::Out); // half of é, and pending
    view.clearOutput();
    QCOMPARE(view.pendingChars(), 0);
    view.append("ok\n", OutputView::Stream::Out);
    view.flush();
    QCOMPARE(view.toPlainText(), QStringLiteral("ok\n"));
}

QTEST_MAIN(tst_OutputView)
#include "tst_outputview.moc"
