// SPDX-License-Identifier: MIT
#pragma once
// The window's Problems dock: what a careful reviewer would flag in the run so far and in its
// scenario (ProblemFinder), one line each with its reason; a click (or Enter) on one asks to go
// to its event. Reads the log as it grows, a slice of a few milliseconds at a time. Says so
// when the run is a trace, whose problems come from the run alone. Knows nothing of the
// controller or the other views: it emits, the window connects.

#include "problemfinder.h"

#include <QWidget>
#include <memory>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QTimer;

namespace Lifeline {

class ProblemsView : public QWidget
{
    Q_OBJECT
public:
    enum Role { EventRole = Qt::UserRole + 1, LaneRole };
    static constexpr qint64 SliceNs = 2'000'000;
    // Rows listed at most: a run of a hundred thousand leftover tasks has as many problems,
    // and wrapped rows are laid out one by one; `lifeline check --lint` lists them all.
    static constexpr int MaxShown = 1000;

    explicit ProblemsView(QWidget *parent = nullptr);
    ~ProblemsView() override;

    // A new run (null: none). Its scenario's lints are listed at once.
    void setRun(const EventLog *log, std::shared_ptr<const Scenario> scenario);
    // The log grew: read the new events (now, and on a timer if there are many).
    void logGrew();
    // Problems found so far (rows listed: at most MaxShown).
    int count() const;
    // What the note over the list says (empty when hidden).
    QString note() const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void problemClicked(qsizetype event, int lane);
    void countChanged(int count);

private:
    void readSlice();
    void showProblems();
    void activate(QListWidgetItem *item);

    const EventLog *m_log = nullptr;
    std::shared_ptr<const Scenario> m_scenario;
    std::unique_ptr<ProblemFinder> m_finder;
    QLabel *m_note;
    QListWidget *m_list;
    QTimer *m_slice;
    int m_shown = 0; // rows listed
    int m_total = 0; // problems found, listed or not
};

} // namespace Lifeline
