// SPDX-License-Identifier: MIT
// EventFormatter: what `lifeline events` prints for each kind of event, as text and as JSON.
#include "eventformatter.h"
#include "scenariorun.h"
#include "scenariosource.h"

#include <QTest>

using namespace Lifeline;

class tst_EventFormatter : public QObject
{
    Q_OBJECT
private slots:
    void describesEveryKind_data();
    void describesEveryKind();
    void jsonNamesLanesAndExceptions();
    void millisecondsAreExact_data();
    void millisecondsAreExact();
};

static std::unique_ptr<ScenarioRun> run(const QString &example)
{
    std::vector<Diagnostic> diagnostics;
    auto run = std::make_unique<ScenarioRun>(ScenarioSource::load(example, &diagnostics));
    run->runToEnd();
    return run;
}

void tst_EventFormatter::describesEveryKind_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QString>("line");
    QTest::newRow("task created") << "seed"
                                  << "main() created by -";
    QTest::newRow("phase") << "seed"
                           << "AsyncDatabaseConnection('postgresql://localhost/mydb') #1 acquire";
    QTest::newRow("print, quoted as Python would")
        << "seed"
        << "main() prints \"Query result: {'result': 'success'}\"";
    QTest::newRow("instance ended") << "seed"
                                    << "managed_resource('GPU-001') #1 released";
    QTest::newRow("raise") << "exit-raises-during-propagation"
                           << "ValueError('boom') raise in main()";
    QTest::newRow("hop: replaced") << "exit-raises-during-propagation"
                                   << "ValueError('boom') replaced at Connection('cache-01') #1";
    QTest::newRow("task failed") << "exit-raises-during-propagation"
                                 << "main() failed: RuntimeError('cleanup failed')";
}

void tst_EventFormatter::describesEveryKind()
{
    QFETCH(QString, example);
    QFETCH(QString, line);
    auto r = run(example);
    QStringList lines;
    for (size_t i = 0; i < r->log().count(); ++i)
        lines << EventFormatter::describe(r->log(), i);
    QVERIFY2(lines.contains(line), qPrintable(lines.join(u'\n')));
}

void tst_EventFormatter::jsonNamesLanesAndExceptions()
{
    auto r = run(QStringLiteral("exit-raises-during-propagation"));
    const EventLog &log = r->log();
    QJsonObject escaped;
    for (size_t i = 0; i < log.count(); ++i) {
        const QJsonObject o = EventFormatter::toJson(log, i);
        QCOMPARE(o.value(QStringLiteral("i")).toInteger(), qint64(i));
        QCOMPARE(o.value(QStringLiteral("t")).toInteger(), qint64(log.at(i).time));
        if (o.value(QStringLiteral("action")).toString() == QLatin1String("escaped"))
            escaped = o;
    }
    QCOMPARE(escaped.value(QStringLiteral("kind")).toString(), QStringLiteral("hop"));
    QCOMPARE(escaped.value(QStringLiteral("repr")).toString(),
             QStringLiteral("RuntimeError('cleanup failed')"));
    QCOMPARE(escaped.value(QStringLiteral("laneName")).toString(), QStringLiteral("main()"));
    // The context link points at the ValueError's exception id.
    const qint64 context = escaped.value(QStringLiteral("context")).toInteger(-1);
    QVERIFY(context >= 0);
    QCOMPARE(log.repr(ExcId(context)), QStringLiteral("ValueError('boom')"));
}

void tst_EventFormatter::millisecondsAreExact_data()
{
    QTest::addColumn<qint64>("ticksPerMs");
    QTest::addColumn<qint64>("ticks");
    QTest::addColumn<QString>("text");
    QTest::newRow("scenario milliseconds") << qint64(1) << qint64(1200) << QStringLiteral("1200");
    QTest::newRow("start") << qint64(1'000'000) << qint64(0) << QStringLiteral("0");
    QTest::newRow("whole ns milliseconds")
        << qint64(1'000'000) << qint64(12'000'000) << QStringLiteral("12");
    QTest::newRow("half a millisecond more")
        << qint64(1'000'000) << qint64(12'500'000) << QStringLiteral("12.5");
    QTest::newRow("123 ns") << qint64(1'000'000) << qint64(123) << QStringLiteral("0.000123");
    QTest::newRow("39 hours and 1 ns")
        << qint64(1'000'000) << qint64(140'400'000'000'001) << QStringLiteral("140400000.000001");
    QTest::newRow("not a power of ten")
        << qint64(3) << qint64(1) << QStringLiteral("0.3333333333333333");
}

void tst_EventFormatter::millisecondsAreExact()
{
    QFETCH(qint64, ticksPerMs);
    QFETCH(qint64, ticks);
    QFETCH(QString, text);
    EventLog log;
    log.setTicksPerMs(ticksPerMs);
    QCOMPARE(EventFormatter::milliseconds(log, ticks), text);
}

QTEST_GUILESS_MAIN(tst_EventFormatter)
#include "tst_eventformatter.moc"
