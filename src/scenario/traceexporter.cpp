// SPDX-License-Identifier: MIT
#include "traceexporter.h"

#include "eventformatter.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <unordered_map>

namespace Lifeline {

namespace {

constexpr int Pid = 1;

// Lane 0 would be tid 0, which some viewers treat as "no thread".
int tidOf(LaneId lane)
{
    return lane == None ? 0 : lane + 1;
}

// A log's ticks as `ts` microseconds: a scenario's milliseconds × 1000; a traced program's
// nanoseconds / 1000, with the fraction when there is one.
QJsonValue micros(qint64 ticks, qint64 ticksPerMs)
{
    if (ticksPerMs == 1)
        return ticks * 1000;
    if (ticks * 1000 % ticksPerMs == 0) // ticks < 2^47: no overflow
        return ticks * 1000 / ticksPerMs;
    return double(ticks) * 1000.0 / double(ticksPerMs);
}

QJsonObject base(const char *ph, const QString &name, const char *cat, const QJsonValue &ts,
                 int tid)
{
    return QJsonObject { { QStringLiteral("ph"), QLatin1String(ph) },
                         { QStringLiteral("name"), name },
                         { QStringLiteral("cat"), QLatin1String(cat) },
                         { QStringLiteral("ts"), ts },
                         { QStringLiteral("pid"), Pid },
                         { QStringLiteral("tid"), tid } };
}

QJsonObject metadata(const char *name, int tid, const QJsonObject &args)
{
    return QJsonObject { { QStringLiteral("ph"), QStringLiteral("M") },
                         { QStringLiteral("name"), QLatin1String(name) },
                         { QStringLiteral("pid"), Pid },
                         { QStringLiteral("tid"), tid },
                         { QStringLiteral("args"), args } };
}

QString instanceId(LaneId lane)
{
    return QStringLiteral("instance-%1").arg(lane);
}

QString exceptionId(ExcId exc)
{
    return QStringLiteral("exception-%1").arg(exc);
}

QJsonArray chainReprs(const EventLog &log, ExcId exc)
{
    QJsonArray out;
    for (ExcId link : log.chain(exc))
        out.append(log.repr(link));
    return out;
}

struct OpenInstance
{
    bool phaseOpen = false;
    QString phase;
};

} // namespace

QJsonArray TraceExporter::traceEvents(const EventLog &log, const QString &title, qsizetype events)
{
    const size_t count
        = events < 0 ? log.count() : std::min(log.count(), size_t(std::max<qsizetype>(events, 0)));
    const qint64 endTime = count ? qint64(log.at(count - 1).time) : 0;
    const qint64 ticksPerMs = log.ticksPerMs();
    auto ts = [ticksPerMs](qint64 ticks) { return micros(ticks, ticksPerMs); };
    QJsonArray out;

    out.append(metadata(
        "process_name", 0,
        { { QStringLiteral("name"), title.isEmpty() ? QStringLiteral("lifeline") : title } }));
    for (LaneId lane = 0; lane < LaneId(log.laneCount()); ++lane) {
        out.append(metadata("thread_name", tidOf(lane),
                            { { QStringLiteral("name"), log.laneName(lane) } }));
        out.append(
            metadata("thread_sort_index", tidOf(lane), { { QStringLiteral("sort_index"), lane } }));
    }

    // Flows need their last hop known up front: it is the `f` that closes the arrow.
    std::unordered_map<ExcId, size_t> lastHop;
    for (size_t i = 0; i < count; ++i) {
        const Event &e = log.at(i);
        if (e.kind() == EventKind::ExceptionHop)
            lastHop[e.exception()] = i;
    }

    struct TaskSpan
    {
        qint64 created = 0;
        qint64 ended = -1;
        TaskOutcome outcome = TaskOutcome::Finished;
        ExcId exception = None;
    };
    std::unordered_map<LaneId, TaskSpan> tasks;
    std::vector<LaneId> taskOrder;
    std::unordered_map<LaneId, OpenInstance> instances;
    std::vector<LaneId> instanceOrder;

    auto closePhase = [&](LaneId lane, OpenInstance &open, qint64 time) {
        if (!open.phaseOpen)
            return;
        QJsonObject end = base("e", open.phase, "instance", ts(time), tidOf(lane));
        end.insert(QStringLiteral("id"), instanceId(lane));
        out.append(end);
        open.phaseOpen = false;
    };
    auto closeInstance = [&](LaneId lane, qint64 time, const QString &state) {
        OpenInstance &open = instances[lane];
        closePhase(lane, open, time);
        QJsonObject end = base("e", log.laneName(lane), "instance", ts(time), tidOf(lane));
        end.insert(QStringLiteral("id"), instanceId(lane));
        end.insert(QStringLiteral("args"), QJsonObject { { QStringLiteral("state"), state } });
        out.append(end);
        instances.erase(lane);
    };

    for (size_t i = 0; i < count; ++i) {
        const Event &e = log.at(i);
        const qint64 time = e.time;
        switch (e.kind()) {
        case EventKind::TaskCreated:
            tasks[e.lane()].created = time;
            taskOrder.push_back(e.lane());
            break;
        case EventKind::TaskStarted:
            break;
        case EventKind::TaskEnded: {
            TaskSpan &t = tasks[e.lane()];
            t.ended = time;
            t.outcome = e.outcome();
            t.exception = e.exception();
            break;
        }
        case EventKind::PhaseBegan: {
            const LaneId lane = e.lane();
            if (!instances.count(lane)) {
                QJsonObject begin
                    = base("b", log.laneName(lane), "instance", ts(time), tidOf(lane));
                begin.insert(QStringLiteral("id"), instanceId(lane));
                out.append(begin);
                instanceOrder.push_back(lane);
            }
            OpenInstance &open = instances[lane];
            closePhase(lane, open, time);
            open.phase = QLatin1String(EventLog::phaseName(e.phase()));
            open.phaseOpen = true;
            QJsonObject begin = base("b", open.phase, "instance", ts(time), tidOf(lane));
            begin.insert(QStringLiteral("id"), instanceId(lane));
            if (qint32(e.step()) != None) // a traced program's phases have no step
                begin.insert(QStringLiteral("args"),
                             QJsonObject { { QStringLiteral("step"), qint64(e.step()) } });
            out.append(begin);
            break;
        }
        case EventKind::InstanceEnded:
            if (instances.count(e.lane()))
                closeInstance(e.lane(), time, QLatin1String(EventLog::stateName(e.state())));
            break;
        case EventKind::Printed: {
            QJsonObject p
                = base("i", log.print(e.printIndex()), "print", ts(time), tidOf(e.lane()));
            p.insert(QStringLiteral("s"), QStringLiteral("t"));
            out.append(p);
            break;
        }
        case EventKind::ExceptionRaised: {
            const ExcId exc = e.exception();
            const int tid = tidOf(e.lane());
            QJsonObject raised
                = base("i", QLatin1String("raise ") + log.repr(exc), "exception", ts(time), tid);
            raised.insert(QStringLiteral("s"), QStringLiteral("t"));
            raised.insert(QStringLiteral("args"),
                          QJsonObject { { QStringLiteral("origin"),
                                          QLatin1String(EventLog::originName(e.origin())) },
                                        { QStringLiteral("chain"), chainReprs(log, exc) } });
            out.append(raised);
            if (lastHop.count(exc)) {
                QJsonObject flow = base("s", log.repr(exc), "exception", ts(time), tid);
                flow.insert(QStringLiteral("id"), exceptionId(exc));
                out.append(flow);
            }
            break;
        }
        case EventKind::ExceptionHop: {
            const ExcId exc = e.exception();
            const int tid = tidOf(e.lane());
            const QString action = QLatin1String(EventLog::hopName(e.hop()));
            QJsonObject hop = base("i", action + u' ' + log.repr(exc), "exception", ts(time), tid);
            hop.insert(QStringLiteral("s"), QStringLiteral("t"));
            hop.insert(QStringLiteral("args"),
                       QJsonObject { { QStringLiteral("action"), action } });
            out.append(hop);
            const bool last = lastHop[exc] == i;
            QJsonObject flow = base(last ? "f" : "t", log.repr(exc), "exception", ts(time), tid);
            flow.insert(QStringLiteral("id"), exceptionId(exc));
            if (last) // bind to the enclosing slice, not the next one
                flow.insert(QStringLiteral("bp"), QStringLiteral("e"));
            out.append(flow);
            break;
        }
        case EventKind::CancelRequested: {
            const QString cause = QLatin1String(EventLog::causeName(e.cause()));
            QJsonObject cancel = base("i", QStringLiteral("cancel (") + cause + u')', "cancel",
                                      ts(time), tidOf(e.lane()));
            cancel.insert(QStringLiteral("s"), QStringLiteral("t"));
            QJsonObject args { { QStringLiteral("cause"), cause } };
            if (e.byLane() != None)
                args.insert(QStringLiteral("by"), log.laneName(e.byLane()));
            cancel.insert(QStringLiteral("args"), args);
            out.append(cancel);
            break;
        }
        case EventKind::StepBegan:
            break;
        case EventKind::TaskAwaits:
        case EventKind::TaskJoined: {
            // An instant on the task's row: the wait lasts until its next event, which
            // Chrome's format has no span for without knowing that event here.
            const bool awaits = e.kind() == EventKind::TaskAwaits;
            const QString what = EventFormatter::target(log, e);
            QJsonObject mark
                = base("i", (awaits ? QStringLiteral("awaits ") : QStringLiteral("joins ")) + what,
                       awaits ? "wait" : "owner", ts(time), tidOf(e.lane()));
            mark.insert(QStringLiteral("s"), QStringLiteral("t"));
            QJsonObject args { { QStringLiteral("target"), what } };
            if (awaits)
                args.insert(QStringLiteral("wait"),
                            QLatin1String(EventLog::waitName(e.waitKind())));
            else
                args.insert(QStringLiteral("join"),
                            QLatin1String(EventLog::joinName(e.joinKind())));
            mark.insert(QStringLiteral("args"), args);
            out.append(mark);
            break;
        }
        }
    }

    // Whatever is still open at the end of the prefix ends there, marked as such.
    for (LaneId lane : instanceOrder)
        if (instances.count(lane))
            closeInstance(lane, endTime, QStringLiteral("open"));
    for (LaneId lane : taskOrder) {
        const TaskSpan &t = tasks[lane];
        QJsonObject slice = base("X", log.laneName(lane), "task", ts(t.created), tidOf(lane));
        slice.insert(QStringLiteral("dur"), ts((t.ended < 0 ? endTime : t.ended) - t.created));
        QJsonObject args { { QStringLiteral("outcome"),
                             t.ended < 0 ? QStringLiteral("running")
                                         : QLatin1String(EventLog::outcomeName(t.outcome)) } };
        if (t.exception != None)
            args.insert(QStringLiteral("exception"), log.repr(t.exception));
        slice.insert(QStringLiteral("args"), args);
        out.append(slice);
    }
    return out;
}

QByteArray TraceExporter::toJson(const EventLog &log, const QString &title, qsizetype events)
{
    QJsonObject root { { QStringLiteral("traceEvents"), traceEvents(log, title, events) },
                       { QStringLiteral("displayTimeUnit"), QStringLiteral("ms") },
                       { QStringLiteral("otherData"),
                         QJsonObject { { QStringLiteral("title"), title },
                                       { QStringLiteral("generator"), QStringLiteral("lifeline") },
                                       { QStringLiteral("clock"),
                                         log.ticksPerMs() == 1
                                             ? QStringLiteral("virtual ms x 1000")
                                             : QStringLiteral("real ns / 1000") } } } };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool TraceExporter::writeFile(const EventLog &log, const QString &title, const QString &path,
                              QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson(log, title)) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace Lifeline
