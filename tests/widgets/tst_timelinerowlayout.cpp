// SPDX-License-Identifier: MIT
// TimelineRowLayout: rows synced frame by frame while a run grows (lanes placed as they join
// their groups) must be exactly the rows a layout built once from the whole model has, for
// every example and for a gather whose task group passes the auto-collapse size, with groups
// expanded and collapsed along the way.

#include "examples.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "timelinemodel.h"
#include "timelinerowlayout.h"

#include <QTest>

using namespace Lifeline;

namespace {

std::shared_ptr<Scenario> gather(int tasks)
{
    QByteArray json = "{\"lifeline\":1,\"resources\":[{\"id\":\"r\",\"kind\":\"class\","
                      "\"name\":\"R\",\"enter\":{\"ms\":1},\"exit\":{\"ms\":1}}],"
                      "\"main\":[{\"gather\":[";
    for (int i = 0; i < tasks; ++i)
        json += QByteArray(i ? "," : "") + "{\"name\":\"t" + QByteArray::number(i)
            + "\",\"body\":[{\"sleep\":" + QByteArray::number(i % 7)
            + "},{\"with\":\"r\",\"body\":[]}]}";
    json += "]}]}";
    std::vector<Diagnostic> diagnostics;
    return ScenarioLoader::fromData(json, QStringLiteral("gather.json"), &diagnostics);
}

// Every row, and where every lane and group lands, the same in both layouts.
bool sameRows(const TimelineRowLayout &a, const TimelineRowLayout &b, const TimelineModel &model,
              QString *why)
{
    if (a.rowCount() != b.rowCount()) {
        *why = QStringLiteral("%1 rows, expected %2").arg(a.rowCount()).arg(b.rowCount());
        return false;
    }
    for (qsizetype r = 0; r < a.rowCount(); ++r) {
        if (a.row(r).kind != b.row(r).kind || a.row(r).id != b.row(r).id) {
            *why = QStringLiteral("row %1 differs").arg(r);
            return false;
        }
    }
    for (LaneId lane = 0; lane < LaneId(model.laneCount()); ++lane) {
        if (a.rowOfLane(lane) != b.rowOfLane(lane)) {
            *why = QStringLiteral("lane %1 on row %2, expected %3")
                       .arg(lane)
                       .arg(a.rowOfLane(lane))
                       .arg(b.rowOfLane(lane));
            return false;
        }
    }
    for (int g = 0; g < model.groupCount(); ++g) {
        if (a.rowOfGroup(g) != b.rowOfGroup(g)) {
            *why = QStringLiteral("group %1 header differs").arg(g);
            return false;
        }
    }
    return true;
}

} // namespace

class tst_TimelineRowLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void growingRunMatchesOneBuild_data();
    void growingRunMatchesOneBuild();
};

void tst_TimelineRowLayout::growingRunMatchesOneBuild_data()
{
    QTest::addColumn<std::shared_ptr<Scenario>>("scenario");
    QTest::addColumn<int>("step"); // events fed per "frame"
    for (const ExampleInfo &e : Examples::all()) {
        std::vector<Diagnostic> diagnostics;
        QTest::addRow("%s", qPrintable(e.name))
            << ScenarioLoader::fromFile(e.resourcePath, &diagnostics) << 3;
    }
    QTest::addRow("gather of 600, event by event") << gather(600) << 1;
    QTest::addRow("gather of 600, in frames") << gather(600) << 97;
}

void tst_TimelineRowLayout::growingRunMatchesOneBuild()
{
    QFETCH(std::shared_ptr<Scenario>, scenario);
    QFETCH(int, step);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.runToEnd();
    const EventLog &log = run.log();

    TimelineModel model;
    TimelineRowLayout growing;
    int toggles = 0;
    for (size_t upTo = 0; upTo < log.count(); upTo = std::min(log.count(), upTo + size_t(step))) {
        model.update(log, std::min(log.count(), upTo + size_t(step)));
        growing.sync(model);
        // Now and then a user folds or unfolds the first group mid-run.
        if (model.groupCount() > 0 && (upTo / size_t(step)) % 41 == 40) {
            growing.setExpanded(0, !growing.isExpanded(0));
            ++toggles;
        }
        TimelineRowLayout once;
        for (int g = 0; g < model.groupCount(); ++g)
            once.setExpanded(g, growing.isExpanded(g));
        once.sync(model);
        growing.sync(model);
        QString why;
        QVERIFY2(
            sameRows(growing, once, model, &why),
            qPrintable(QStringLiteral("after %1 events: %2").arg(model.eventCount()).arg(why)));
    }
    QVERIFY(growing.rowCount() > 0);
    if (log.count() > 41 * size_t(step) * 2)
        QVERIFY(toggles > 0);
}

QTEST_GUILESS_MAIN(tst_TimelineRowLayout)
#include "tst_timelinerowlayout.moc"
