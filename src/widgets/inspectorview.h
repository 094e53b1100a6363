// SPDX-License-Identifier: MIT
#pragma once
// What one lane looks like at the playhead: a resource instance's state, phase history and the
// exceptions that crossed it, or a task's state, steps and output; plus the exception the current
// event is about, with its chain as repr(). Rebuilt on demand (marked dirty by the setters) from
// the log prefix, through an index of which events concern each lane and exception: moving
// forward reads only the new events, another lane or going back reads that lane's events again,
// so stepping back shows the past.

#include "eventindex.h"
#include "eventlog.h"
#include "theme.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QTextBrowser>
#include <memory>
#include <vector>

namespace Lifeline {

class EventCaption;
struct Scenario;

class InspectorView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit InspectorView(QWidget *parent = nullptr);
    ~InspectorView() override;

    void setLog(const EventLog *log, const Scenario *scenario = nullptr);
    // The same with captions already made for `log` (shared with the other views).
    void setLog(const EventLog *log, const Scenario *scenario,
                std::shared_ptr<const EventCaption> captions);
    void setPosition(qsizetype visibleCount);
    // None: follow the lane of the current event.
    void setSelectedLane(LaneId lane);
    LaneId selectedLane() const { return m_selectedLane; }
    // The lane shown now (the selection, or the current event's).
    LaneId shownLane() const;
    // The report as plain text, up to date (what a test compares).
    QString reportText();

    QSize sizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    // What the events [0, scanned) say about one lane (instance or task fields) or exception.
    struct PhaseSpan
    {
        Phase phase;
        qint64 begin, end;
    };
    struct LaneScan
    {
        LaneId lane = None;
        qsizetype scanned = 0;
        quint32 lastRead = EventIndex::End; // the lane's index entry read last
        LifecycleState state = LifecycleState::Created;
        bool seen = false;
        std::vector<PhaseSpan> phases;
        QStringList exceptions;
        QString taskState;
        QString owner; // the TaskGroup or gather it joined
        qint64 created = -1, started = -1, ended = -1, lastStep = -1;
        ExcId escaped = None;
        QStringList prints;
        std::vector<LaneId> instances;
    };
    struct ExceptionScan
    {
        ExcId exception = None;
        qsizetype scanned = 0;
        quint32 lastRead = EventIndex::End;
        QStringList path;
    };

    enum class Urgency { Now, PlayheadMoved };
    void markDirty(Urgency urgency = Urgency::Now);
    void rebuild();
    QString html();
    // Adds events [m_indexed, upTo) to the per-lane and per-exception index.
    void indexUpTo(qsizetype upTo);
    // The same for at most about `budgetNs`; true once it got there.
    bool indexSome(qsizetype upTo, qint64 budgetNs);
    // rebuild() once the index has reached the playhead, indexing a slice per event-loop turn.
    void rebuildWhenIndexed();
    // Brings the scan of `lane` (or `exc`) up to the playhead, from where it stopped if it can.
    const LaneScan &scanLane(LaneId lane, qsizetype upTo);
    const ExceptionScan &scanException(ExcId exc, qsizetype upTo);
    void readInstanceEvent(LaneScan &s, const Event &e) const;
    void readTaskEvent(LaneScan &s, const Event &e) const;
    QString instanceHtml(LaneId lane);
    QString taskHtml(LaneId lane);
    QString exceptionHtml(ExcId exc);
    QString chainText(ExcId exc) const;

    const EventLog *m_log = nullptr;
    const Scenario *m_scenario = nullptr;
    std::shared_ptr<const EventCaption> m_caption;
    qsizetype m_position = 0;
    LaneId m_selectedLane = None;
    Theme m_theme;
    LaneScan m_laneScan;
    ExceptionScan m_exceptionScan;
    // Event indexes by lane (its own events, exceptions crossing it, its instances' acquires)
    // and by exception, for events [0, m_indexed); kept when the playhead goes back.
    EventIndex m_laneEvents;
    EventIndex m_exceptionEvents;
    qsizetype m_indexed = 0;
    bool m_dirty = false;
    bool m_rebuildScheduledNow = false; // a rebuild is queued for the next turn
    QElapsedTimer m_sinceRebuild;
};

} // namespace Lifeline
