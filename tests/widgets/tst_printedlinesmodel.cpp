// SPDX-License-Identifier: MIT
// PrintedLinesModel under QAbstractItemModelTester: one row per print event (time, task, text),
// every line recorded, the lines at or after the playhead flagged to be dimmed (and only the
// rows that change side reported), a growing run's lines appended, a log of millions of
// events read in slices rather than in one go.
#include "eventtabledelegate.h"
#include "examples.h"
#include "printedlinesmodel.h"
#include "scenarioloader.h"
#include "scenariorun.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

using namespace Lifeline;

namespace {

std::shared_ptr<const Scenario> example(const QString &name)
{
    return ScenarioLoader::fromFile(Examples::find(name)->resourcePath, nullptr);
}

// `events` events on one task, every `every`-th a print of its own number.
std::unique_ptr<EventLog> bigLog(size_t events, size_t every)
{
    auto log = std::make_unique<EventLog>();
    const LaneId task
        = log->addLane(LaneKind::Task, log->internLabel(QStringLiteral("main()")), None, None, 0);
    log->append(0, EventKind::TaskCreated, quint32(task));
    for (size_t i = 1; i < events; ++i) {
        if (i % every == 0)
            log->append(qint64(i), EventKind::Printed, quint32(task),
                        quint32(log->addPrint(QString::number(i))));
        else
            log->append(qint64(i), EventKind::StepBegan, quint32(task), 0);
    }
    return log;
}

} // namespace

class tst_PrintedLinesModel : public QObject
{
    Q_OBJECT
private slots:
    void oneRowPerPrintedLine_data();
    void oneRowPerPrintedLine();
    void linesAfterThePlayheadAreDimmed();
    void aGrowingRunAppendsLines();
    void aBigLogIsReadInSlices();
};

void tst_PrintedLinesModel::oneRowPerPrintedLine_data()
{
    QTest::addColumn<QString>("example");
    for (const char *name : { "seed", "gather-vs-taskgroup", "spawn-cancelled-at-exit" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

void tst_PrintedLinesModel::oneRowPerPrintedLine()
{
    QFETCH(QString, example);
    ScenarioRun run(::example(example));
    run.runToEnd();
    PrintedLinesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLog(&run.log());
    QVERIFY(model.logGrew());
    const QStringList output = run.output();
    QCOMPARE(model.rowCount(), output.size());
    for (int row = 0; row < model.rowCount(); ++row) {
        const quint32 event = model.eventOf(row);
        const Event e = run.log().at(event);
        QCOMPARE(e.kind(), EventKind::Printed);
        QCOMPARE(model.index(row, PrintedLinesModel::TextColumn).data().toString(), output[row]);
        QCOMPARE(model.index(row, PrintedLinesModel::TimeColumn).data().toLongLong(),
                 qint64(e.time));
        QCOMPARE(model.index(row, PrintedLinesModel::TaskColumn).data().toString(),
                 run.log().laneName(LaneId(e.subject)));
        QCOMPARE(model.index(row, 0).data(PrintedLinesModel::EventIndexRole).toLongLong(),
                 qint64(event));
    }
}

void tst_PrintedLinesModel::linesAfterThePlayheadAreDimmed()
{
    ScenarioRun run(example(QStringLiteral("gather-vs-taskgroup")));
    run.runToEnd();
    PrintedLinesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLog(&run.log());
    model.logGrew();
    const int rows = model.rowCount();
    QVERIFY(rows >= 6);
    auto dimmed = [&] {
        QList<bool> out;
        for (int r = 0; r < rows; ++r)
            out << model.index(r, 0).data(EventTableDelegate::DimmedRole).toBool();
        return out;
    };
    // At the start every line is still to come.
    QCOMPARE(dimmed(), QList<bool>(rows, true));

    // The playhead just past the third line: three lines printed, the rest dimmed.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const qsizetype third = qsizetype(model.eventOf(2));
    model.setPlayhead(third + 1);
    QCOMPARE(model.firstRowFrom(third + 1), 3);
    QList<bool> expected(rows, true);
    expected[0] = expected[1] = expected[2] = false;
    QCOMPARE(dimmed(), expected);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 0);
    QCOMPARE(changed[0][1].toModelIndex().row(), 2);

    // On the third line's own event: it has not been printed yet.
    model.setPlayhead(third);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed[1][0].toModelIndex().row(), 2);
    QCOMPARE(changed[1][1].toModelIndex().row(), 2);
    QVERIFY(model.index(2, 0).data(PrintedLinesModel::AfterPlayheadRole).toBool());

    // Between two lines: nothing changes side, nothing is reported.
    model.setPlayhead(third - 1);
    QCOMPARE(changed.size(), 2);

    // The end: every line printed.
    model.setPlayhead(qsizetype(run.log().count()));
    QCOMPARE(dimmed(), QList<bool>(rows, false));
}

void tst_PrintedLinesModel::aGrowingRunAppendsLines()
{
    ScenarioRun run(example(QStringLiteral("gather-vs-taskgroup")));
    PrintedLinesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLog(&run.log());
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    while (!run.isFinished()) {
        run.runUntilEvents(run.log().count() + 3);
        QVERIFY(model.logGrew());
        QCOMPARE(model.rowCount(), run.log().printCount());
    }
    QCOMPARE(reset.size(), 0);
    QVERIFY(inserted.size() > 1);
    QCOMPARE(model.rowCount(), run.output().size());
    // A new run starts over.
    model.setLog(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.logGrew());
}

// Three million events: the first call reads one slice (a few milliseconds) and returns; the
// rest comes over later turns of the event loop, each a slice.
void tst_PrintedLinesModel::aBigLogIsReadInSlices()
{
    const auto log = bigLog(3'000'000, 3);
    PrintedLinesModel model;
    model.setLog(log.get());
    QSignalSpy caughtUp(&model, &PrintedLinesModel::caughtUp);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(!model.logGrew());
    QVERIFY2(clock.elapsed() < 100, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(model.rowCount() > 0);
    QVERIFY(model.rowCount() < 1'000'000);
    QVERIFY(!model.isCaughtUp());
    QVERIFY(caughtUp.wait(30000));
    QVERIFY(model.isCaughtUp());
    QCOMPARE(model.rowCount(), 999'999);
    QCOMPARE(model.index(model.rowCount() - 1, PrintedLinesModel::TextColumn).data().toString(),
             QStringLiteral("2999997"));
    QCOMPARE(model.firstRowFrom(3000), 999);
}

QTEST_MAIN(tst_PrintedLinesModel)
#include "tst_printedlinesmodel.moc"
