// SPDX-License-Identifier: MIT
#include "runcontroller.h"

#include "resource.h"
#include "scenariorun.h"
#include "slicegate.h"
#include "tracerecording.h"

#include <QTimer>

#include <algorithm>

namespace Lifeline {

namespace {
constexpr int FrameMs = 16;
// A following playhead moves on by what the views digest in this much time per frame, so an
// engine burst never freezes the window: the playhead catches up over the following frames
// instead. ~3 ms of a 16 ms frame leaves room for the engine's slice and the paint.
constexpr qint64 ViewBudgetNs = 3'000'000;
// Bounds on the step, whatever the measurements say: a first frame with nothing measured yet,
// and a refresh whose cost did not depend on how far the playhead moved.
constexpr qsizetype MinEventsPerFrame = 1000;
constexpr qsizetype MaxEventsPerFrame = 4'000'000;

// The state an event puts an instance in, or Created for events that do not change it.
LifecycleState stateAfter(const Event &e)
{
    if (e.kind() == EventKind::PhaseBegan)
        return stateDuring(e.phase());
    if (e.kind() == EventKind::InstanceEnded)
        return e.state();
    return LifecycleState::Created;
}
} // namespace

RunController::RunController(QObject *parent)
    : QObject(parent)
    , m_playback(new QTimer(this))
{
    m_playback->setInterval(FrameMs);
    connect(m_playback, &QTimer::timeout, this, &RunController::playbackTick);
    m_catchUp = new QTimer(this);
    m_catchUp->setInterval(FrameMs);
    m_catchUp->setSingleShot(true);
    connect(m_catchUp, &QTimer::timeout, this, &RunController::catchUp);
}

RunController::~RunController() = default;

const EventLog *RunController::log() const
{
    return m_run ? &m_run->log() : nullptr;
}

qsizetype RunController::recorded() const
{
    return m_run ? qsizetype(m_run->log().count()) : 0;
}

bool RunController::isFinished() const
{
    return m_run && m_run->isFinished() && m_position == recorded();
}

bool RunController::atEnd() const
{
    return !m_run || isFinished();
}

bool RunController::isLive() const
{
    return m_scenario && m_scenario->trace && m_scenario->trace->growing;
}

bool RunController::isRecording() const
{
    return m_run && !m_run->isFinished();
}

void RunController::reportViewCost(qint64 nanoseconds, qsizetype events)
{
    if (events < 64 || nanoseconds <= 0)
        return; // too few events to say what one costs
    const double perEvent = double(nanoseconds) / double(events);
    m_viewNsPerEvent = 0.7 * m_viewNsPerEvent + 0.3 * perEvent;
}

qsizetype RunController::eventsPerFrame() const
{
    return std::clamp<qsizetype>(qsizetype(double(ViewBudgetNs) / std::max(m_viewNsPerEvent, 1.0)),
                                 MinEventsPerFrame, MaxEventsPerFrame);
}

Resource *RunController::watch(LaneId instance)
{
    if (Resource *r = m_watched.value(instance))
        return r;
    const EventLog *l = log();
    if (!l || instance < 0 || size_t(instance) >= l->laneCount()
        || l->lane(instance).kind() != LaneKind::Instance)
        return nullptr;
    auto *r = new Resource(instance, l->laneName(instance), LifecycleState::Created, this);
    m_watched.insert(instance, r);
    moveWatched(0, m_position); // silent: nobody is connected yet
    return r;
}

void RunController::moveWatched(qsizetype from, qsizetype to)
{
    if (m_watched.isEmpty() || from == to || !m_run)
        return;
    const EventLog &l = m_run->log();
    if (to < from) {
        // Going back: each watched instance's state at `to`, found from the start (only the
        // watched lanes' events matter, and a run is watched in tests and tools, not at scale).
        QHash<LaneId, LifecycleState> states;
        for (size_t i = 0; i < size_t(to); ++i) {
            const EventKind k = l.kindAt(i);
            if (k != EventKind::PhaseBegan && k != EventKind::InstanceEnded)
                continue;
            const Event e = l.at(i);
            if (m_watched.contains(e.lane()))
                states.insert(e.lane(), stateAfter(e));
        }
        const qint64 time = to > 0 ? qint64(l.at(size_t(to - 1)).time) : 0;
        for (auto it = m_watched.cbegin(); it != m_watched.cend(); ++it)
            it.value()->setState(states.value(it.key(), LifecycleState::Created), time);
        return;
    }
    for (size_t i = size_t(from); i < size_t(to); ++i) {
        const EventKind k = l.kindAt(i);
        if (k != EventKind::PhaseBegan && k != EventKind::InstanceEnded)
            continue;
        const Event e = l.at(i);
        if (Resource *r = m_watched.value(e.lane()))
            r->setState(stateAfter(e), e.time);
    }
}

void RunController::recordingGrew()
{
    if (m_run)
        m_run->recordingGrew();
}

void RunController::setScenario(std::shared_ptr<const Scenario> scenario)
{
    pause();
    if (m_run) {
        m_run->pause(); // it may still be recording ahead
        m_run->disconnect(this);
        retire(m_run.release());
    }
    qDeleteAll(m_watched);
    m_watched.clear();
    m_scenario = std::move(scenario);
    m_position = 0;
    m_frameClock.invalidate();
    if (m_scenario) {
        m_run = std::make_unique<ScenarioRun>(m_scenario);
        m_run->setRecordSteps(true); // the code view follows StepBegan events
        connect(m_run.get(), &ScenarioRun::eventsAppended, this, &RunController::onEventsAppended);
        connect(m_run.get(), &ScenarioRun::finished, this, &RunController::onEngineFinished);
        // Recorded ahead of the playhead from the next turn of the event loop on, in slices.
        m_run->start(Instant);
    }
    Q_EMIT runReset();
    Q_EMIT positionChanged(m_position);
}

void RunController::retire(ScenarioRun *run)
{
    // The old run may be the sender of the signal that got us here, so it goes later; and in
    // slices, on this thread: a run stopped with a quarter of a million tasks in flight takes
    // ~16 ms to free (a frame on its own), and its coroutine frames belong to this thread's
    // frame pool, so freeing them on a worker would strand that memory.
    m_retiring.emplace_back(run);
    if (!m_retireTimer) {
        m_retireTimer = new QTimer(this);
        m_retireTimer->setInterval(0);
        connect(m_retireTimer, &QTimer::timeout, this, [this] {
            constexpr qint64 SliceNs = 2'000'000;
            const qint64 budget = SliceGate::current().allowance(SliceNs);
            if (budget && m_retiring.front()->releaseSome(budget))
                m_retiring.erase(m_retiring.begin());
            if (m_retiring.empty())
                m_retireTimer->stop();
        });
    }
    m_retireTimer->start();
}

void RunController::setPosition(qsizetype position)
{
    position = std::clamp<qsizetype>(position, 0, recorded());
    if (position == m_position)
        return;
    const qsizetype from = std::exchange(m_position, position);
    moveWatched(from, m_position);
    Q_EMIT positionChanged(m_position);
}

void RunController::setPlaying(bool playing)
{
    if (playing == m_playing)
        return;
    m_playing = playing;
    Q_EMIT playingChanged(m_playing);
}

void RunController::play()
{
    if (!m_run || m_playing)
        return;
    if (atEnd())
        seek(0); // like a player at the end of the track: play again from the start
    setPlaying(true);
    startEngine();
    // A live trace's events are in the past as they arrive: replaying them at a speed would only
    // fall behind, so it follows the live edge.
    if (m_speed == Instant || isLive()) {
        m_following = true;
        followEnd();
        if (m_run->isFinished()) {
            // Recorded already: the playhead catches up, and finished() comes from the event
            // loop, as it does when the engine ends later.
            m_finishing = true;
            if (!m_catchUp->isActive())
                m_catchUp->start(0);
        }
        return;
    }
    // At a speed, over what is recorded (the engine records ahead, far faster than real time).
    m_virtualNow = m_position > 0 ? double(m_run->log().at(size_t(m_position - 1)).time) : 0.0;
    m_clock.start();
    m_playback->start();
}

void RunController::playbackTick()
{
    const EventLog &log = m_run->log();
    m_virtualNow += double(m_clock.restart()) * m_speed * double(log.ticksPerMs());
    // Times never decrease along the log: the last event due is found by bisection, and the
    // playhead moves there by at most a frame's worth of the views' work.
    qsizetype lo = m_position, hi = recorded();
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (double(log.at(size_t(mid)).time) <= m_virtualNow)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo - m_position > eventsPerFrame()) {
        lo = m_position + eventsPerFrame();
        m_virtualNow = double(log.at(size_t(lo - 1)).time); // fall behind rather than stall
    }
    setPosition(lo);
    if (m_position < recorded() || !m_run->isFinished())
        return; // more to show, or more coming from the engine
    m_playback->stop();
    setPlaying(false);
    Q_EMIT finished();
}

