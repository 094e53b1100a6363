// SPDX-License-Identifier: MIT
// Timeline scale: one 1600x900 frame (geometry + painting on an offscreen QImage) for synthetic
// runs of 100k instances (~1.1M spans) and 1M instances (~11M spans), at fit, mid and deepest
// zoom, with big groups collapsed (their summary rows hold every span) and expanded (scrolled
// into the middle of the lanes); and model building in events per second. Prints a summary.
#include "syntheticlog.h"
#include "timelinegeometry.h"
#include "timelinemodel.h"
#include "timelinepainter.h"
#include "timelinerowlayout.h"
#include "timelinetheme.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QtTest>
#include <map>

using namespace Lifeline;

class bench_Timeline : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void frame_data();
    void frame();
    void modelBuild_data();
    void modelBuild();

private:
    struct Fixture
    {
        std::unique_ptr<EventLog> log;
        TimelineModel model;
    };
    Fixture &fixture(qint64 instances);
    std::map<qint64, std::unique_ptr<Fixture>> m_fixtures;
    QMap<QString, QString> m_summary; // by data tag: QBENCHMARK may run a function many times
};

bench_Timeline::Fixture &bench_Timeline::fixture(qint64 instances)
{
    auto &slot = m_fixtures[instances];
    if (!slot) {
        slot = std::make_unique<Fixture>();
        slot->log = makeSyntheticLog(instances);
        slot->model.update(*slot->log, slot->log->count());
    }
    return *slot;
}

void bench_Timeline::initTestCase()
{
    // The 1M-instance fixture needs ~1.5 GB; LIFELINE_BENCH_SMALL=1 skips it.
    fixture(100000);
}

void bench_Timeline::cleanupTestCase()
{
    for (auto it = m_summary.begin(); it != m_summary.end(); ++it)
        printf("%s: %s\n", qPrintable(it.key()), qPrintable(it.value()));
}

void bench_Timeline::frame_data()
{
    QTest::addColumn<qint64>("instances");
    QTest::addColumn<QString>("zoom");
    QTest::addColumn<bool>("expanded");
    QList<qint64> sizes { 100000 };
    if (!qEnvironmentVariableIsSet("LIFELINE_BENCH_SMALL"))
        sizes << 1000000;
    for (qint64 n : sizes)
        for (bool expanded : { false, true })
            for (const char *zoom : { "fit", "mid", "deep" })
                QTest::addRow("%lldk instances, %s, %s", n / 1000, zoom,
                              expanded ? "lanes" : "summaries")
                    << n << QString::fromLatin1(zoom) << expanded;
}

void bench_Timeline::frame()
{
    QFETCH(qint64, instances);
    QFETCH(QString, zoom);
    QFETCH(bool, expanded);
    Fixture &f = fixture(instances);
    TimelineRowLayout rows;
    rows.sync(f.model);
    rows.setAllExpanded(expanded);
    rows.sync(f.model);
    const double end = double(f.model.playheadTime());
    TimelineFrame frame;
    frame.size = QSizeF(1600, 900);
    frame.range = { 0, end };
    if (zoom == QLatin1String("mid"))
        frame.range = { end * 0.45, end * 0.45 + end / 100 };
    else if (zoom == QLatin1String("deep"))
        frame.range = { end * 0.45, end * 0.45 + 0.5 }; // the zoom control's minimum duration
    if (expanded) {
        // Scroll to the instances alive at the start of the range: a group's lanes are in the
        // order they first appeared, so their start times are sorted.
        const TimelineModel::LaneList &lanes = f.model.groupLanes(1);
        size_t lo = 0, hi = lanes.size();
        while (lo < hi) { // the first lane alive at the range's start
            const size_t mid = lo + (hi - lo) / 2;
            if (f.model.start(lanes[mid], 0) < frame.range.start - 50)
                lo = mid + 1;
            else
                hi = mid;
        }
        const LaneId lane = lo == lanes.size() ? lanes.back() : lanes[lo];
        frame.scroll = TimelineGeometry::contentHeight(rows.rowOfLane(lane));
    }

    QImage image(1600, 900, QImage::Format_ARGB32_Premultiplied);
    const TimelineTheme theme = TimelineTheme::forPalette(QGuiApplication::palette());
    const QFont font = QGuiApplication::font();
    TimelineGeometry geometry;
    TimelinePainter painter;
    auto paintOnce = [&] {
        geometry.invalidate(); // measure a full rebuild, not the cache
        image.fill(Qt::white);
        QPainter p(&image);
        painter.paint(p, geometry.build(f.model, rows, frame), f.model, theme, font);
    };
    paintOnce(); // warm text caches as a widget would be
    QBENCHMARK
    {
        paintOnce();
    }
    // Our own median of 21, for the summary.
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
        QElapsedTimer t;
        t.start();
        paintOnce();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    // Where the time goes: geometry alone, then painting a ready frame.
    std::vector<double> buildMs;
    for (int i = 0; i < 11; ++i) {
        QElapsedTimer t;
        t.start();
        geometry.invalidate();
        geometry.build(f.model, rows, frame);
        buildMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(buildMs.begin(), buildMs.end());
    qsizetype spans = 0;
    for (int g = 0; g < f.model.groupCount(); ++g)
        spans += f.model.groupSpans(g).count();
    const TimelineRenderModel &out = geometry.last();
    m_summary[QString::fromLatin1(QTest::currentDataTag())]
        = QStringLiteral("%1 spans: frame median %2 ms, min %8 ms (geometry %3 ms); %4 rects, "
                         "%5 markers, %6 badges, %7 lines")
              .arg(spans)
              .arg(ms[ms.size() / 2], 0, 'f', 2)
              .arg(buildMs[buildMs.size() / 2], 0, 'f', 2)
              .arg(out.rectCount())
              .arg(out.markers.size())
              .arg(out.badges.size())
              .arg(out.pathLines.size() + out.linkLines.size())
              .arg(ms.front(), 0, 'f', 2);
}

void bench_Timeline::modelBuild_data()
{
    QTest::addColumn<qint64>("instances");
    QTest::newRow("100k instances") << qint64(100000);
    if (!qEnvironmentVariableIsSet("LIFELINE_BENCH_SMALL"))
        QTest::newRow("1M instances") << qint64(1000000);
}

void bench_Timeline::modelBuild()
{
    QFETCH(qint64, instances);
    Fixture &f = fixture(instances);
    double best = 1e100;
    QBENCHMARK_ONCE
    {
        for (int i = 0; i < 3; ++i) {
            TimelineModel model;
            QElapsedTimer t;
            t.start();
            model.update(*f.log, f.log->count());
            best = std::min(best, double(t.nsecsElapsed()) / 1e9);
        }
    }
    const double rate = double(f.log->count()) / best;
    m_summary[QStringLiteral("model build, ") + QString::fromLatin1(QTest::currentDataTag())]
        = QStringLiteral("%1 events in %2 ms = %3 M events/s, model %4 MB")
              .arg(f.log->count())
              .arg(best * 1000, 0, 'f', 1)
              .arg(rate / 1e6, 0, 'f', 2)
              .arg(double(f.model.memoryUsage()) / 1e6, 0, 'f', 0);
    QVERIFY(rate > 0);
}

QTEST_MAIN(bench_Timeline)
#include "bench_timeline.moc"
