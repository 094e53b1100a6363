// SPDX-License-Identifier: MIT
#include "timelinetooltip.h"

#include "eventcaption.h"
#include "eventformatter.h"

#include <algorithm>

namespace Lifeline {

namespace {

QString ms(qint64 t, qint64 ticksPerMs)
{
    return EventFormatter::milliseconds(t, ticksPerMs) + QStringLiteral(" ms");
}

QString exceptionText(const TimelineModel &model, ExcId exc)
{
    const int p = model.pathOf(exc);
    return p >= 0 && !model.path(p).text.isEmpty() ? model.path(p).text
                                                   : QStringLiteral("exception #%1").arg(exc);
}

} // namespace

QString TimelineToolTip::cancelText(const TimelineModel &model, const TimelineCancel &c,
                                    qint64 ticksPerMs)
{
    const QString task = model.laneName(c.task).toHtmlEscaped();
    const QString by = c.by >= 0 ? model.laneName(c.by).toHtmlEscaped() : QString();
    QString why;
    switch (c.cause) {
    case CancelCause::Call:
        why = by.isEmpty() ? QStringLiteral("a loop callback called %1.cancel()").arg(task)
                           : QStringLiteral("%1 called %2.cancel()").arg(by, task);
        break;
    case CancelCause::Awaiter:
        why = QStringLiteral("%1 was cancelled while awaiting %2").arg(by, task);
        break;
    case CancelCause::Deadline:
        why = QStringLiteral("the deadline of %1 passed").arg(by);
        break;
    case CancelCause::Sibling:
        why = QStringLiteral("%1 failed in their TaskGroup").arg(by);
        break;
    case CancelCause::GroupExit:
        why = QStringLiteral("%1 aborted in __aexit__").arg(by);
        break;
    case CancelCause::Shutdown:
        why = QStringLiteral("main returned; asyncio.run() cancels what is left");
        break;
    }
    return QStringLiteral("<b>cancel</b> %1 at %2:<br>%3").arg(task, ms(c.time, ticksPerMs), why);
}

QString TimelineToolTip::phaseName(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Acquire:
        return QStringLiteral("acquire (__aenter__)");
    case SpanKind::Ready:
        return QStringLiteral("ready (inside the with block)");
    case SpanKind::Execute:
        return QStringLiteral("execute");
    case SpanKind::Release:
        return QStringLiteral("release (__aexit__)");
    case SpanKind::TaskWaiting:
        return QStringLiteral("created, not started yet");
    case SpanKind::TaskRunning:
        return QStringLiteral("running");
    case SpanKind::TaskEntering:
        return QStringLiteral("awaiting an __aenter__");
    case SpanKind::TaskCalling:
        return QStringLiteral("awaiting a method call");
    case SpanKind::TaskExiting:
        return QStringLiteral("awaiting an __aexit__");
    case SpanKind::TaskJoining:
        return QStringLiteral("awaiting its TaskGroup's tasks (in __aexit__)");
    case SpanKind::TaskLocking:
        return QStringLiteral("waiting for a lock or semaphore");
    case SpanKind::TaskSleeping:
        return QStringLiteral("sleeping");
    case SpanKind::TaskAwaitingTask:
        return QStringLiteral("awaiting a task");
    case SpanKind::TaskGathering:
        return QStringLiteral("awaiting a gather");
    }
    return {};
}

QString TimelineToolTip::endText(SpanEnd end, SpanKind during)
{
    switch (end) {
    case SpanEnd::Open:
        return QStringLiteral("still going at the playhead");
    case SpanEnd::Next:
        return {};
    case SpanEnd::Released:
        return QStringLiteral("released");
    case SpanEnd::FailedToAcquire:
        return QStringLiteral("failed to acquire");
    case SpanEnd::Cancelled:
        return EventCaption::cancelledText(isInstancePhase(during) ? int(phaseOf(during)) : -1);
    case SpanEnd::NeverReleased:
        return QStringLiteral("never released: the run ended first");
    case SpanEnd::TaskFinished:
        return QStringLiteral("task finished");
    case SpanEnd::TaskFailed:
        return QStringLiteral("task failed");
    case SpanEnd::TaskCancelled:
        return QStringLiteral("task cancelled");
    }
    return {};
}

