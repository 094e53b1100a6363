#pragma once
// What one lane looks like at the playhead: a resource instance's state, phase history and the
// exceptions that crossed it, or a task's state, steps and output; plus the exception the current
// event is about, with its chain as repr(). Rebuilt from the log prefix on demand (marked dirty by
// the setters); it never keeps state the log does not have, so stepping back shows the past.

#include "eventlog.h"
#include "theme.h"

#include <QTextBrowser>
#include <memory>

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
    void markDirty();
    void rebuild();
    QString html() const;
    QString instanceHtml(LaneId lane) const;
    QString taskHtml(LaneId lane) const;
    QString exceptionHtml(ExcId exc) const;
    QString chainText(ExcId exc) const;

    const EventLog *m_log = nullptr;
    const Scenario *m_scenario = nullptr;
    std::shared_ptr<const EventCaption> m_caption;
    qsizetype m_position = 0;
    LaneId m_selectedLane = None;
    Theme m_theme;
    bool m_dirty = false;
};

} // namespace Lifeline
