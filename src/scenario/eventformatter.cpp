// SPDX-License-Identifier: MIT
#include "eventformatter.h"

#include <QLocale>

#include <algorithm>

namespace Lifeline {

QString EventFormatter::describe(const EventLog &log, size_t index)
{
    const Event &e = log.at(index);
    auto lane = [&](LaneId id) { return id == None ? QStringLiteral("-") : log.laneName(id); };
    switch (e.kind()) {
    case EventKind::TaskCreated:
        return QStringLiteral("%1 created by %2").arg(lane(e.lane()), lane(e.byLane()));
    case EventKind::TaskStarted:
        return QStringLiteral("%1 started").arg(lane(e.lane()));
    case EventKind::TaskEnded:
        return QStringLiteral("%1 %2%3").arg(
            lane(e.lane()), QLatin1String(EventLog::outcomeName(e.outcome())),
            e.exception() == None ? QString() : QStringLiteral(": ") + log.repr(e.exception()));
    case EventKind::PhaseBegan:
        return QStringLiteral("%1 %2").arg(lane(e.lane()),
                                           QLatin1String(EventLog::phaseName(e.phase())));
    case EventKind::InstanceEnded:
        return QStringLiteral("%1 %2").arg(lane(e.lane()),
                                           QLatin1String(EventLog::stateName(e.state())));
    case EventKind::Printed:
        return QStringLiteral("%1 prints %2")
            .arg(lane(e.lane()), pythonStringRepr(log.print(e.printIndex())));
    case EventKind::ExceptionRaised:
        return QStringLiteral("%1 %2 in %3")
            .arg(log.repr(e.exception()), QLatin1String(EventLog::originName(e.origin())),
                 lane(e.lane()));
    case EventKind::ExceptionHop:
        return QStringLiteral("%1 %2 at %3")
            .arg(log.repr(e.exception()), QLatin1String(EventLog::hopName(e.hop())),
                 lane(e.lane()));
    case EventKind::CancelRequested:
        return QStringLiteral("%1 cancel requested: %2 %3")
            .arg(lane(e.lane()), QLatin1String(EventLog::causeName(e.cause())), lane(e.byLane()));
    case EventKind::StepBegan:
        return QStringLiteral("%1 step %2").arg(lane(e.lane())).arg(e.step());
    case EventKind::TaskAwaits:
        return QStringLiteral("%1 awaits %2").arg(lane(e.lane()), target(log, e));
    case EventKind::TaskJoined:
        return QStringLiteral("%1 joins %2").arg(lane(e.lane()), target(log, e));
    }
    return {};
}

bool EventFormatter::targetIsLane(const Event &e)
{
    return (e.kind() == EventKind::TaskAwaits && e.waitKind() == WaitKind::Task)
        || (e.kind() == EventKind::TaskJoined && e.joinKind() == JoinKind::TaskGroup);
}

QString EventFormatter::target(const EventLog &log, const Event &e)
{
    if (targetIsLane(e))
        return e.targetLane() == None ? QStringLiteral("-") : log.laneName(e.targetLane());
    return log.label(e.targetLabel());
}

QString EventFormatter::milliseconds(const EventLog &log, qint64 ticks)
{
    return milliseconds(ticks, log.ticksPerMs());
}

QString EventFormatter::milliseconds(qint64 ticks, qint64 perMs)
{
    const qint64 whole = ticks / perMs;
    const qint64 rest = ticks % perMs;
    if (rest == 0)
        return QString::number(whole);
    // An exact decimal needs a power of ten of ticks per millisecond (a real clock's 10^6).
    int digits = 0;
    qint64 power = 1;
    for (; power < perMs; power *= 10)
        ++digits;
    if (power != perMs)
        return QString::number(double(ticks) / double(perMs), 'g', QLocale::FloatingPointShortest);
    QString fraction = QStringLiteral("%1").arg(rest, digits, 10, QLatin1Char('0'));
    while (fraction.endsWith(u'0'))
        fraction.chop(1);
    return QString::number(whole) + u'.' + fraction;
}

QJsonObject EventFormatter::toJson(const EventLog &log, size_t index)
{
    const Event &e = log.at(index);
    QJsonObject o;
    o[QStringLiteral("i")] = qint64(index);
    // Milliseconds: whole on a scenario's clock, with the fraction a real clock gives.
    if (log.ticksPerMs() == 1)
        o[QStringLiteral("t")] = qint64(e.time);
    else
        o[QStringLiteral("t")] = double(e.time) / double(log.ticksPerMs());
    o[QStringLiteral("kind")] = QLatin1String(EventLog::kindName(e.kind()));
    auto laneObj = [&](const QString &key, LaneId id) {
        if (id == None)
            return;
        o[key] = qint64(id);
        o[key + QStringLiteral("Name")] = log.laneName(id);
    };
    switch (e.kind()) {
    case EventKind::TaskCreated:
        laneObj(QStringLiteral("lane"), e.lane());
        laneObj(QStringLiteral("parent"), e.byLane());
        break;
    case EventKind::TaskStarted:
        laneObj(QStringLiteral("lane"), e.lane());
        break;
    case EventKind::TaskEnded:
        laneObj(QStringLiteral("lane"), e.lane());
        o[QStringLiteral("outcome")] = QLatin1String(EventLog::outcomeName(e.outcome()));
        if (e.exception() != None)
            o[QStringLiteral("exception")] = log.repr(e.exception());
        break;
    case EventKind::PhaseBegan:
        laneObj(QStringLiteral("lane"), e.lane());
        o[QStringLiteral("phase")] = QLatin1String(EventLog::phaseName(e.phase()));
        if (qint32(e.step()) != None) // a traced program's phases have no step
            o[QStringLiteral("step")] = qint64(e.step());
        break;
    case EventKind::InstanceEnded:
        laneObj(QStringLiteral("lane"), e.lane());
        o[QStringLiteral("state")] = QLatin1String(EventLog::stateName(e.state()));
        break;
    case EventKind::Printed:
        laneObj(QStringLiteral("lane"), e.lane());
        o[QStringLiteral("text")] = log.print(e.printIndex());
        break;
    case EventKind::ExceptionRaised:
    case EventKind::ExceptionHop: {
        const ExcId id = e.exception();
        o[QStringLiteral("exception")] = qint64(id);
        o[QStringLiteral("repr")] = log.repr(id);
        laneObj(QStringLiteral("lane"), e.lane());
        if (e.kind() == EventKind::ExceptionHop)
            o[QStringLiteral("action")] = QLatin1String(EventLog::hopName(e.hop()));
        else
            o[QStringLiteral("origin")] = QLatin1String(EventLog::originName(e.origin()));
        const ExceptionRecord &rec = log.exception(id);
        if (rec.context != None)
            o[QStringLiteral("context")] = qint64(rec.context);
        if (rec.cause != None)
            o[QStringLiteral("cause")] = qint64(rec.cause);
        break;
    }
    case EventKind::CancelRequested:
        laneObj(QStringLiteral("lane"), e.lane());
        o[QStringLiteral("cause")] = QLatin1String(EventLog::causeName(e.cause()));
        laneObj(QStringLiteral("by"), e.byLane());
        break;
    case EventKind::StepBegan:
        laneObj(QStringLiteral("lane"), e.lane());
        o[QStringLiteral("step")] = qint64(e.step());
        break;
    case EventKind::TaskAwaits:
    case EventKind::TaskJoined:
        laneObj(QStringLiteral("lane"), e.lane());
        if (e.kind() == EventKind::TaskAwaits)
            o[QStringLiteral("wait")] = QLatin1String(EventLog::waitName(e.waitKind()));
        else
            o[QStringLiteral("join")] = QLatin1String(EventLog::joinName(e.joinKind()));
        // A task or TaskGroup as a lane (`target`, `targetName`); a sleep or gather by name.
        if (targetIsLane(e))
            laneObj(QStringLiteral("target"), e.targetLane());
        else
            o[QStringLiteral("targetName")] = log.label(e.targetLabel());
        break;
    }
    return o;
}

QVariant EventFormatter::tableMilliseconds(const EventLog &log, qint64 ticks)
{
    const qint64 perMs = log.ticksPerMs();
    if (perMs == 1)
        return qlonglong(ticks);
    const qint64 perUs = std::max<qint64>(1, perMs / 1000);
    return milliseconds(ticks / perUs * perUs, perMs);
}

} // namespace Lifeline
