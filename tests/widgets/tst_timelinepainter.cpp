// SPDX-License-Identifier: MIT
// TimelinePainter's text, read from a paint device that records what is drawn as text instead
// of pixels: a group header's label follows its lane count as the playhead moves on.
#include "timelinegeometry.h"
#include "timelinepainter.h"
#include "timelinetestlog.h"

#include <QPaintEngine>
#include <QtTest>

using namespace Lifeline;

namespace {

// Keeps the text of every drawTextItem(); draws nothing else.
class TextRecordingEngine : public QPaintEngine
{
public:
    TextRecordingEngine()
        : QPaintEngine(QPaintEngine::PaintEngineFeatures())
    {
    }
    bool begin(QPaintDevice *) override { return true; }
    bool end() override { return true; }
    void updateState(const QPaintEngineState &) override { }
    void drawPixmap(const QRectF &, const QPixmap &, const QRectF &) override { }
    void drawPolygon(const QPointF *, int, PolygonDrawMode) override { }
    void drawPath(const QPainterPath &) override { }
    void drawTextItem(const QPointF &, const QTextItem &item) override { texts << item.text(); }
    Type type() const override { return QPaintEngine::User; }

    QStringList texts;
};

class TextRecordingDevice : public QPaintDevice
{
public:
    QPaintEngine *paintEngine() const override { return &m_engine; }
    QStringList &texts() { return m_engine.texts; }

protected:
    int metric(PaintDeviceMetric metric) const override
    {
        switch (metric) {
        case PdmWidth:
            return 1200;
        case PdmHeight:
            return 400;
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return 96;
        case PdmDevicePixelRatio:
            return 1;
        case PdmDevicePixelRatioScaled:
            return int(devicePixelRatioFScale());
        default:
            return QPaintDevice::metric(metric);
        }
    }

private:
    mutable TextRecordingEngine m_engine;
};

} // namespace

class tst_TimelinePainter : public QObject
{
    Q_OBJECT
private slots:
    void groupLabelFollowsItsLaneCount();
};

// The painter keeps laid-out labels between frames; a group's count grew while its cached
// label still read the first count it was painted with ("Tasks (3585)" with 200,001 tasks).
void tst_TimelinePainter::groupLabelFollowsItsLaneCount()
{
    const auto log = TestLog::make();
    TimelineModel model;
    TimelineRowLayout rows;
    TimelineGeometry geometry;
    TimelinePainter painter;
    const TimelineTheme theme = TimelineTheme::forPalette(QPalette());
    TimelineFrame frame;
    frame.size = QSizeF(1200, 400);
    frame.range = { 0, 500 };
    auto labels = [&](size_t upTo) {
        model.update(*log, upTo);
        rows.sync(model);
        TextRecordingDevice device;
        QPainter p(&device);
        painter.paint(p, geometry.build(model, rows, frame), model, theme, QFont());
        p.end();
        return device.texts();
    };
    // Up to event 12 one instance of the database class has appeared; at the end two have.
    const QString db = QStringLiteral("AsyncDatabaseConnection");
    const QStringList before = labels(12);
    QVERIFY2(before.contains(db + QStringLiteral("  (1)")), qPrintable(before.join(u'|')));
    const QStringList after = labels(log->count());
    QVERIFY2(after.contains(db + QStringLiteral("  (2)")), qPrintable(after.join(u'|')));
    QVERIFY(!after.contains(db + QStringLiteral("  (1)")));
}

QTEST_MAIN(tst_TimelinePainter)
#include "tst_timelinepainter.moc"
