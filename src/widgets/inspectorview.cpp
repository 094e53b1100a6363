// SPDX-License-Identifier: MIT
#include "inspectorview.h"

#include "eventcaption.h"
#include "eventformatter.h"
#include "eventtablemodel.h"
#include "lanegroups.h"
#include "scenario.h"
#include "slicegate.h"

#include <QEvent>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>

namespace Lifeline {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString row(const QString &key, const QString &value)
{
    return QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>").arg(key, value);
}

QString ms(qint64 t)
{
    return QStringLiteral("%1 ms").arg(t);
}

} // namespace

InspectorView::InspectorView(QWidget *parent)
    : QTextBrowser(parent)
    , m_theme(Theme::forPalette(palette()))
{
    setOpenLinks(false);
    setPlaceholderText(tr("Select a lane or an event to inspect it."));
}

InspectorView::~InspectorView() = default;

QSize InspectorView::sizeHint() const
{
    return { fontMetrics().averageCharWidth() * 48, fontMetrics().height() * 20 };
}

void InspectorView::setLog(const EventLog *log, const Scenario *scenario)
{
    setLog(log, scenario, log ? std::make_shared<const EventCaption>(log, scenario) : nullptr);
}

void InspectorView::setLog(const EventLog *log, const Scenario *scenario,
                           std::shared_ptr<const EventCaption> captions)
{
    m_log = log;
    m_scenario = scenario;
    m_caption = log ? std::move(captions) : nullptr;
    m_laneScan = LaneScan();
    m_exceptionScan = ExceptionScan();
    m_laneEvents.clear();
    m_exceptionEvents.clear();
    m_indexed = 0;
    m_position = 0;
    m_selectedLane = None;
    markDirty();
}

void InspectorView::setPosition(qsizetype visibleCount)
{
    if (visibleCount == m_position)
        return;
    m_position = visibleCount;
    markDirty(Urgency::PlayheadMoved);
}

void InspectorView::setSelectedLane(LaneId lane)
{
    if (lane == m_selectedLane)
        return;
    m_selectedLane = lane;
    markDirty();
}

void InspectorView::markDirty(Urgency urgency)
{
    // Coalesced: many playhead moves in one frame rebuild once. And while the playhead moves
    // (a run playing, a held step key) at most ten times a second: a rebuild is a few
    // milliseconds of a frame at a million events, and text rewritten sixty times a second
    // cannot be read anyway. A new selection or log shows at once.
    constexpr qint64 PlayheadRefreshMs = 100;
    qint64 delay = 0;
    if (urgency == Urgency::PlayheadMoved && m_sinceRebuild.isValid())
        delay = std::max<qint64>(0, PlayheadRefreshMs - m_sinceRebuild.elapsed());
    if (m_dirty && (delay > 0 || m_rebuildScheduledNow))
        return;
    m_dirty = true;
    m_rebuildScheduledNow = delay == 0;
    QTimer::singleShot(int(delay), this, [this] {
        m_rebuildScheduledNow = false;
        if (m_dirty)
            rebuildWhenIndexed();
    });
}

void InspectorView::rebuildWhenIndexed()
{
    // The index catches up with the playhead in slices of a few milliseconds: a playhead that
    // jumped a million events on (a run played instantly) would otherwise index them all in
    // one frame. The report shown stays until the index is there.
    // Each slice, and the rebuild, takes what this pass of the event loop has left (SliceGate);
    // none left: the next pass goes on.
    constexpr qint64 IndexSliceNs = 3'000'000;
    const qsizetype upTo = m_log ? std::min<qsizetype>(m_position, qsizetype(m_log->count())) : 0;
    const qint64 budget = SliceGate::current().allowance(IndexSliceNs);
    if (!budget || (m_log && !indexSome(upTo, budget))
        || !SliceGate::current().allowance(IndexSliceNs)) {
        m_rebuildScheduledNow = true;
        QTimer::singleShot(0, this, [this] {
            m_rebuildScheduledNow = false;
            if (m_dirty)
                rebuildWhenIndexed();
        });
        return;
    }
    rebuild();
}

void InspectorView::rebuild()
{
    m_dirty = false;
    m_sinceRebuild.start();
    const int scroll = verticalScrollBar()->value();
    setHtml(html());
    verticalScrollBar()->setValue(scroll);
}