QString TimelineToolTip::spanText(const TimelineModel &model, const TimelineSpan &span,
                                  qsizetype merged, qint64 ticksPerMs, const EventLog *log)
{
    const qint64 end = span.isOpen() ? model.playheadTime() : span.end;
    QString phase = phaseName(span.kind());
    if (log && span.event < log->count()) {
        const Event e = log->at(span.event);
        if (e.kind() == EventKind::TaskAwaits)
            phase = QStringLiteral("awaiting %1").arg(EventFormatter::target(*log, e));
    }
    QString s = QStringLiteral("<b>%1</b><br>%2: %3 – %4 (%5)")
                    .arg(model.laneName(span.lane).toHtmlEscaped(), phase.toHtmlEscaped(),
                         ms(span.start, ticksPerMs), ms(end, ticksPerMs),
                         ms(end - span.start, ticksPerMs));
    const QString how = endText(span.endState(), span.kind());
    if (!how.isEmpty())
        s += QStringLiteral("<br>%1").arg(how);
    if (merged > 1)
        s += QStringLiteral("<br><i>%1 spans share this pixel; the widest is shown</i>")
                 .arg(merged);
    return s;
}

QString TimelineToolTip::ownerText(const TimelineModel &model, int owner, qint64 ticksPerMs)
{
    const TimelineOwner &o = model.owners()[size_t(owner)];
    QStringList names;
    for (size_t i = 0; i < o.tasks.size() && i < 8; ++i)
        names << model.laneName(o.tasks[i]).toHtmlEscaped();
    if (o.tasks.size() > 8)
        names << QStringLiteral("… %1 more").arg(o.tasks.size() - 8);
    const qsizetype n = qsizetype(o.tasks.size());
    return QStringLiteral("<b>%1</b> owns %2: %3<br>%4 – %5%6<br>Click to go to where it began")
        .arg(o.name.toHtmlEscaped(),
             n == 1 ? QStringLiteral("1 task") : QStringLiteral("%1 tasks").arg(n),
             names.join(QLatin1String(", ")), ms(o.start, ticksPerMs),
             ms(model.ownerEnd(owner), ticksPerMs),
             o.open > 0 ? QStringLiteral(" (still going at the playhead)") : QString());
}

