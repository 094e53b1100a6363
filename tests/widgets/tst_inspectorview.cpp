// InspectorView: what it reports for the lane it shows, how a new selection shows at once,
// and how, while the playhead moves, it rewrites itself at most about ten times a second
// (a rebuild costs milliseconds of a frame on a big run) yet always catches up.

#include "inspectorview.h"
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
