// SPDX-License-Identifier: MIT
// EventNumbering against a plain count: a run recorded with steps (as the window runs it) numbers
// its other events exactly as `lifeline events` numbers the same run recorded without them.
#include "eventformatter.h"
#include "eventnumbering.h"
#include "examples.h"
#include "scenarioloader.h"
#include "scenariorun.h"

#include <QTest>

using namespace Lifeline;

class tst_EventNumbering : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesTheCommandLine_data();
    void matchesTheCommandLine();
    void growsWithTheLog();
};

namespace {

std::shared_ptr<const Scenario> load(const QString &nameOrJson)
{
    if (nameOrJson.startsWith(u'{'))
        return ScenarioLoader::fromData(nameOrJson.toUtf8(), QStringLiteral("t.json"), nullptr);
    return ScenarioLoader::fromFile(Examples::find(nameOrJson)->resourcePath, nullptr);
}

// More events than EventNumbering::Stride, steps among them.
QString bigGather()
{
    QString json = QStringLiteral(R"({"lifeline": 1, "resources": [], "main": [{"gather": [)");
    for (int i = 0; i < 200; ++i)
        json += QStringLiteral(R"(%1{"name": "t%2", "body": [{"sleep": %2}, {"print": "x"}]})")
                    .arg(i ? QStringLiteral(",") : QString())
                    .arg(i);
    return json + QStringLiteral("]}]}");
}

} // namespace

void tst_EventNumbering::matchesTheCommandLine_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("steps");
    QTest::newRow("the seed, with steps") << QStringLiteral("seed") << true;
    QTest::newRow("without steps numbers are indexes") << QStringLiteral("seed") << false;
    QTest::newRow("a failing TaskGroup, with steps")
        << QStringLiteral("gather-vs-taskgroup") << true;
    QTest::newRow("past a stride, with steps") << bigGather() << true;
}

void tst_EventNumbering::matchesTheCommandLine()
{
    QFETCH(QString, scenario);
    QFETCH(bool, steps);
    const auto loaded = load(scenario);
    QVERIFY(loaded);
    ScenarioRun plain(loaded); // as `lifeline events` runs it
    plain.runToEnd();
    ScenarioRun window(loaded);
    window.setRecordSteps(steps);
    window.runToEnd();
    const EventLog &log = window.log();
    QVERIFY(log.count() > (steps ? plain.log().count() : 0));

    EventNumbering numbering;
    numbering.update(log);
    QCOMPARE(numbering.indexed(), log.count());
    QCOMPARE(numbering.countBefore(log, log.count()), qint64(plain.log().count()));
    qint64 expected = 0;
    for (size_t i = 0; i < log.count(); ++i) {
        QCOMPARE(numbering.countBefore(log, i), expected);
        if (log.at(i).kind() == EventKind::StepBegan) {
            QCOMPARE(numbering.number(log, i), qint64(-1));
            continue;
        }
        QCOMPARE(numbering.number(log, i), expected);
        QCOMPARE(EventFormatter::describe(log, i),
                 EventFormatter::describe(plain.log(), size_t(expected)));
        ++expected;
    }
}

void tst_EventNumbering::growsWithTheLog()
{
    const auto loaded = load(bigGather());
    QVERIFY(loaded);
    ScenarioRun run(loaded);
    run.setRecordSteps(true);
    EventNumbering grown;
    while (!run.isFinished()) {
        run.runUntilEvents(run.log().count() + 97);
        grown.update(run.log());
    }
    EventNumbering once;
    once.update(run.log());
    for (size_t i = 0; i < run.log().count(); ++i)
        QCOMPARE(grown.number(run.log(), i), once.number(run.log(), i));
    grown.clear();
    QCOMPARE(grown.indexed(), size_t(0));
}

QTEST_GUILESS_MAIN(tst_EventNumbering)
#include "tst_eventnumbering.moc"