QString TimelineToolTip::text(const TimelineModel &model, const TimelineRenderModel &frame,
                              const TimelineHit &hit, const EventLog *log)
{
    switch (hit.kind) {
    case HitKind::None:
    case HitKind::Ruler:
        return {};
    case HitKind::Label:
    case HitKind::Expander:
        if (hit.rowKind == RowKind::Group) {
            // The header's number is the lanes the group holds up to the playhead, ended ones
            // included; how many are still alive there is a different question, answered here.
            const qsizetype lanes = qsizetype(model.groupLanes(hit.rowId).size());
            return QStringLiteral("<b>%1</b>: %2 up to the playhead (the number in the "
                                  "header), %3 of them alive there<br>Click to expand or "
                                  "collapse")
                .arg(model.groupName(hit.rowId).toHtmlEscaped(),
                     lanes == 1 ? QStringLiteral("1 lane") : QStringLiteral("%1 lanes").arg(lanes))
                .arg(model.groupAlive(hit.rowId));
        }
        return model.laneName(hit.rowId).toHtmlEscaped();
    case HitKind::Span: {
        const TimelineSpanRef &ref = frame.refs[size_t(hit.spanKind)][hit.index];
        const TimelineSpanTable &table
            = hit.rowKind == RowKind::Group ? model.groupSpans(hit.rowId) : model.spans(hit.rowId);
        return spanText(model, table.at(ref.span), ref.merged, frame.ticksPerMs, log);
    }
    case HitKind::Owner:
        return ownerText(model, frame.ownerFrames[hit.index].owner, frame.ticksPerMs);
    case HitKind::Marker: {
        const TimelineMarker &m = frame.markers[hit.index];
        const QString lane = model.laneName(m.lane).toHtmlEscaped();
        switch (m.kind) {
        case MarkerKind::Raise: {
            const TimelinePath &p = model.path(model.pathOf(m.exception));
            return QStringLiteral("<b>raised</b> %1<br>in %2 at %3 (%4)")
                .arg(p.text.toHtmlEscaped(), lane, ms(p.time, frame.ticksPerMs),
                     QString::fromLatin1(EventLog::originName(p.origin)));
        }
        case MarkerKind::Print: {
            for (const TimelinePrint &pr : model.prints(m.lane))
                if (pr.event == m.event)
                    return QStringLiteral("%1 printed at %2:<br><tt>%3</tt>")
                        .arg(lane, ms(pr.time, frame.ticksPerMs), pr.text.toHtmlEscaped());
            return {};
        }
        case MarkerKind::FailedToAcquire:
            return QStringLiteral("%1: failed to acquire, so __aexit__ never ran").arg(lane);
        case MarkerKind::Cancelled: {
            // The marker sits at the end of the lane's last span: the phase it cut short.
            const TimelineSpanTable &spans = model.spans(m.lane);
            const SpanKind during
                = spans.count() ? spans.kind(spans.count() - 1) : SpanKind::Acquire;
            return QStringLiteral("%1: %2").arg(lane, endText(SpanEnd::Cancelled, during));
        }
        case MarkerKind::NeverReleased:
            return QStringLiteral("%1: never released (the run ended first)").arg(lane);
        case MarkerKind::Open:
            return QStringLiteral("%1: still going at the playhead").arg(lane);
        case MarkerKind::TaskFailed:
            return QStringLiteral("%1: task ended with an exception").arg(lane);
        case MarkerKind::TaskCancelled:
            return QStringLiteral("%1: task cancelled").arg(lane);
        case MarkerKind::Deadline:
        case MarkerKind::DeadlineFired: {
            const TimelineDeadline *d = model.deadline(m.lane);
            if (!d)
                return {};
            if (m.kind == MarkerKind::DeadlineFired)
                return QStringLiteral("%1: the deadline passed at %2 and cancelled its task")
                    .arg(lane, ms(d->firedAt, frame.ticksPerMs));
            return QStringLiteral("%1: deadline at %2%3")
                .arg(lane, ms(d->time, frame.ticksPerMs),
                     d->firedAt >= 0 ? QString() : QStringLiteral(" (not reached in the block)"));
        }
        case MarkerKind::CancelRequest:
            for (const TimelineCancel &c : model.cancels())
                if (c.event == m.event)
                    return cancelText(model, c, frame.ticksPerMs);
            return {};
        }
        return {};
    }
    case HitKind::Cluster: {
        // Each member as its own tooltip says it, in event order, a few at most.
        const TimelineCluster &c = frame.clusters[hit.index];
        TimelineRenderModel members;
        members.ticksPerMs = frame.ticksPerMs;
        members.markers = c.markers;
        members.badges = c.badges;
        std::vector<std::pair<quint32, TimelineHit>> order;
        for (int i = 0; i < c.markers.size(); ++i)
            order.push_back(
                { c.markers[i].event,
                  TimelineHit { HitKind::Marker, hit.row, hit.rowKind, hit.rowId, i } });
        for (int i = 0; i < c.badges.size(); ++i)
            order.push_back({ c.badges[i].event,
                              TimelineHit { HitKind::Badge, hit.row, hit.rowKind, hit.rowId, i } });
        std::stable_sort(order.begin(), order.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        constexpr size_t Shown = 12;
        QStringList lines;
        for (size_t i = 0; i < order.size() && i < Shown; ++i)
            lines << text(model, members, order[i].second);
        if (order.size() > Shown)
            lines << QStringLiteral("<i>and %1 more</i>").arg(order.size() - Shown);
        return QStringLiteral("<b>%1 marks</b> too close to draw apart (zoom in to split "
                              "them):<hr>%2")
            .arg(c.count())
            .arg(lines.join(QLatin1String("<hr>")));
    }
    case HitKind::Badge: {
        const TimelineBadge &b = frame.badges[hit.index];
        QString s = QStringLiteral("%1 <b>%2</b><br>at %3")
                        .arg(exceptionText(model, b.exception).toHtmlEscaped(),
                             QString::fromLatin1(EventLog::hopName(b.action)),
                             model.laneName(b.lane).toHtmlEscaped());
        if (b.link != None)
            s += QStringLiteral("<br>%1 %2")
                     .arg(b.action == HopAction::Grouped ? QStringLiteral("into")
                                                         : QStringLiteral("by"),
                          exceptionText(model, b.link).toHtmlEscaped());
        return s;
    }
    }
    return {};
}

} // namespace Lifeline
