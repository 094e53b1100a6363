// SPDX-License-Identifier: MIT
// CodeView: the program as lines (indexed in slices, so a huge program never blocks the
// window), the running line kept in view, selection and copying of the text, and finding.

#include "../core/eventloopchecker.h"
#include "codeview.h"

#include <QApplication>
#include <QClipboard>
#include <QSignalSpy>
#include <QTest>

using namespace Lifeline;

namespace {
QString program(int functions)
{
    QString code = QStringLiteral("import asyncio\n\"\"\"A docstring\nover two lines\"\"\"\n");
    for (int i = 0; i < functions; ++i)
        code += QStringLiteral("async def task_%1():\n    print(\"step %1\")  # why\n\n").arg(i);
    return code;
}
} // namespace

class tst_CodeView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linesAreTheProgramsLines();
    void hugeProgramLoadsWithoutBlocking();
    void runningLineStaysInView();
    void selectAllCopiesTheProgram();
    void findSelectsEachMatchInTurn();
};

void tst_CodeView::linesAreTheProgramsLines()
{
    CodeView view;
    QSignalSpy loaded(&view, &CodeView::codeLoaded);
    const QString code = program(20);
    view.setCode(code, {});
    QVERIFY(loaded.wait(5000));
    QVERIFY(!view.isLoading());
    const QStringList lines = code.split(u'\n');
    QCOMPARE(view.lineCount(), int(lines.size()));
    for (int i = 0; i < lines.size(); ++i)
        QCOMPARE(view.lineText(i + 1), lines[i]);
    QCOMPARE(view.lineText(int(lines.size()) + 1), QString());
}

void tst_CodeView::hugeProgramLoadsWithoutBlocking()
{
    CodeView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &CodeView::codeLoaded);
    const QString code = program(300000); // 900,003 lines
    Test::EventLoopChecker checker;
    checker.start();
    view.setCode(code, {});
    QVERIFY(view.isLoading());
    QVERIFY(loaded.wait(60000));
    checker.stop();
    QCOMPARE(view.lineCount(), int(code.count(u'\n')) + 1);
    QCOMPARE(view.lineText(view.lineCount() - 1), QString());
    QCOMPARE(view.lineText(5), QStringLiteral("    print(\"step 0\")  # why"));
    // A sanity bound, not a benchmark (bench_window measures frames): indexing runs in
    // slices of a few milliseconds, where one call would take hundreds.
    qInfo("longest gap while indexing %d lines: %lld ms", view.lineCount(), checker.longestGapMs());
    QVERIFY(checker.ticks() > 1);
    QVERIFY2(checker.longestGapMs() < 100, qPrintable(QString::number(checker.longestGapMs())));
}

void tst_CodeView::runningLineStaysInView()
{
    CodeView view;
    view.resize(500, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &CodeView::codeLoaded);
    const QString code = program(2000);
    // Step i stands on task i's print line.
    std::vector<int> stepLines;
    for (int i = 0; i < 2000; ++i)
        stepLines.push_back(5 + 3 * i);
    view.setCode(code, stepLines);
    QVERIFY(loaded.wait(5000));
    for (int step : { 1500, 10, 1999, 700 }) {
        view.setCurrentStep(step);
        const int line = view.lineOfStep(step);
        QCOMPARE(view.currentLine(), line);
        QVERIFY2(view.firstVisibleLine() <= line, qPrintable(QString::number(line)));
        QVERIFY(line < view.firstVisibleLine() + 300 / view.fontMetrics().lineSpacing());
        QVERIFY(view.lineText(line).contains(QStringLiteral("step %1\"").arg(step)));
    }
    view.setCurrentStep(-1);
    QCOMPARE(view.currentLine(), 0);
}

void tst_CodeView::selectAllCopiesTheProgram()
{
    CodeView view;
    QSignalSpy loaded(&view, &CodeView::codeLoaded);
    const QString code = program(50);
    view.setCode(code, {});
    QVERIFY(loaded.wait(5000));
    QVERIFY(view.selectedText().isEmpty());
    view.selectAll();
    QCOMPARE(view.selectedText(), code);
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), code);
}

void tst_CodeView::findSelectsEachMatchInTurn()
{
    CodeView view;
    view.resize(300, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy loaded(&view, &CodeView::codeLoaded);
    const QString code = program(500);
    view.setCode(code, {});
    QVERIFY(loaded.wait(5000));

    // The lines holding `step 49`, worked out from the text: task 49's and tasks 490-499's.
    std::vector<int> expected;
    const QStringList lines = code.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].contains(QStringLiteral("step 49")))
            expected.push_back(i + 1);
    }
    QCOMPARE(expected.size(), size_t(11));

    // Forward, ignoring case: each in turn, each scrolled into view, then around again.
    for (size_t i = 0; i <= expected.size(); ++i) {
        QVERIFY(view.find(QStringLiteral("STEP 49")));
        const int line = expected[i % expected.size()];
        QCOMPARE(view.selectionLine(), line);
        QCOMPARE(view.selectedText(), QStringLiteral("step 49"));
        QVERIFY(view.firstVisibleLine() <= line);
        QVERIFY(line < view.firstVisibleLine() + view.height() / view.fontMetrics().lineSpacing());
    }
    // Backward from the first match wraps to the last.
    QVERIFY(view.find(QStringLiteral("step 49"), true));
    QCOMPARE(view.selectionLine(), expected.back());
    QVERIFY(view.find(QStringLiteral("step 49"), true));
    QCOMPARE(view.selectionLine(), expected[expected.size() - 2]);

    // No match: false, and the selection stays.
    QVERIFY(!view.find(QStringLiteral("no such text")));
    QCOMPARE(view.selectionLine(), expected[expected.size() - 2]);
    QVERIFY(!view.find(QString()));
}

QTEST_MAIN(tst_CodeView)
#include "tst_codeview.moc"
