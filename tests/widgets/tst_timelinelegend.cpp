// SPDX-License-Identifier: MIT
// TimelineLegend and its dock view: the legend lists only what a run draws (from the model's
// usage), lays it out in rows that fit the width, is the one the exported image draws under the
// timeline, and follows the timeline as the playhead moves. Items and rectangles, not pixels.
#include "examples.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "timelinelegend.h"
#include "timelinelegendview.h"
#include "timelinerenderer.h"
#include "timelinetestlog.h"
#include "timelinewidget.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Lifeline;

namespace {

QStringList texts(const std::vector<TimelineLegend::Item> &items)
{
    QStringList out;
    for (const TimelineLegend::Item &i : items)
        out << i.text;
    return out;
}

std::unique_ptr<ScenarioRun> runExample(const QString &name)
{
    auto scenario = ScenarioLoader::fromFile(Examples::find(name)->resourcePath, nullptr);
    auto run = std::make_unique<ScenarioRun>(scenario);
    run->runToEnd();
    return run;
}

TimelineUsage usageOf(const EventLog &log, size_t upTo)
{
    TimelineModel model;
    model.update(log, upTo);
    return model.usage();
}

} // namespace

class tst_TimelineLegend : public QObject
{
    Q_OBJECT
private slots:
    void listsOnlyWhatTheRunDraws_data();
    void listsOnlyWhatTheRunDraws();
    void nothingDrawnNothingListed();
    void rowsFitTheWidth_data();
    void rowsFitTheWidth();
    void theExportedImageDrawsTheSameLegend();
    void theDockFollowsTheTimeline();
};

void tst_TimelineLegend::listsOnlyWhatTheRunDraws_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QStringList>("listed");
    QTest::addColumn<QStringList>("notListed");
    QTest::newRow("seed: phases and prints, no exceptions")
        << QStringLiteral("seed")
        << QStringList { QStringLiteral("acquire (__aenter__)"), QStringLiteral("execute"),
                         QStringLiteral("release (__aexit__)"), QStringLiteral("task running"),
                         QStringLiteral("printed a line") }
        << QStringList {
               QStringLiteral("Exceptions"),     QStringLiteral("raised"),
               QStringLiteral("caught"),         QStringLiteral("cancelled"),
               QStringLiteral("never released"), QStringLiteral("still going at the playhead"),
               QStringLiteral("merged marks")
           };
    QTest::newRow("a failing TaskGroup: its badges and lines")
        << QStringLiteral("gather-vs-taskgroup")
        << QStringList { QStringLiteral("Exceptions"),  QStringLiteral("raised"),
                         QStringLiteral("its path"),    QStringLiteral("replaced by, grouped into"),
                         QStringLiteral("propagated"),  QStringLiteral("grouped"),
                         QStringLiteral("caught"),      QStringLiteral("escaped"),
                         QStringLiteral("task failed"), QStringLiteral("task cancelled"),
                         QStringLiteral("merged marks") }
        << QStringList { QStringLiteral("suppressed"), QStringLiteral("execute"),
                         QStringLiteral("failed to acquire") };
    QTest::newRow("cleanup after yield: never released")
        << QStringLiteral("cleanup-after-yield-leak")
        << QStringList { QStringLiteral("never released") }
        << QStringList { QStringLiteral("grouped") };
    QTest::newRow("__aenter__ fails: failed to acquire")
        << QStringLiteral("enter-fails") << QStringList { QStringLiteral("failed to acquire") }
        << QStringList { QStringLiteral("release (__aexit__)") };
}

void tst_TimelineLegend::listsOnlyWhatTheRunDraws()
{
    QFETCH(QString, example);
    QFETCH(QStringList, listed);
    QFETCH(QStringList, notListed);
    const auto run = runExample(example);
    const QStringList items = texts(TimelineLegend::items(usageOf(run->log(), run->log().count())));
    for (const QString &t : listed)
        QVERIFY2(
            items.contains(t),
            qPrintable(t + QStringLiteral(" missing from: ") + items.join(QStringLiteral(" | "))));
    for (const QString &t : notListed)
        QVERIFY2(
            !items.contains(t),
            qPrintable(t + QStringLiteral(" listed in: ") + items.join(QStringLiteral(" | "))));
    // Badges carry their letters: one Badge item per hop action listed.
    for (const TimelineLegend::Item &i :
         TimelineLegend::items(usageOf(run->log(), run->log().count())))
        if (i.glyph == TimelineLegend::Glyph::Badge)
            QCOMPARE(i.text, QString::fromLatin1(EventLog::hopName(HopAction(i.code))));
}

void tst_TimelineLegend::nothingDrawnNothingListed()
{
    QVERIFY(TimelineLegend::items(TimelineUsage()).empty());
    const TimelineLegend::Layout layout = TimelineLegend::layout({}, 800, QFont());
    QVERIFY(layout.items.empty());
    QCOMPARE(layout.size, QSizeF(0, 0));
}

