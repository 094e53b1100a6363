// SPDX-License-Identifier: MIT
#pragma once
// Drives one scenario run for the views: Run/Pause at a speed, Step, Step back, seek, Restart.
// The position is how many events of the log the views show (0..recorded). The engine's log is
// append-only, so going back is showing a shorter prefix of the same log: the prefix of length n
// is exactly what a fresh run stepped to n events holds (ScenarioRun's determinism), at O(1)
// cost instead of re-running. Going forward past what is recorded asks the engine for more.
// A QObject with no widgets; views follow positionChanged, and recordedChanged for the part of
// the run after the playhead.
// A scenario is recorded ahead of the playhead as soon as it is set: the engine runs to its end
// in slices of the event loop (ScenarioRun's instant mode) while the playhead stays at 0, so the
// views can show the whole run's shape before it plays; Run, Step and seek then only move the
// playhead over what is recorded. A live trace (its recording still growing) plays by
// following its live edge: Run shows each event as it arrives, at any speed; Pause, Step, Step
// back and seek work on what has arrived.
// The engine's own ResourceTracker signals fire as the engine records, ahead of the playhead;
// watch() gives a Resource whose signals fire as the playhead passes its events.

#include "eventlog.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <memory>

class QTimer;

namespace Lifeline {

class Resource;
struct Scenario;
class ScenarioRun;

class RunController : public QObject
{
    Q_OBJECT
public:
    static constexpr double Instant = 0.0;

    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // Starts a fresh, unstarted run of `scenario` at position 0.
    void setScenario(std::shared_ptr<const Scenario> scenario);
    std::shared_ptr<const Scenario> scenario() const { return m_scenario; }
    ScenarioRun *run() const { return m_run.get(); }
    const EventLog *log() const;

    qsizetype position() const { return m_position; }
    qsizetype recorded() const;
    bool isPlaying() const { return m_playing; }
    bool isFinished() const; // the engine ran to its end and the playhead is there
    bool atEnd() const; // nothing left to show or run
    double speed() const { return m_speed; }
    // The scenario is a live trace whose program has not ended: more events may come.
    bool isLive() const;
    // The engine is still recording the run ahead of the playhead (or waiting for a live
    // trace's next events).
    bool isRecording() const;

    // A QObject mirror of a resource instance whose state and signals follow the playhead (the
    // events before it), owned by the controller until the next run; null for a lane that is
    // not a recorded instance. Going back sets the earlier state, with that state's signal.
    Resource *watch(LaneId instance);

    // What moving the playhead costs the views, per event (measured by the window after each
    // refresh): a following playhead moves on by as many events a frame as fit in a few
    // milliseconds of that, so the step is sized by elapsed time, not by a count.
    void reportViewCost(qint64 nanoseconds, qsizetype events);
    // How far a following playhead moves in one frame at the measured cost.
    qsizetype eventsPerFrame() const;

public Q_SLOTS:
    void play();
    void pause();
    void togglePlay();
    void step();
    void stepBack();
    void restart();
    // Clamped to [0, events the run can produce]; runs the engine forward if needed.
    void seek(qsizetype position);
    void seekToEvent(qsizetype eventIndex) { seek(eventIndex + 1); }
    void setSpeed(double speed);
    // A live trace's recording grew: a run following it goes on.
    void recordingGrew();

Q_SIGNALS:
    // A new run replaced the old one: views drop pointers into the old log.
    void runReset();
    void positionChanged(qsizetype position);
    // The engine recorded more of the run (ahead of the playhead, or at a live trace's edge).
    void recordedChanged(qsizetype recorded);
    void playingChanged(bool playing);
    void speedChanged(double speed);
    // Playback reached the end of the run.
    void finished();

private:
    void setPosition(qsizetype position);
    void setPlaying(bool playing);
    void playbackTick();
    void startEngine();
    void onEventsAppended();
    void onEngineFinished();
    void followEnd();
    void catchUp();
    void retire(ScenarioRun *run);
    void moveWatched(qsizetype from, qsizetype to);

    std::shared_ptr<const Scenario> m_scenario;
    std::unique_ptr<ScenarioRun> m_run;
    std::vector<std::unique_ptr<ScenarioRun>> m_retiring; // freed a slice at a time
    QTimer *m_retireTimer = nullptr;
    QTimer *m_playback;
    QTimer *m_catchUp; // moves a following playhead on by at most a frame's worth of events
    bool m_finishing = false; // the engine is done; the playhead is still catching up
    QElapsedTimer m_clock;
    QElapsedTimer m_frameClock; // since a following playhead last moved on
    double m_virtualNow = 0; // playback of recorded events: virtual ms the playhead stands at
    qsizetype m_position = 0;
    double m_speed = 1.0;
    bool m_playing = false;
    bool m_following = false; // the playhead follows the end of what is recorded
    QHash<LaneId, Resource *> m_watched; // following the playhead
    double m_viewNsPerEvent = 100; // a running average of what the views report
};

} // namespace Lifeline