QString InspectorView::reportText()
{
    if (m_dirty)
        rebuild();
    return toPlainText();
}

void InspectorView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_theme = Theme::forPalette(palette());
        markDirty();
    }
}

LaneId InspectorView::shownLane() const
{
    if (!m_log)
        return None;
    if (m_selectedLane != None && size_t(m_selectedLane) < m_log->laneCount())
        return m_selectedLane;
    const qsizetype n = std::min<qsizetype>(m_position, qsizetype(m_log->count()));
    return n > 0 ? EventTableModel::laneOf(m_log->at(size_t(n - 1))) : None;
}

QString InspectorView::html()
{
    if (!m_log)
        return {};
    const qsizetype n = std::min<qsizetype>(m_position, qsizetype(m_log->count()));
    QString out;
    const LaneId lane = shownLane();
    if (lane != None && size_t(lane) < m_log->laneCount()) {
        // A lane that does not exist yet at the playhead (created later) is still named.
        out += m_log->lane(lane).kind() == LaneKind::Instance ? instanceHtml(lane) : taskHtml(lane);
    }
    if (n > 0) {
        const Event &e = m_log->at(size_t(n - 1));
        if (e.isAboutException())
            out += exceptionHtml(e.exception());
    }
    return out;
}

QString InspectorView::chainText(ExcId exc) const
{
    QStringList links;
    for (ExcId link : m_log->chain(exc))
        links << m_log->repr(link);
    return links.join(QStringLiteral(" \u2190 "));
}

bool InspectorView::indexSome(qsizetype upTo, qint64 budgetNs)
{
    QElapsedTimer clock;
    clock.start();
    constexpr qsizetype Chunk = 4096; // events between looks at the clock
    while (m_indexed < upTo) {
        if (clock.nsecsElapsed() >= budgetNs)
            return false;
        indexUpTo(std::min(upTo, m_indexed + Chunk));
    }
    return true;
}

void InspectorView::indexUpTo(qsizetype upTo)
{
    for (; m_indexed < upTo; ++m_indexed) {
        const Event &e = m_log->at(size_t(m_indexed));
        const quint32 event = quint32(m_indexed);
        switch (e.kind()) {
        case EventKind::ExceptionRaised:
        case EventKind::ExceptionHop:
            m_exceptionEvents.add(e.exception(), event);
            m_laneEvents.add(e.lane(), event);
            break;
        case EventKind::PhaseBegan:
            m_laneEvents.add(e.lane(), event);
            if (e.phase() == Phase::Acquire) // the task that entered it lists it
                m_laneEvents.add(m_log->lane(e.lane()).parent, event);
            break;
        default:
            m_laneEvents.add(e.lane(), event);
        }
    }
}

const InspectorView::LaneScan &InspectorView::scanLane(LaneId lane, qsizetype upTo)
{
    indexUpTo(upTo);
    LaneScan &s = m_laneScan;
    if (s.lane != lane || s.scanned > upTo) {
        s = LaneScan();
        s.lane = lane;
        s.taskState = tr("not created yet");
    }
    const bool instance = m_log->lane(lane).kind() == LaneKind::Instance;
    for (quint32 entry = m_laneEvents.next(lane, s.lastRead);
         entry != EventIndex::End && qsizetype(m_laneEvents.event(entry)) < upTo;
         entry = m_laneEvents.next(lane, entry)) {
        s.lastRead = entry;
        const Event &e = m_log->at(m_laneEvents.event(entry));
        if (instance)
            readInstanceEvent(s, e);
        else
            readTaskEvent(s, e);
    }
    s.scanned = upTo;
    return s;
}

void InspectorView::readInstanceEvent(LaneScan &s, const Event &e) const
{
    if (e.kind() == EventKind::PhaseBegan && e.lane() == s.lane) {
        s.seen = true;
        if (!s.phases.empty() && s.phases.back().end < 0)
            s.phases.back().end = e.time;
        s.phases.push_back({ e.phase(), qint64(e.time), -1 });
        s.state = stateDuring(e.phase());
    } else if (e.kind() == EventKind::InstanceEnded && e.lane() == s.lane) {
        if (!s.phases.empty() && s.phases.back().end < 0)
            s.phases.back().end = e.time;
        s.state = e.state();
    } else if (e.isAboutException() && e.lane() == s.lane) {
        const QString what = e.kind() == EventKind::ExceptionRaised
            ? QStringLiteral("raised")
            : QLatin1String(EventLog::hopName(e.hop()));
        s.exceptions << QStringLiteral("<li><code>%1</code> %2 at %3</li>")
                            .arg(esc(m_log->repr(e.exception())), what, ms(e.time));
    }
}

