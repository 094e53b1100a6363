// SPDX-License-Identifier: MIT
// EventTableModel: rows follow the playhead by inserts and removes, under QAbstractItemModelTester,
// and a QSortFilterProxyModel filters them.
#include "../scenario/samplelog.h"
#include "eventtabledelegate.h"
#include "eventtablemodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Lifeline;

class tst_EventTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void empty();
    void visibleCount_data();
    void visibleCount();
    void playheadMovesInsertAndRemove();
    void columns_data();
    void columns();
    void aTracedProgramsTimesAreMilliseconds_data();
    void aTracedProgramsTimesAreMilliseconds();
    void currentRowIsMarked();
    void rowsAfterThePlayheadAreDimmed();
    void filter_data();
    void filter();

private:
    Scenario m_scenario;
    EventLog m_log;
    EventTableModel *m_model = nullptr;
    QAbstractItemModelTester *m_tester = nullptr;
};

void tst_EventTableModel::init()
{
    m_scenario = Test::sampleScenario();
    m_log = EventLog();
    Test::fillSampleLog(m_log);
    m_model = new EventTableModel(this);
    m_tester = new QAbstractItemModelTester(
        m_model, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void tst_EventTableModel::cleanup()
{
    delete m_tester;
    delete m_model;
}

void tst_EventTableModel::empty()
{
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setVisibleCount(5); // no log: ignored
    QCOMPARE(m_model->rowCount(), 0);
    m_model->setLog(&m_log, &m_scenario);
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->columnCount(), int(EventTableModel::ColumnCount));
}

void tst_EventTableModel::visibleCount_data()
{
    QTest::addColumn<qsizetype>("requested");
    QTest::addColumn<int>("rows");
    QTest::newRow("nothing yet") << qsizetype(0) << 0;
    QTest::newRow("first event") << qsizetype(1) << 1;
    QTest::newRow("whole log") << qsizetype(Test::SampleEventCount) << int(Test::SampleEventCount);
    QTest::newRow("past the end clamps") << qsizetype(1000) << int(Test::SampleEventCount);
    QTest::newRow("negative clamps") << qsizetype(-3) << 0;
}

void tst_EventTableModel::visibleCount()
{
    QFETCH(qsizetype, requested);
    QFETCH(int, rows);
    m_model->setLog(&m_log, &m_scenario);
    m_model->setVisibleCount(requested);
    QCOMPARE(m_model->rowCount(), rows);
    QCOMPARE(m_model->visibleCount(), qsizetype(rows));
}

void tst_EventTableModel::playheadMovesInsertAndRemove()
{
    m_model->setLog(&m_log, &m_scenario, 3);
    QSignalSpy inserted(m_model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(m_model, &QAbstractItemModel::modelReset);
    m_model->setVisibleCount(10);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(inserted.at(0).at(2).toInt(), 9);
    m_model->setVisibleCount(10); // same value: nothing
    QCOMPARE(inserted.size(), 1);
    m_model->setVisibleCount(2);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 2);
    QCOMPARE(removed.at(0).at(2).toInt(), 9);
    QCOMPARE(reset.size(), 0);
}

// The # column numbers events as `lifeline events` does: the sample log's step events (for
// the code view) have no number and are not counted.
void tst_EventTableModel::columns_data()
{
    QTest::addColumn<int>("event");
    QTest::addColumn<QStringList>("cells");
    QTest::newRow("phase") << int(Test::Acquire)
                           << QStringList {
                                  QStringLiteral("2"), QStringLiteral("0"),
                                  QStringLiteral(
                                      "AsyncDatabaseConnection('postgresql://localhost/mydb') #1"),
                                  QStringLiteral("phase"), QStringLiteral("acquire")
                              };
    QTest::newRow("exception hop is on the lane it crossed")
        << int(Test::BoomSuppressed)
        << QStringList { QStringLiteral("8"), QStringLiteral("250"),
                         QStringLiteral(
                             "AsyncDatabaseConnection('postgresql://localhost/mydb') #1"),
                         QStringLiteral("hop"), QStringLiteral("suppressed ValueError('boom')") };
    QTest::newRow("step shows its Python")
        << int(Test::ExecuteStep)
        << QStringList { QString(), QStringLiteral("100"), QStringLiteral("main"),
                         QStringLiteral("step"), QStringLiteral("await db.execute('SELECT 1')") };
    QTest::newRow("cancelled task")
        << int(Test::WorkerEnded)
        << QStringList { QStringLiteral("14"), QStringLiteral("250"), QStringLiteral("worker-1"),
                         QStringLiteral("task-ended"),
                         QStringLiteral("cancelled: CancelledError()") };
}

void tst_EventTableModel::columns()
{
    QFETCH(int, event);
    QFETCH(QStringList, cells);
    m_model->setLog(&m_log, &m_scenario, qsizetype(m_log.count()));
    QStringList actual;
    for (int c = 0; c < m_model->columnCount(); ++c)
        actual << m_model->index(event, c).data().toString();
    QCOMPARE(actual, cells);
    QVERIFY(!m_model->index(event, 0).data(Qt::ToolTipRole).toString().isEmpty());
}

void tst_EventTableModel::aTracedProgramsTimesAreMilliseconds_data()
{
    QTest::addColumn<qint64>("ticksPerMs");
    QTest::addColumn<qint64>("time");
    QTest::addColumn<QString>("shown");
    QTest::newRow("a scenario's milliseconds") << qint64(1) << qint64(250) << QStringLiteral("250");
    QTest::newRow("nanoseconds, to the microsecond")
        << qint64(1'000'000) << qint64(2'679'908'123) << QStringLiteral("2679.908");
    QTest::newRow("nanoseconds on a whole millisecond")
        << qint64(1'000'000) << qint64(12'000'000) << QStringLiteral("12");
    QTest::newRow("microseconds (a trace past 39 hours)")
        << qint64(1000) << qint64(150'000'001) << QStringLiteral("150000.001");
}

void tst_EventTableModel::aTracedProgramsTimesAreMilliseconds()
{
    QFETCH(qint64, ticksPerMs);
    QFETCH(qint64, time);
    QFETCH(QString, shown);
    EventLog log;
    log.setTicksPerMs(ticksPerMs);
    const LaneId main
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main")), None, None, 1);
    log.append(time, EventKind::TaskStarted, quint32(main));
    m_model->setLog(&log, nullptr, 1);
    QCOMPARE(m_model->index(0, EventTableModel::TimeColumn).data().toString(), shown);
    m_model->setLog(nullptr, nullptr, 0);
}

void tst_EventTableModel::currentRowIsMarked()
{
    m_model->setLog(&m_log, &m_scenario, 4);
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QVERIFY(m_model->index(3, 0).data(EventTableModel::IsCurrentRole).toBool());
    m_model->setVisibleCount(5);
    QVERIFY(!m_model->index(3, 0).data(EventTableModel::IsCurrentRole).toBool());
    QVERIFY(m_model->index(4, 0).data(EventTableModel::IsCurrentRole).toBool());
    QCOMPARE(changed.size(), 2); // the old current row and the new one
}

// The window lists every recorded event and moves the playhead among them: the row before it
// is the current (bold) one, the rows from it on are dimmed, and only the rows that change are
// reported; no row comes or goes.
void tst_EventTableModel::rowsAfterThePlayheadAreDimmed()
{
    m_model->setLog(&m_log, &m_scenario, qsizetype(m_log.count()));
    const int rows = m_model->rowCount();
    QCOMPARE(m_model->playhead(), qsizetype(rows)); // follows the last row by default
    QSignalSpy changed(m_model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(m_model, &QAbstractItemModel::rowsRemoved);
    auto dimmed = [&](int row) {
        return m_model->index(row, 0).data(EventTableDelegate::DimmedRole).toBool();
    };
    auto current = [&](int row) {
        return m_model->index(row, 0).data(EventTableModel::IsCurrentRole).toBool();
    };

    m_model->setPlayhead(5);
    QCOMPARE(m_model->playhead(), qsizetype(5));
    QCOMPARE(m_model->rowCount(), rows);
    QCOMPARE(removed.size(), 0);
    for (int r = 0; r < rows; ++r) {
        QCOMPARE(dimmed(r), r >= 5);
        QCOMPARE(current(r), r == 4);
    }
    QCOMPARE(m_model->index(4, 0).data(Qt::FontRole).value<QFont>().bold(), true);
    QCOMPARE(changed.size(), 1); // rows 4 to the last: bold moved, the rest dimmed
    QCOMPARE(changed[0][0].toModelIndex().row(), 4);
    QCOMPARE(changed[0][1].toModelIndex().row(), rows - 1);

    m_model->setPlayhead(7); // two rows happen: rows 4 to 6 change
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed[1][0].toModelIndex().row(), 4);
    QCOMPARE(changed[1][1].toModelIndex().row(), 6);
    QVERIFY(current(6));
    QVERIFY(!dimmed(6));
    QVERIFY(dimmed(7));

    m_model->setPlayhead(7); // the same: nothing
    QCOMPARE(changed.size(), 2);

    // Rows recorded later are after the playhead too.
    m_model->setVisibleCount(3);
    m_model->setVisibleCount(rows);
    QVERIFY(dimmed(rows - 1));
    m_model->setPlayhead(-1); // back to following the last row
    QVERIFY(!dimmed(rows - 1));
    QVERIFY(current(rows - 1));
}

void tst_EventTableModel::filter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("rows");
    QTest::newRow("everything") << QString() << int(Test::SampleEventCount);
    QTest::newRow("by exception repr") << QStringLiteral("ValueError") << 2;
    QTest::newRow("by lane, any case") << QStringLiteral("WORKER-1") << 7;
    QTest::newRow("no match") << QStringLiteral("no such text") << 0;
}

void tst_EventTableModel::filter()
{
    QFETCH(QString, text);
    QFETCH(int, rows);
    m_model->setLog(&m_log, &m_scenario, qsizetype(m_log.count()));
    QSortFilterProxyModel proxy;
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(m_model);
    proxy.setFilterKeyColumn(-1);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterFixedString(text);
    QCOMPARE(proxy.rowCount(), rows);
    // Moving the playhead back under a filter keeps the proxy consistent.
    m_model->setVisibleCount(1);
    QVERIFY(proxy.rowCount() <= 1);
}

QTEST_MAIN(tst_EventTableModel)
#include "tst_eventtablemodel.moc"
