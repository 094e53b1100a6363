// SPDX-License-Identifier: MIT
#include "runprobe.h"

#include "eventlog.h"
#include "scenarioloader.h"
#include "scenariorun.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStringList>

#include <malloc.h>
#include <vector>

namespace Lifeline {

namespace {

// A field of /proc/self/status in kB (VmRSS, VmHWM); 0 when unavailable.
qint64 statusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

// Writing 5 to clear_refs resets VmHWM to the current VmRSS (Linux 4.0+), so the high-water
// mark read after the run is the run's own, not the loader's transient peak.
bool resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

} // namespace

qint64 RunProbe::countSpans(const EventLog &log)
{
    // Exactly the spans TimelineModel stores of the log's own: each PhaseBegan opens one
    // (closing the lane's previous), and so do TaskCreated (waiting) and TaskStarted (running);
    // an InstanceEnded with no phase open gets a zero-length span for its end marker; and a
    // TaskAwaits opens a wait span (a sleep, a task, a gather) unless the task is awaiting one
    // of its instances' phases then (a sleep in `__aenter__`: the lane keeps the phase). The
    // splits of a task's running span by its instances' phases are not counted: they are drawn
    // from the instances' events, not from any of the task's own.
    std::vector<bool> open(log.laneCount(), false);
    std::vector<bool> inPhase(log.laneCount(), false); // by task: its latest instance phase
    qint64 spans = 0;
    for (const Event &e : log.events()) {
        switch (e.kind()) {
        case EventKind::PhaseBegan: {
            ++spans;
            open[e.subject] = true;
            const LaneId task = log.lane(LaneId(e.subject)).parent;
            if (task >= 0)
                inPhase[size_t(task)] = e.phase() != Phase::Ready;
            break;
        }
        case EventKind::TaskCreated:
        case EventKind::TaskStarted:
            ++spans;
            open[e.subject] = true;
            break;
        case EventKind::InstanceEnded: {
            if (!open[e.subject])
                ++spans;
            open[e.subject] = false;
            const LaneId task = log.lane(LaneId(e.subject)).parent;
            if (task >= 0)
                inPhase[size_t(task)] = false;
            break;
        }
        case EventKind::TaskEnded:
            open[e.subject] = false;
            break;
        case EventKind::TaskAwaits:
            if (open[e.subject] && !inPhase[e.subject])
                ++spans;
            break;
        default:
            break;
        }
    }
    return spans;
}

RunProbe::Figures RunProbe::measure(const QString &file)
{
    Figures f;
    QElapsedTimer timer;
    timer.start();
    std::shared_ptr<Scenario> scenario = ScenarioLoader::fromFile(file, nullptr);
    f.loadSeconds = double(timer.nsecsElapsed()) * 1e-9;
    if (!scenario)
        return f;

    // The loader's document tree is gone; give its pages back so that "loaded" is what the
    // scenario itself holds, then start the high-water mark from there.
    malloc_trim(0);
    const bool peakReset = resetPeak();
    f.loadedKb = statusKb("VmRSS");

    ScenarioRun run(scenario);
    timer.restart();
    run.runToEnd();
    f.runSeconds = double(timer.nsecsElapsed()) * 1e-9;
    f.peakKb = peakReset ? statusKb("VmHWM") : 0;

    const EventLog &log = run.log();
    f.events = qint64(log.count());
    f.spans = countSpans(log);
    f.logBytes = qint64(log.memoryUsage());
    f.ok = true;
    return f;
}

QString RunProbe::toLine(const Figures &f)
{
    return QStringLiteral("probe %1 %2 %3 %4 %5 %6 %7 %8")
        .arg(f.ok ? 1 : 0)
        .arg(f.loadSeconds, 0, 'f', 6)
        .arg(f.runSeconds, 0, 'f', 6)
        .arg(f.events)
        .arg(f.spans)
        .arg(f.logBytes)
        .arg(f.loadedKb)
        .arg(f.peakKb);
}

RunProbe::Figures RunProbe::fromLine(const QString &line)
{
    Figures f;
    const QStringList p = line.trimmed().split(u' ');
    if (p.size() != 9 || p[0] != QLatin1String("probe"))
        return f;
    f.ok = p[1] == QLatin1String("1");
    f.loadSeconds = p[2].toDouble();
    f.runSeconds = p[3].toDouble();
    f.events = p[4].toLongLong();
    f.spans = p[5].toLongLong();
    f.logBytes = p[6].toLongLong();
    f.loadedKb = p[7].toLongLong();
    f.peakKb = p[8].toLongLong();
    return f;
}

} // namespace Lifeline
