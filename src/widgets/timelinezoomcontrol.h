// SPDX-License-Identifier: MIT
#pragma once
// The timeline's navigation state: the trace (all there is to see), the visible range, the
// selection and the playhead. Setters compare, store and emit, so setting a value twice emits
// once. No animation and no clock: views call the zoom/pan helpers and repaint on the signals.
// Knows time and ids only; how a range maps onto pixels is TimelineCoordinates' business.

#include "timelinecoordinates.h"

#include <QObject>

namespace Lifeline {

class TimelineZoomControl : public QObject
{
    Q_OBJECT
public:
    explicit TimelineZoomControl(QObject *parent = nullptr);

    TimeRange trace() const { return m_trace; }
    TimeRange range() const { return m_range; }
    // The shortest range a view may zoom to (virtual ms).
    double minimumDuration() const { return m_minimumDuration; }
    int selectedLane() const { return m_selectedLane; }
    qsizetype selectedEvent() const { return m_selectedEvent; }
    // Events [0, playhead) are shown; the playhead's time is that of the last shown event.
    qsizetype playhead() const { return m_playhead; }
    qint64 playheadTime() const { return m_playheadTime; }
    bool isFit() const { return m_range == m_trace; }

    // The trace always starts at 0; a view that showed the whole trace keeps following it.
    void setTrace(TimeRange trace);
    // Kept inside the trace and no shorter than minimumDuration().
    void setRange(TimeRange range);
    void setSelection(int lane, qsizetype event);
    void setPlayhead(qsizetype event, qint64 time);

    // Navigation helpers, all through setRange().
    void zoomAround(double anchorTime, double factor);
    void panBy(double deltaMs);
    void fit();
    void reveal(double time, double widthPixels, double marginPixels);

Q_SIGNALS:
    void traceChanged(Lifeline::TimeRange trace);
    void rangeChanged(Lifeline::TimeRange range);
    void selectionChanged(int lane, qsizetype event);
    void playheadChanged(qsizetype event, qint64 time);

private:
    TimeRange m_trace { 0, 1 };
    TimeRange m_range { 0, 1 };
    double m_minimumDuration = 0.5;
    int m_selectedLane = -1;
    qsizetype m_selectedEvent = -1;
    qsizetype m_playhead = 0;
    qint64 m_playheadTime = 0;
};

} // namespace Lifeline