void tst_TimelineLegend::rowsFitTheWidth_data()
{
    QTest::addColumn<int>("width");
    QTest::newRow("an exported image's width: a few rows") << 1600;
    QTest::newRow("a narrow dock: many rows") << 260;
}

void tst_TimelineLegend::rowsFitTheWidth()
{
    QFETCH(int, width);
    const auto run = runExample(QStringLiteral("gather-vs-taskgroup"));
    const std::vector<TimelineLegend::Item> items
        = TimelineLegend::items(usageOf(run->log(), run->log().count()));
    const TimelineLegend::Layout layout = TimelineLegend::layout(items, width, QFont());
    QCOMPARE(layout.items.size(), items.size());
    QVERIFY(layout.size.width() <= width);
    qreal lastTop = -1;
    int rows = 0;
    for (size_t i = 0; i < layout.items.size(); ++i) {
        const TimelineLegend::PlacedItem &p = layout.items[i];
        QVERIFY2(p.text.right() <= width - TimelineLegend::Margin + 0.5, qPrintable(p.item.text));
        QCOMPARE(p.text.height(), TimelineLegend::RowHeight);
        if (p.text.top() != lastTop) {
            ++rows;
            lastTop = p.text.top();
        }
        // A section's title is never the last thing on its row.
        if (p.item.glyph == TimelineLegend::Glyph::Title) {
            QVERIFY(i + 1 < layout.items.size());
            QCOMPARE(layout.items[i + 1].text.top(), p.text.top());
        } else {
            QVERIFY(p.glyph.isValid());
            QVERIFY(p.glyph.right() <= p.text.left());
        }
    }
    QCOMPARE(layout.size.height(), rows * TimelineLegend::RowHeight + 2 * TimelineLegend::Margin);
    // gather-vs-taskgroup draws most kinds of thing (phases, waits, its gather's and TaskGroup's
    // frames, marks, cancellations, badges): three rows at an image's width, not a column.
    if (width < 400)
        QVERIFY(rows > 4);
    else
        QVERIFY2(rows <= 3, qPrintable(QString::number(rows)));
}

// The image's legend is TimelineLegend's layout at the image's width: the image is as much
// taller than its timeline as that layout is tall.
void tst_TimelineLegend::theExportedImageDrawsTheSameLegend()
{
    const auto seed = runExample(QStringLiteral("seed"));
    const auto group = runExample(QStringLiteral("gather-vs-taskgroup"));
    for (int width : { 1600, 500 }) {
        for (const ScenarioRun *run : { seed.get(), group.get() }) {
            const QImage image = TimelineRenderer::renderImage(run->log(), width);
            TimelineModel model;
            model.update(run->log(), run->log().count());
            TimelineRowLayout rows;
            rows.sync(model);
            const qreal timeline
                = TimelineGeometry::RulerHeight + TimelineGeometry::contentHeight(rows.rowCount());
            const qreal legend = TimelineLegend::layout(TimelineLegend::items(model.usage()), width,
                                                        QGuiApplication::font())
                                     .size.height();
            QCOMPARE(image.height(), int(timeline) + int(std::ceil(legend)));
        }
    }
}

void tst_TimelineLegend::theDockFollowsTheTimeline()
{
    const auto log = TestLog::make();
    TimelineWidget timeline;
    TimelineLegendView legend;
    connect(&timeline, &TimelineWidget::usageChanged, &legend, &TimelineLegendView::setUsage);
    QSignalSpy changed(&timeline, &TimelineWidget::usageChanged);
    timeline.resize(900, 300);
    legend.resize(900, 80);
    timeline.setEventLog(log.get());
    auto listed = [&] {
        QStringList out;
        for (const TimelineLegend::PlacedItem &p : legend.currentLayout().items)
            out << p.item.text;
        return out;
    };

    // Up to the first raise (event 6): phases only, and the lanes still going.
    timeline.setPlayhead(6);
    timeline.renderModel();
    QCOMPARE(legend.usage(), timeline.usage());
    QVERIFY(listed().contains(QStringLiteral("execute")));
    QVERIFY(listed().contains(QStringLiteral("still going at the playhead")));
    QVERIFY(!listed().contains(QStringLiteral("raised")));
    QVERIFY(!listed().contains(QStringLiteral("printed a line")));

    // The whole log: the raise, the hops, the print, the ends.
    const qsizetype before = changed.size();
    timeline.setPlayhead(-1);
    timeline.renderModel();
    QCOMPARE(changed.size(), before + 1);
    for (const char *t : { "raised", "propagated", "replaced", "caught", "printed a line",
                           "failed to acquire", "never released" })
        QVERIFY2(listed().contains(QLatin1String(t)), t);
    QVERIFY(!listed().contains(QStringLiteral("still going at the playhead")));

    // The same again: nothing to tell.
    timeline.renderModel();
    QCOMPARE(changed.size(), before + 1);

    // Another run (none): the legend empties.
    timeline.setEventLog(nullptr);
    timeline.renderModel();
    QVERIFY(legend.currentLayout().items.empty());
}

QTEST_MAIN(tst_TimelineLegend)
#include "tst_timelinelegend.moc"
