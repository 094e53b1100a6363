// SPDX-License-Identifier: MIT
// Click to go there, in the window, offscreen: a click on an event-log row, on a timeline mark
// or badge, or on a span's edge takes the playhead to that event, which marks its code line as
// seeking there does; a click inside a span only selects its lane. Rows after the playhead
// stay listed (dimmed), so a click can go forward again.
#include "codeview.h"
#include "eventtabledelegate.h"
#include "eventtablemodel.h"
#include "eventtableview.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "timelinewidget.h"
#include "windowtest.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Lifeline;

class tst_ClickToGo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void anEventRowGoesToItsEvent_data();
    void anEventRowGoesToItsEvent();
    void rowsAfterThePlayheadCanBeClicked();
    void aTimelineMarkGoesToWhatItMarks_data();
    void aTimelineMarkGoesToWhatItMarks();
    void aSpansEdgeGoesToThatMoment();

private:
    bool openAndRun(const QString &example);
    void clickRow(int row);
    // What seeking to `position` shows in the code view, for comparison.
    int codeLineAt(qsizetype position);

    MainWindow *m_window = nullptr;
    RunController *m_controller = nullptr;
    TimelineWidget *m_timeline = nullptr;
    EventTableView *m_table = nullptr;
};

void tst_ClickToGo::initTestCase()
{
    WindowTest::useTestSettings("tst_clicktogo");
}

void tst_ClickToGo::init()
{
    m_window = WindowTest::shownWindow(QSize(1500, 1000));
    QVERIFY(m_window);
    m_controller = m_window->controller();
    m_timeline = m_window->findChild<TimelineWidget *>();
    m_table = m_window->findChild<EventTableView *>(QStringLiteral("eventTable"));
    QVERIFY(m_timeline && m_table);
}

void tst_ClickToGo::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

bool tst_ClickToGo::openAndRun(const QString &example)
{
    if (!WindowTest::openAndWait(m_window, example))
        return false;
    m_controller->seek(1000000);
    m_window->viewState(); // the views follow
    return m_controller->isFinished();
}

void tst_ClickToGo::clickRow(int row)
{
    m_table->scrollTo(m_table->model()->index(row, 0));
    const int y = row * m_table->rowHeight() - m_table->verticalScrollBar()->value()
        + m_table->rowHeight() / 2;
    QTest::mouseClick(m_table->viewport(), Qt::LeftButton, {}, QPoint(30, y));
}

int tst_ClickToGo::codeLineAt(qsizetype position)
{
    const qsizetype here = m_controller->position();
    m_controller->seek(position);
    const int line = m_window->viewState().codeLine;
    m_controller->seek(here);
    m_window->viewState();
    return line;
}

void tst_ClickToGo::anEventRowGoesToItsEvent_data()
{
    QTest::addColumn<int>("row");
    QTest::newRow("an early one") << 3;
    QTest::newRow("one in the middle") << 20;
    QTest::newRow("the one before last") << -2;
}

void tst_ClickToGo::anEventRowGoesToItsEvent()
{
    QFETCH(int, row);
    QVERIFY(openAndRun(QStringLiteral("gather-vs-taskgroup")));
    const qsizetype recorded = m_controller->recorded();
    if (row < 0)
        row += int(recorded);
    const int expectedLine = codeLineAt(row + 1);
    clickRow(row);
    QCOMPARE(m_controller->position(), qsizetype(row + 1));
    const MainWindow::ViewState s = m_window->viewState();
    QCOMPARE(s.codeLine, expectedLine);
    QVERIFY(s.codeLine > 0);
}

