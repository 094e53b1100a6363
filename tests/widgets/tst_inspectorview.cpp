// SPDX-License-Identifier: MIT
// InspectorView: what it reports for the lane it shows, how a new selection shows at once,
// and how, while the playhead moves, it rewrites itself at most about ten times a second
// (a rebuild costs milliseconds of a frame on a big run) yet always catches up.

#include "inspectorview.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "scenariosource.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Lifeline;

class tst_InspectorView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reportsTheShownLane();
    void namesTheScopeOfATaskGroupOrTimeoutLane_data();
    void namesTheScopeOfATaskGroupOrTimeoutLane();
    void selectionShowsAtOnceAndPlayheadMovesAreThrottled();

private:
    std::shared_ptr<const Scenario> m_scenario;
    std::unique_ptr<ScenarioRun> m_run;
};

void tst_InspectorView::initTestCase()
{
    std::vector<Diagnostic> diagnostics;
    m_scenario = ScenarioSource::load(QStringLiteral("seed"), &diagnostics);
    QVERIFY(m_scenario);
    m_run = std::make_unique<ScenarioRun>(m_scenario);
    m_run->runToEnd();
    QVERIFY(m_run->log().count() > 10);
}

void tst_InspectorView::reportsTheShownLane()
{
    InspectorView view;
    view.setLog(&m_run->log(), m_scenario.get());
    view.setPosition(qsizetype(m_run->log().count()));
    view.setSelectedLane(0); // main()
    const QString report = view.reportText();
    QVERIFY2(report.contains(QStringLiteral("main()")), qPrintable(report));
    // Every line main() printed, as the log has them.
    for (int i = 0; i < m_run->log().printCount(); ++i)
        QVERIFY2(report.contains(m_run->log().print(i)), qPrintable(m_run->log().print(i)));
}

void tst_InspectorView::namesTheScopeOfATaskGroupOrTimeoutLane_data()
{
    QTest::addColumn<QString>("lane");
    QTest::addColumn<QString>("scope");
    QTest::newRow("TaskGroup") << QStringLiteral("TaskGroup() #1")
                               << QStringLiteral("asyncio.TaskGroup (a task_group step)");
    QTest::newRow("timeout") << QStringLiteral("timeout(0.05) #1")
                             << QStringLiteral("asyncio.timeout (a timeout step)");
}

// Their lane groups follow the scenario's resources: the report names the scope, not a resource.
void tst_InspectorView::namesTheScopeOfATaskGroupOrTimeoutLane()
{
    QFETCH(QString, lane);
    QFETCH(QString, scope);
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<const Scenario> scenario = ScenarioLoader::fromData(
        R"({"lifeline": 1, "resources": [{"id": "db", "kind": "class"}], "main": [
            {"timeout": 50, "body": [{"task_group": [{"name": "w", "body": []}]}]}]})",
        QStringLiteral("scopes.json"), &diagnostics);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.runToEnd();
    LaneId shown = None;
    for (size_t i = 0; i < run.log().laneCount(); ++i) {
        if (run.log().laneName(LaneId(i)) == lane)
            shown = LaneId(i);
    }
    QVERIFY(shown != None);
    InspectorView view;
    view.setLog(&run.log(), scenario.get());
    view.setPosition(qsizetype(run.log().count()));
    view.setSelectedLane(shown);
    const QString report = view.reportText();
    QVERIFY2(report.contains(scope), qPrintable(report));
    QVERIFY2(report.contains(QStringLiteral("released")), qPrintable(report));
}

void tst_InspectorView::selectionShowsAtOnceAndPlayheadMovesAreThrottled()
{
    InspectorView view;
    view.setLog(&m_run->log(), m_scenario.get());
    view.setPosition(1);
    view.setSelectedLane(0);
    QCoreApplication::processEvents();
    const QString early = view.toPlainText();
    QVERIFY(early.contains(QStringLiteral("main()")));

    // The playhead jumps to the end right after a rebuild: the text waits, then catches up.
    const QString last = m_run->log().print(m_run->log().printCount() - 1);
    QVERIFY(!early.contains(last));
    QElapsedTimer clock;
    clock.start();
    view.setPosition(qsizetype(m_run->log().count()));
    QCoreApplication::processEvents();
    QVERIFY2(!view.toPlainText().contains(last) || clock.elapsed() >= 90,
             "rebuilt within the same turn while the playhead moves");
    QTRY_VERIFY_WITH_TIMEOUT(view.toPlainText().contains(last), 2000);

    // Selecting another lane shows it in the next turn, throttle or not.
    const LaneId instance = 1;
    QVERIFY(m_run->log().lane(instance).kind() == LaneKind::Instance);
    view.setSelectedLane(instance);
    QCoreApplication::processEvents();
    QVERIFY(view.toPlainText().contains(m_run->log().laneName(instance)));
}

QTEST_MAIN(tst_InspectorView)
#include "tst_inspectorview.moc"