void RunController::startEngine()
{
    // The engine records ahead from the moment a run is set; a live trace's run waits for its
    // recording to grow. Only a run paused by someone else needs starting again.
    if (!m_run->isFinished() && !m_run->isRunning())
        m_run->start(Instant);
}

void RunController::onEventsAppended()
{
    Q_EMIT recordedChanged(recorded());
    if (m_following)
        followEnd();
}

void RunController::followEnd()
{
    if (m_position >= recorded())
        return;
    // At most one frame's worth per frame: the engine appends several times a frame, and each
    // append moving the playhead on by a frame's worth would add up before the views refresh.
    if (m_frameClock.isValid() && m_frameClock.elapsed() < FrameMs) {
        if (!m_catchUp->isActive())
            m_catchUp->start(int(FrameMs - m_frameClock.elapsed()));
        return;
    }
    m_frameClock.start();
    setPosition(std::min(recorded(), m_position + eventsPerFrame()));
    if (m_position < recorded() && !m_catchUp->isActive())
        m_catchUp->start(FrameMs);
}

void RunController::catchUp()
{
    if (!m_following && !m_finishing)
        return;
    followEnd();
    if (m_finishing && m_position == recorded())
        onEngineFinished();
}

void RunController::onEngineFinished()
{
    if (m_playback->isActive())
        return; // playing at a speed: playbackTick() finishes at the end of the recording
    if (m_following || m_playing) {
        m_finishing = true;
        followEnd();
        if (m_position < recorded())
            return; // catchUp() finishes once the playhead reaches the end
    }
    m_finishing = false;
    m_following = false;
    if (m_playing) {
        setPlaying(false);
        Q_EMIT finished();
    }
}

void RunController::pause()
{
    // The playhead stops; the engine goes on recording ahead of it.
    m_playback->stop();
    m_catchUp->stop();
    m_following = false;
    m_finishing = false;
    setPlaying(false);
}

void RunController::togglePlay()
{
    if (m_playing)
        pause();
    else
        play();
}

void RunController::step()
{
    pause();
    if (!m_run)
        return;
    if (m_position >= recorded() && !m_run->isFinished())
        m_run->runUntilEvents(size_t(recorded()) + 1);
    setPosition(m_position + 1);
}

void RunController::stepBack()
{
    pause();
    setPosition(m_position - 1);
}

void RunController::restart()
{
    // The recorded run is the run (a fresh one would record the same events): back to its
    // start, with no second engine run.
    seek(0);
}

void RunController::seek(qsizetype position)
{
    pause();
    if (!m_run)
        return;
    if (position > recorded() && !m_run->isFinished())
        m_run->runUntilEvents(size_t(position));
    setPosition(position);
}

void RunController::setSpeed(double speed)
{
    if (speed == m_speed)
        return;
    m_speed = speed;
    Q_EMIT speedChanged(m_speed);
    if (m_playing) {
        pause();
        play();
    }
}

} // namespace Lifeline
