#include "eventformatter.h"

#include <QLocale>

#include <algorithm>

namespace Lifeline {

QString EventFormatter::describe(const EventLog &log, size_t index)
{
    const Event &e = log.at(index);
    auto lane = [&](quint32 id) {
        return qint32(id) == None ? QStringLiteral("-") : log.laneName(LaneId(id));
    };
    switch (e.kind()) {
    case EventKind::TaskCreated:
        return QStringLiteral("%1 created by %2").arg(lane(e.subject), lane(e.arg));
    case EventKind::TaskStarted:
        return QStringLiteral("%1 started").arg(lane(e.subject));
    case EventKind::TaskEnded:
        return QStringLiteral("%1 %2%3").arg(
            lane(e.subject), QLatin1String(EventLog::outcomeName(TaskOutcome(e.detail))),
            qint32(e.arg) == None ? QString() : QStringLiteral(": ") + log.repr(ExcId(e.arg)));
    case EventKind::PhaseBegan:
        return QStringLiteral("%1 %2").arg(lane(e.subject),
                                           QLatin1String(EventLog::phaseName(Phase(e.detail))));
    case EventKind::InstanceEnded:
        return QStringLiteral("%1 %2").arg(
            lane(e.subject), QLatin1String(EventLog::stateName(LifecycleState(e.detail))));
    case EventKind::Printed:
        return QStringLiteral("%1 prints %2")
            .arg(lane(e.subject), pythonStringRepr(log.print(int(e.arg))));
    case EventKind::ExceptionRaised:
        return QStringLiteral("%1 %2 in %3")
            .arg(log.repr(ExcId(e.subject)),
                 QLatin1String(EventLog::originName(RaiseOrigin(e.detail))), lane(e.arg));
    case EventKind::ExceptionHop:
        return QStringLiteral("%1 %2 at %3")
            .arg(log.repr(ExcId(e.subject)), QLatin1String(EventLog::hopName(HopAction(e.detail))),
                 lane(e.arg));
    case EventKind::CancelRequested:
        return QStringLiteral("%1 cancel requested: %2 %3")
            .arg(lane(e.subject), QLatin1String(EventLog::causeName(CancelCause(e.detail))),
                 lane(e.arg));
    case EventKind::StepBegan:
        return QStringLiteral("%1 step %2").arg(lane(e.subject)).arg(e.arg);
    }
    return {};
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
    auto laneObj = [&](const QString &key, quint32 id) {
        if (qint32(id) == None)
            return;
        o[key] = qint64(id);
        o[key + QStringLiteral("Name")] = log.laneName(LaneId(id));
    };
    switch (e.kind()) {
    case EventKind::TaskCreated:
        laneObj(QStringLiteral("lane"), e.subject);
        laneObj(QStringLiteral("parent"), e.arg);
        break;
    case EventKind::TaskStarted:
        laneObj(QStringLiteral("lane"), e.subject);
        break;
    case EventKind::TaskEnded:
        laneObj(QStringLiteral("lane"), e.subject);
        o[QStringLiteral("outcome")] = QLatin1String(EventLog::outcomeName(TaskOutcome(e.detail)));
        if (qint32(e.arg) != None)
            o[QStringLiteral("exception")] = log.repr(ExcId(e.arg));
        break;
    case EventKind::PhaseBegan:
        laneObj(QStringLiteral("lane"), e.subject);
        o[QStringLiteral("phase")] = QLatin1String(EventLog::phaseName(Phase(e.detail)));
        if (e.argId() != None) // a traced program's phases have no step
            o[QStringLiteral("step")] = qint64(e.arg);
        break;
    case EventKind::InstanceEnded:
        laneObj(QStringLiteral("lane"), e.subject);
        o[QStringLiteral("state")] = QLatin1String(EventLog::stateName(LifecycleState(e.detail)));
        break;
    case EventKind::Printed:
        laneObj(QStringLiteral("lane"), e.subject);
        o[QStringLiteral("text")] = log.print(int(e.arg));
        break;
    case EventKind::ExceptionRaised:
    case EventKind::ExceptionHop: {
        const ExcId id = ExcId(e.subject);
        o[QStringLiteral("exception")] = qint64(id);
        o[QStringLiteral("repr")] = log.repr(id);
        laneObj(QStringLiteral("lane"), e.arg);
        if (e.kind() == EventKind::ExceptionHop)
            o[QStringLiteral("action")] = QLatin1String(EventLog::hopName(HopAction(e.detail)));
        else
            o[QStringLiteral("origin")]
                = QLatin1String(EventLog::originName(RaiseOrigin(e.detail)));
        const ExceptionRecord &rec = log.exception(id);
        if (rec.context != None)
            o[QStringLiteral("context")] = qint64(rec.context);
        if (rec.cause != None)
            o[QStringLiteral("cause")] = qint64(rec.cause);
        break;
    }
    case EventKind::CancelRequested:
        laneObj(QStringLiteral("lane"), e.subject);
        o[QStringLiteral("cause")] = QLatin1String(EventLog::causeName(CancelCause(e.detail)));
        laneObj(QStringLiteral("by"), e.arg);
        break;
    case EventKind::StepBegan:
        laneObj(QStringLiteral("lane"), e.subject);
        o[QStringLiteral("step")] = qint64(e.arg);
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