void InspectorView::readTaskEvent(LaneScan &s, const Event &e) const
{
    if (e.kind() == EventKind::PhaseBegan && e.phase() == Phase::Acquire
        && m_log->lane(e.lane()).parent == s.lane)
        s.instances.push_back(e.lane());
    if (e.lane() != s.lane)
        return;
    switch (e.kind()) {
    case EventKind::TaskCreated:
        s.created = e.time;
        s.taskState = tr("created, not started");
        break;
    case EventKind::TaskStarted:
        s.started = e.time;
        s.taskState = tr("running");
        break;
    case EventKind::TaskEnded:
        s.ended = e.time;
        s.taskState = QLatin1String(EventLog::outcomeName(e.outcome()));
        s.escaped = e.exception();
        break;
    case EventKind::StepBegan:
        s.lastStep = e.step();
        break;
    case EventKind::Printed:
        s.prints << m_log->print(e.printIndex());
        break;
    case EventKind::TaskAwaits:
        // Until its next event of its own (docs/events.md): a print, a step, a raise or its end.
        s.taskState = tr("awaiting %1").arg(EventFormatter::target(*m_log, e));
        return;
    case EventKind::TaskJoined:
        s.owner = EventFormatter::target(*m_log, e);
        return;
    default:
        break;
    }
    if (s.ended < 0 && s.started >= 0 && e.kind() != EventKind::CancelRequested)
        s.taskState = tr("running");
}

QString InspectorView::instanceHtml(LaneId lane)
{
    const qsizetype n = std::min<qsizetype>(m_position, qsizetype(m_log->count()));
    const LaneInfo &info = m_log->lane(lane);
    const LaneScan &s = scanLane(lane, n);
    QString resource;
    if (m_scenario) {
        switch (LaneGroups::kind(*m_scenario, info.group)) {
        case LaneGroups::Kind::Resource: {
            const ResourceDef &r = m_scenario->resources[size_t(info.group)];
            resource = r.kind == ResourceDef::Kind::Class
                ? QStringLiteral("<code>%1</code> (class: __aenter__ / __aexit__)").arg(esc(r.id))
                : QStringLiteral("<code>%1</code> (@asynccontextmanager generator)").arg(esc(r.id));
            break;
        }
        case LaneGroups::Kind::TaskGroup:
            resource = QStringLiteral("<code>asyncio.TaskGroup</code> (a task_group step)");
            break;
        case LaneGroups::Kind::Timeout:
            resource = QStringLiteral("<code>asyncio.timeout</code> (a timeout step)");
            break;
        case LaneGroups::Kind::Unknown:
            break;
        }
    }
    QString out = QStringLiteral("<h3>%1</h3><table>").arg(esc(m_log->laneName(lane)));
    out += row(tr("State"),
               s.seen ? QLatin1String(EventLog::stateName(s.state)) : tr("not created yet"));
    if (!resource.isEmpty())
        out += row(tr("Resource"), resource);
    if (info.parent != None)
        out += row(tr("Entered by"), esc(m_log->laneName(info.parent)));
    out += QStringLiteral("</table>");
    if (!s.phases.empty()) {
        out += QStringLiteral("<p><b>%1</b></p><table>").arg(tr("Phase history"));
        for (const PhaseSpan &p : s.phases) {
            const QString span = p.end < 0 ? QStringLiteral("%1 \u2192 \u2026").arg(p.begin)
                                           : QStringLiteral("%1 \u2192 %2 ms (%3 ms)")
                                                 .arg(p.begin)
                                                 .arg(p.end)
                                                 .arg(p.end - p.begin);
            out += row(QLatin1String(EventLog::phaseName(p.phase)), span);
        }
        out += QStringLiteral("</table>");
    }
    if (!s.exceptions.isEmpty())
        out += QStringLiteral("<p><b>%1</b></p><ul>%2</ul>")
                   .arg(tr("Exceptions through this instance"), s.exceptions.join(QString()));
    return out;
}