void tst_ClickToGo::rowsAfterThePlayheadCanBeClicked()
{
    QVERIFY(openAndRun(QStringLiteral("seed")));
    const qsizetype recorded = m_controller->recorded();
    clickRow(5);
    QCOMPARE(m_controller->position(), qsizetype(6));
    m_window->viewState(); // the views follow
    QAbstractItemModel *model = m_table->model();
    QCOMPARE(model->rowCount(), int(recorded)); // nothing went
    QVERIFY(!model->index(5, 0).data(EventTableDelegate::DimmedRole).toBool());
    QVERIFY(model->index(5, 0).data(EventTableModel::IsCurrentRole).toBool());
    QVERIFY(model->index(6, 0).data(EventTableDelegate::DimmedRole).toBool());
    clickRow(int(recorded) - 3); // forward again, to a dimmed row
    QCOMPARE(m_controller->position(), recorded - 2);
    m_window->viewState();
    QVERIFY(!model->index(int(recorded) - 3, 0).data(EventTableDelegate::DimmedRole).toBool());
}

void tst_ClickToGo::aTimelineMarkGoesToWhatItMarks_data()
{
    QTest::addColumn<int>("marker"); // MarkerKind
    QTest::addColumn<int>("kind"); // the EventKind gone to
    QTest::newRow("a task's failure mark: the task failing")
        << int(MarkerKind::TaskFailed) << int(EventKind::TaskEnded);
    QTest::newRow("a task's cancelled mark: the task ending cancelled")
        << int(MarkerKind::TaskCancelled) << int(EventKind::TaskEnded);
    QTest::newRow("a raise mark: the raise")
        << int(MarkerKind::Raise) << int(EventKind::ExceptionRaised);
    QTest::newRow("a print mark: the print") << int(MarkerKind::Print) << int(EventKind::Printed);
}

void tst_ClickToGo::aTimelineMarkGoesToWhatItMarks()
{
    QFETCH(int, marker);
    QFETCH(int, kind);
    QVERIFY(openAndRun(QStringLiteral("gather-vs-taskgroup")));
    m_timeline->zoomToFit();
    const TimelineRenderModel &frame = m_timeline->renderModel();
    const TimelineMarker *mark = nullptr;
    for (const TimelineMarker &m : frame.markers)
        if (int(m.kind) == marker && !mark)
            mark = &m;
    QVERIFY(mark);
    const LaneId lane = mark->lane;
    QTest::mouseClick(m_timeline, Qt::LeftButton, {}, mark->pos.toPoint());
    const qsizetype position = m_controller->position();
    QVERIFY(position < m_controller->recorded());
    const Event e = m_controller->log()->at(size_t(position - 1));
    QCOMPARE(int(e.kind()), kind);
    QCOMPARE(TimelineWidget::laneOfEvent(*m_controller->log(), size_t(position - 1)), lane);
    QCOMPARE(m_window->viewState().codeLine, codeLineAt(position));
}

void tst_ClickToGo::aSpansEdgeGoesToThatMoment()
{
    QVERIFY(openAndRun(QStringLiteral("seed")));
    m_timeline->zoomToFit();
    const TimelineRenderModel &frame = m_timeline->renderModel();
    // The first connection's execute span: its start is the execute beginning.
    const QRectF execute = frame.rects[size_t(SpanKind::Execute)].first();
    QVERIFY(execute.width() > 20);
    const qsizetype before = m_controller->position();
    QTest::mouseClick(m_timeline, Qt::LeftButton, {}, execute.center().toPoint());
    QCOMPARE(m_controller->position(), before); // inside: the lane only

    QTest::mouseClick(m_timeline, Qt::LeftButton, {},
                      QPoint(int(execute.left()) + 2, int(execute.center().y())));
    const qsizetype position = m_controller->position();
    QVERIFY(position < before);
    const Event e = m_controller->log()->at(size_t(position - 1));
    QCOMPARE(e.kind(), EventKind::PhaseBegan);
    QCOMPARE(Phase(e.detail), Phase::Execute);
    QVERIFY(m_window->viewState().codeLine > 0);
    QCOMPARE(m_window->viewState().codeLine, codeLineAt(position));
}

QTEST_MAIN(tst_ClickToGo)
#include "tst_clicktogo.moc"
