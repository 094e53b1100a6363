#include "runcontroller.h"

#include "scenariorun.h"
#include "tracerecording.h"

#include <QTimer>

#include <algorithm>

namespace Lifeline {

namespace {
constexpr int FrameMs = 16;
// The views digest at most this many new events per frame, so an engine burst never freezes
// the window: the playhead catches up over the following frames instead. The views cost about
// 100 ns per new event between them (timeline model, table rows), so this is ~3 ms of a 16 ms
// frame, leaving room for the engine's 5 ms slice and the paint.
constexpr qsizetype MaxEventsPerFrame = 30000;
}

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

void RunController::recordingGrew()
{
    if (m_run)
        m_run->recordingGrew();
}

void RunController::setScenario(std::shared_ptr<const Scenario> scenario)
{
    pause();
    if (m_run) {
        m_run->disconnect(this); // pause() above has stopped it
        retire(m_run.release());
    }
    m_scenario = std::move(scenario);
    m_position = 0;
    m_frameClock.invalidate();
    if (m_scenario) {
        m_run = std::make_unique<ScenarioRun>(m_scenario);
        m_run->setRecordSteps(true); // the code view follows StepBegan events
        connect(m_run.get(), &ScenarioRun::eventsAppended, this, &RunController::onEventsAppended);
        connect(m_run.get(), &ScenarioRun::finished, this, &RunController::onEngineFinished);
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
            if (m_retiring.front()->releaseSome(SliceNs))
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
    m_position = position;
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
    // A live trace's events are in the past as they arrive: replaying them at a speed would only
    // fall behind, so it follows the live edge.
    if (m_speed == Instant || isLive()) {
        m_following = true;
        followEnd();
        startEngine();
        return;
    }
    if (m_position < recorded()) {
        // Replay the recorded events at the chosen speed before handing over to the engine.
        m_virtualNow = m_position > 0 ? double(m_run->log().at(size_t(m_position - 1)).time) : 0.0;
        m_clock.start();
        m_playback->start();
        return;
    }
    startEngine();
}

void RunController::playbackTick()
{
    m_virtualNow += double(m_clock.restart()) * m_speed;
    const EventLog &log = m_run->log();
    qsizetype position = m_position;
    while (position < recorded() && double(log.at(size_t(position)).time) <= m_virtualNow)
        ++position;
    setPosition(position);
    if (m_position < recorded())
        return;
    m_playback->stop();
    startEngine();
}

void RunController::startEngine()
{
    if (m_run->isFinished()) {
        onEngineFinished();
        return;
    }
    m_following = true;
    m_run->start(isLive() ? Instant : m_speed);
}

void RunController::onEventsAppended()
{
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
    setPosition(std::min(recorded(), m_position + MaxEventsPerFrame));
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
    m_playback->stop();
    m_catchUp->stop();
    m_following = false;
    m_finishing = false;
    if (m_run && m_run->isRunning())
        m_run->pause();
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
    setScenario(m_scenario);
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