QString InspectorView::taskHtml(LaneId lane)
{
    const qsizetype n = std::min<qsizetype>(m_position, qsizetype(m_log->count()));
    const LaneInfo &info = m_log->lane(lane);
    const LaneScan &s = scanLane(lane, n);
    QString out = QStringLiteral("<h3>%1 <small>(task)</small></h3><table>")
                      .arg(esc(m_log->laneName(lane)));
    out += row(tr("State"), s.taskState);
    if (!s.owner.isEmpty())
        out += row(tr("Owned by"), s.owner);
    if (info.parent != None)
        out += row(tr("Created by"), esc(m_log->laneName(info.parent)));
    if (s.created >= 0)
        out += row(tr("Created"), ms(s.created));
    if (s.started >= 0)
        out += row(tr("Started"), ms(s.started));
    if (s.ended >= 0)
        out += row(tr("Ended"), ms(s.ended));
    if (s.lastStep >= 0 && s.ended < 0)
        out += row(
            tr("Current step"),
            QStringLiteral("<code>%1</code>").arg(esc(m_caption->stepText(quint32(s.lastStep)))));
    if (s.escaped != None)
        out += row(tr("Escaped"), QStringLiteral("<code>%1</code>").arg(esc(chainText(s.escaped))));
    out += QStringLiteral("</table>");
    if (!s.instances.empty()) {
        out += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Resources it entered"));
        for (LaneId instance : s.instances)
            out += QStringLiteral("<li>%1</li>").arg(esc(m_log->laneName(instance)));
        out += QStringLiteral("</ul>");
    }
    if (!s.prints.isEmpty()) {
        constexpr int Shown = 8;
        out += QStringLiteral("<p><b>%1</b></p><pre>").arg(tr("Printed"));
        out += esc(s.prints.mid(std::max<qsizetype>(0, s.prints.size() - Shown)).join(u'\n'));
        out += QStringLiteral("</pre>");
    }
    return out;
}

const InspectorView::ExceptionScan &InspectorView::scanException(ExcId exc, qsizetype upTo)
{
    indexUpTo(upTo);
    ExceptionScan &s = m_exceptionScan;
    if (s.exception != exc || s.scanned > upTo) {
        s = ExceptionScan();
        s.exception = exc;
    }
    s.scanned = upTo;
    for (quint32 entry = m_exceptionEvents.next(exc, s.lastRead);
         entry != EventIndex::End && qsizetype(m_exceptionEvents.event(entry)) < upTo;
         entry = m_exceptionEvents.next(exc, entry)) {
        s.lastRead = entry;
        const Event &e = m_log->at(m_exceptionEvents.event(entry));
        const QString where = e.lane() == None ? tr("the loop") : m_log->laneName(e.lane());
        if (e.kind() == EventKind::ExceptionRaised)
            s.path << QStringLiteral("<li>%1: raised in %2 (%3)</li>")
                          .arg(ms(e.time), esc(where),
                               QLatin1String(EventLog::originName(e.origin())));
        else if (e.kind() == EventKind::ExceptionHop)
            s.path << QStringLiteral("<li>%1: %2 at %3</li>")
                          .arg(ms(e.time), QLatin1String(EventLog::hopName(e.hop())), esc(where));
    }
    return s;
}

QString InspectorView::exceptionHtml(ExcId exc)
{
    const qsizetype n = std::min<qsizetype>(m_position, qsizetype(m_log->count()));
    const ExceptionScan &s = scanException(exc, n);
    QString out = QStringLiteral("<hr><h3 style=\"color:%1\">%2</h3><table>")
                      .arg(m_theme.exceptionEvent.name(), esc(m_log->repr(exc)));
    out += row(tr("str()"), esc(m_log->str(exc)));
    out += row(tr("Chain"), QStringLiteral("<code>%1</code>").arg(esc(chainText(exc))));
    out += QStringLiteral("</table><p><b>%1</b></p><ul>%2</ul>")
               .arg(tr("Path so far"), s.path.join(QString()));
    return out;
}

} // namespace Lifeline
