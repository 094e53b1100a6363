// EventCaption: one sentence per event, with and without the scenario at hand.
#include "eventcaption.h"
#include "samplelog.h"
#include "scenarioloader.h"

#include <QTest>

using namespace Lifeline;

class tst_Caption : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void caption_data();
    void caption();
    void withoutScenario();
    void stepText_data();
    void stepText();
    void outOfRange();
    void bigGatherStaysOneLine();

private:
    Scenario m_scenario;
    EventLog m_log;
};

void tst_Caption::initTestCase()
{
    m_scenario = Test::sampleScenario();
    Test::fillSampleLog(m_log);
    QCOMPARE(m_log.count(), size_t(Test::SampleEventCount));
}

void tst_Caption::caption_data()
{
    QTest::addColumn<int>("event");
    QTest::addColumn<QString>("expected");
    QTest::newRow("main is created by asyncio.run")
        << int(Test::MainCreated) << QStringLiteral("asyncio.run() creates the main task");
    QTest::newRow("acquiring names __aenter__")
        << int(Test::Acquire)
        << QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb') #1 starts "
                          "acquiring (__aenter__)");
    QTest::newRow("a with step shows its Python")
        << int(Test::WithStep)
        << QStringLiteral("main runs `async with AsyncDatabaseConnection("
                          "'postgresql://localhost/mydb') as db`");
    QTest::newRow("execute names its query")
        << int(Test::Execute)
        << QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb') #1 executes "
                          "'SELECT 1'");
    QTest::newRow("a print quotes the line")
        << int(Test::ConnectPrint)
        << QStringLiteral("main prints 'Connecting to postgresql://localhost/mydb'");
    QTest::newRow("raise says where")
        << int(Test::BoomRaised)
        << QStringLiteral("ValueError('boom') is raised in "
                          "AsyncDatabaseConnection('postgresql://localhost/mydb') #1");
    QTest::newRow("exit returning True suppresses")
        << int(Test::BoomSuppressed)
        << QStringLiteral("`__aexit__` of db returned True: ValueError('boom') is suppressed here");
    QTest::newRow("cancellation enters at the await")
        << int(Test::CancelRaised)
        << QStringLiteral("worker-1 is cancelled: CancelledError() enters it at its await");
    QTest::newRow("spawned task is created by main")
        << int(Test::WorkerCreated)
        << QStringLiteral("main creates task worker-1; it runs once main yields to the loop");
    QTest::newRow("sleep step in seconds")
        << int(Test::SleepStep) << QStringLiteral("worker-1 runs `await asyncio.sleep(0.2)`");
    QTest::newRow("cancelled task ends cancelled")
        << int(Test::WorkerEnded) << QStringLiteral("worker-1 ends cancelled");
    QTest::newRow("released") << int(Test::Released)
                              << QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/"
                                                "mydb') #1 is released");
}

void tst_Caption::caption()
{
    QFETCH(int, event);
    QFETCH(QString, expected);
    const EventCaption captions(&m_log, &m_scenario);
    QCOMPARE(captions.caption(size_t(event)), expected);
}

void tst_Caption::withoutScenario()
{
    // Without the scenario, every event still gets a sentence; names fall back to lanes.
    const EventCaption captions(&m_log);
    for (size_t i = 0; i < m_log.count(); ++i)
        QVERIFY2(!captions.caption(i).isEmpty(), qPrintable(QString::number(i)));
    QCOMPARE(captions.caption(Test::ExecuteStep), QStringLiteral("main runs `step 1`"));
}

void tst_Caption::stepText_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero is an int") << qint64(0) << QStringLiteral("await asyncio.sleep(0)");
    QTest::newRow("whole seconds keep .0")
        << qint64(2000) << QStringLiteral("await asyncio.sleep(2.0)");
    QTest::newRow("shortest repr") << qint64(150) << QStringLiteral("await asyncio.sleep(0.15)");
}

void tst_Caption::stepText()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    Scenario s = Test::sampleScenario();
    s.main[1].tasks[0].body[0].duration = ms;
    const EventCaption captions(&m_log, &s);
    QCOMPARE(captions.stepText(3), expected);
}

void tst_Caption::outOfRange()
{
    const EventCaption captions(&m_log, &m_scenario);
    QVERIFY(captions.caption(m_log.count()).isEmpty());
    QCOMPARE(captions.stepText(99), QStringLiteral("step 99"));
}

void tst_Caption::bigGatherStaysOneLine()
{
    // The event table and the status line show step texts in one line: a gather of thousands
    // of tasks names the first few (eliding 2 MB of names took a quarter of a second a frame).
    QByteArray json = R"({"lifeline": 1, "resources": [], "main": [{"gather": [)";
    for (int i = 0; i < 5000; ++i)
        json += (i ? "," : "") + QByteArray(R"({"name": "t)") + QByteArray::number(i)
                + R"(", "body": [{"sleep": 1}]})";
    json += "]}]}";
    auto scenario = ScenarioLoader::fromData(json, QStringLiteral("big.json"), nullptr);
    QVERIFY(scenario);
    const EventCaption captions(&m_log, scenario.get());
    QCOMPARE(captions.stepText(0),
             QStringLiteral("await asyncio.gather(t0, t1, t2, t3, t4, t5, ... 4994 more)"));
}

QTEST_GUILESS_MAIN(tst_Caption)
#include "tst_caption.moc"
