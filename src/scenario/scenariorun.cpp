// SPDX-License-Identifier: MIT
#include "scenariorun.h"

#include "interpreter.h"
#include "slicegate.h"
#include "tracereplay.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

namespace Lifeline {

namespace {
// A slice never holds the thread longer than this, and never longer than the event loop's pass
// has left (SliceGate), so a GUI thread stays within a frame with room left for the views that
// show what the slice recorded.
constexpr qint64 SliceNs = 3'000'000;
// The clock is read after a batch of steps taking about this long (a step is tens of ns to a
// millisecond: one that makes a quarter of a million tasks yields to the host instead). A batch
// sized on cheap steps meets dear ones at times (fresh pages for the log, a phase of the run
// that allocates): at most 2,048 steps keeps that overshoot to a millisecond or two.
constexpr qint64 BatchNs = 250'000;
constexpr int MaxBatch = 1 << 11;
} // namespace

ScenarioRun::ScenarioRun(std::shared_ptr<const Scenario> scenario, QObject *parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
    , m_driver(m_scenario->trace ? std::unique_ptr<RunDriver>(new TraceReplay(m_scenario))
                                 : std::unique_ptr<RunDriver>(new Interpreter(m_scenario)))
{
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ScenarioRun::runSlice);
}

ScenarioRun::~ScenarioRun() = default;

const EventLog &ScenarioRun::log() const
{
    return m_driver->log();
}
Scheduler &ScenarioRun::scheduler()
{
    return m_driver->scheduler();
}
ResourceTracker &ScenarioRun::resources()
{
    return m_driver->resources();
}
bool ScenarioRun::isFinished() const
{
    return m_driver->isFinished();
}
ExcId ScenarioRun::outcome() const
{
    return m_driver->outcome();
}
void ScenarioRun::setRecordSteps(bool on)
{
    m_driver->setRecordSteps(on);
}

void ScenarioRun::runToEnd()
{
    const size_t before = log().count();
    scheduler().setClockRunsFree(true);
    m_driver->runToEnd();
    scheduler().setClockRunsFree(false);
    if (log().count() != before)
        Q_EMIT eventsAppended(qsizetype(log().count()));
    if (!isFinished())
        return; // a live trace's run: more may come
    if (m_running) {
        m_running = false;
        m_waiting = false;
        m_timer->stop();
        Q_EMIT runningChanged(false);
    }
    Q_EMIT finished();
}

bool ScenarioRun::runUntilEvents(size_t events)
{
    const size_t before = log().count();
    // A step that creates a quarter of a million tasks stops for the host at every chance, so
    // stepping to its first events does not make all the rest first.
    scheduler().setHostDeadline(QDeadlineTimer(0));
    while (log().count() < events && m_driver->step()) { }
    scheduler().setHostDeadline(QDeadlineTimer(QDeadlineTimer::Forever));
    if (log().count() != before)
        Q_EMIT eventsAppended(qsizetype(log().count()));
    if (m_driver->isFinished())
        Q_EMIT finished();
    return log().count() >= events;
}

bool ScenarioRun::releaseSome(qint64 budgetNs)
{
    return m_driver->releaseSome(budgetNs);
}

void ScenarioRun::start(double speed)
{
    m_speed = speed;
    m_realStartMs = 0; // re-anchor real time: a pause must not make the run race to catch up
    if (m_running || isFinished())
        return;
    m_running = true;
    Q_EMIT runningChanged(true);
    m_timer->start(0);
}

void ScenarioRun::pause()
{
    if (!m_running)
        return;
    m_running = false;
    m_waiting = false;
    m_timer->stop();
    Q_EMIT runningChanged(false);
}

bool ScenarioRun::isRunning() const
{
    return m_running;
}

void ScenarioRun::recordingGrew()
{
    if (!m_waiting)
        return;
    m_waiting = false;
    m_timer->start(0);
}

void ScenarioRun::setSpeed(double speed)
{
    m_speed = speed;
    m_realStartMs = 0; // the new speed applies from the current virtual time on
}

void ScenarioRun::runSlice()
{
    if (!m_running)
        return;
    const qint64 sliceNs = SliceGate::current().allowance(SliceNs);
    if (!sliceNs) { // this pass of the event loop has done its share: the next one
        m_timer->start(0);
        return;
    }
    QElapsedTimer elapsed;
    elapsed.start();
    const size_t before = log().count();
    Scheduler &s = scheduler();
    s.setHostDeadline(QDeadlineTimer(std::chrono::nanoseconds(sliceNs), Qt::PreciseTimer));
    // Instant play may jump the clock inside a step (only until the slice is spent); real-time
    // play paces every jump itself.
    s.setClockRunsFree(m_speed <= 0);
    bool more = true;
    int waitMs = 0;
    int batch = 16;
    while (more && elapsed.nsecsElapsed() < sliceNs) {
        qint64 when = 0;
        if (m_speed > 0 && s.next(&when) == Scheduler::Next::AdvanceClock) {
            // Real-time mode: the virtual clock may only jump as far as real time allows.
            const qint64 realNow = QDateTime::currentMSecsSinceEpoch();
            if (m_realStartMs == 0) {
                m_realStartMs = realNow;
                m_virtualAnchor = s.time();
            }
            const double ticksPerRealMs = m_speed * double(log().ticksPerMs());
            const qint64 due
                = m_realStartMs + qint64(double(when - m_virtualAnchor) / ticksPerRealMs);
            if (due > realNow) {
                waitMs = int(std::min<qint64>(due - realNow, 50));
                break;
            }
        }
        // Steps between looks at the clock: sized so a batch takes about BatchNs, whatever the
        // machine's speed or the steps' cost, so the slice ends close to its budget.
        const int yields = s.hostYields();
        const qint64 batchStart = elapsed.nsecsElapsed();
        for (int i = 0; i < batch && more && s.hostYields() == yields; ++i) {
            more = m_driver->step();
            if (m_speed > 0 && s.next() == Scheduler::Next::AdvanceClock)
                break;
        }
        const qint64 took = elapsed.nsecsElapsed() - batchStart;
        if (took < BatchNs / 2 && batch < MaxBatch)
            batch *= 2;
        else if (took > BatchNs * 2 && batch > 1)
            batch /= 2;
    }
    s.setHostDeadline(QDeadlineTimer(QDeadlineTimer::Forever));
    s.setClockRunsFree(false);
    if (log().count() != before)
        Q_EMIT eventsAppended(qsizetype(log().count()));
    if (!more && !isFinished()) {
        // Everything a live trace received is in: wait, with no timer, for recordingGrew().
        m_waiting = true;
        return;
    }
    if (!more) {
        m_running = false;
        Q_EMIT runningChanged(false);
        Q_EMIT finished();
        return;
    }
    m_timer->start(waitMs);
}

QStringList ScenarioRun::output() const
{
    QStringList lines;
    const EventLog &l = log();
    for (const Event &e : l.events()) {
        if (e.kind() == EventKind::Printed)
            lines << l.print(int(e.arg));
    }
    return lines;
}

QString ScenarioRun::outcomeText() const
{
    const ExcId exc = outcome();
    if (exc == None)
        return QStringLiteral("ok");
    QStringList parts;
    for (ExcId e : log().chain(exc))
        parts << log().repr(e);
    return parts.join(QStringLiteral(" <- "));
}

static QString exceptionLine(const EventLog &log, ExcId e)
{
    const QString type = log.types().name(log.exception(e).type);
    const QString text = log.str(e);
    return text.isEmpty() ? type : type + QStringLiteral(": ") + text;
}

QString ScenarioRun::tracebackText() const
{
    const ExcId exc = outcome();
    if (exc == None)
        return {};
    std::vector<ExcId> chain = log().chain(exc);
    QString out;
    for (size_t i = chain.size(); i-- > 0;) {
        const ExcId e = chain[i];
        out += QStringLiteral(
            "Traceback (most recent call last):\n  File \"<scenario>\", in main\n");
        out += exceptionLine(log(), e) + u'\n';
        const ExceptionRecord &rec = log().exception(e);
        for (size_t m = 0; m < rec.members.size(); ++m)
            out += QStringLiteral("  +-- %1: %2\n")
                       .arg(m + 1)
                       .arg(exceptionLine(log(), rec.members[m]));
        if (i > 0) {
            const bool direct = log().exception(chain[i - 1]).cause == e;
            out += direct ? QStringLiteral("\nThe above exception was the direct cause of the "
                                           "following exception:\n\n")
                          : QStringLiteral("\nDuring handling of the above exception, another "
                                           "exception occurred:\n\n");
        }
    }
    return out;
}

} // namespace Lifeline
