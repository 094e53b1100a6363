// SPDX-License-Identifier: MIT
#include "problemsview.h"

#include "slicegate.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace Lifeline {

ProblemsView::ProblemsView(QWidget *parent)
    : QWidget(parent)
    , m_note(new QLabel(this))
    , m_list(new QListWidget(this))
    , m_slice(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_note->setWordWrap(true);
    m_note->setContentsMargins(4, 2, 4, 2);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);
    m_list->setObjectName(QStringLiteral("problemsList"));
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(false);
    m_list->setAlternatingRowColors(true); // a reason often wraps: rows tell problems apart
    m_list->setSpacing(1);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_list);
    m_slice->setSingleShot(true);
    m_slice->setInterval(0);
    connect(m_slice, &QTimer::timeout, this, &ProblemsView::readSlice);
    connect(m_list, &QListWidget::itemClicked, this, &ProblemsView::activate);
    connect(m_list, &QListWidget::itemActivated, this, &ProblemsView::activate);
    setRun(nullptr, nullptr);
}

ProblemsView::~ProblemsView() = default;

QSize ProblemsView::sizeHint() const
{
    return { 420, 160 };
}

void ProblemsView::setRun(const EventLog *log, std::shared_ptr<const Scenario> scenario)
{
    m_slice->stop();
    m_log = log;
    m_scenario = std::move(scenario);
    m_finder = std::make_unique<ProblemFinder>(m_scenario);
    m_list->clear();
    m_shown = 0;
    m_total = 0;
    showProblems();
    logGrew();
}

void ProblemsView::logGrew()
{
    if (m_log && qsizetype(m_log->count()) > m_finder->scanned() && !m_slice->isActive())
        readSlice();
}

void ProblemsView::readSlice()
{
    if (!m_log)
        return;
    // Small batches, the clock read between them: the slice shares the event loop's pass with
    // the engine's and the other views' (SliceGate). At least one batch, so a run of a few
    // thousand events is read at once; a bigger one goes on from the timer.
    const qint64 budget = SliceGate::current().allowance(SliceNs);
    QElapsedTimer clock;
    clock.start();
    bool done = false;
    do
        done = m_finder->update(*m_log, 4096);
    while (!done && clock.nsecsElapsed() < budget);
    showProblems();
    if (!done)
        m_slice->start();
}

int ProblemsView::count() const
{
    return m_total;
}

QString ProblemsView::note() const
{
    return m_note->isHidden() ? QString() : m_note->text();
}

void ProblemsView::showProblems()
{
    const std::vector<Problem> &problems = m_finder->problems();
    const auto item = [](QListWidgetItem *it, const Problem &p) {
        // Names come from the file or the traced program: control characters shown escaped.
        const QString text = Diagnostic::escaped(QString::fromLatin1(Problem::kindName(p.kind))
                                                 + QLatin1String(": ") + p.message);
        it->setText(text);
        it->setToolTip(p.event >= 0 ? text
                                    : text + tr("\n(Not entered in this run: nothing to go to.)"));
        it->setData(EventRole, qlonglong(p.event));
        it->setData(LaneRole, int(p.lane));
        it->setFlags(p.event >= 0 ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags);
    };
    // A lint gets its event once its resource is first entered: the first rows are refreshed.
    for (int i = 0; i < m_shown; ++i) {
        const Problem &p = problems[size_t(i)];
        if (!p.isLint())
            break;
        if (m_list->item(i)->data(EventRole).toLongLong() != p.event)
            item(m_list->item(i), p);
    }
    const int before = m_shown;
    const int total = int(problems.size());
    for (; m_shown < std::min(total, MaxShown); ++m_shown) {
        auto *it = new QListWidgetItem;
        item(it, problems[size_t(m_shown)]);
        m_list->addItem(it);
    }
    QString note;
    if (m_scenario && m_scenario->trace)
        note = tr("A trace: these come from the run alone. The checks of how resources are "
                  "written (cleanup after yield without finally, an exit suppressing "
                  "CancelledError) need a scenario.");
    else if (m_log && m_shown == 0)
        note = tr("Nothing to flag so far.");
    else if (!m_log)
        note = tr("Open a scenario or a trace.");
    if (total > m_shown)
        note = tr("The first %1 of %2 problems; lifeline check --lint lists them all.")
                   .arg(m_shown)
                   .arg(total)
            + (note.isEmpty() ? QString() : u' ' + note);
    m_note->setText(note);
    m_note->setHidden(note.isEmpty());
    if (total != m_total || before == 0) {
        m_total = total;
        Q_EMIT countChanged(total);
    }
}

void ProblemsView::activate(QListWidgetItem *it)
{
    const qsizetype event = it ? qsizetype(it->data(EventRole).toLongLong()) : -1;
    if (event >= 0)
        Q_EMIT problemClicked(event, it->data(LaneRole).toInt());
}

} // namespace Lifeline
