// SPDX-License-Identifier: MIT
#pragma once
// One live trace: runs a Python program under the tracer with `--live` as a child process
// (QProcess, since the window shows what it prints), follows the trace file it writes
// (TraceFollower), and once the program has ended, however it ended, appends the END record as
// `lifeline trace` does (TraceEndRecord) and finishes the recording. Stop sends SIGINT, then
// SIGKILL if the program still runs StopGraceMs later; the program starts with SIGINT at its
// default, whatever this process does with it. The program's stdin is /dev/null (reads
// see end of file: the window has no terminal to type into); its stdout and stderr come out of
// output() as they arrive, unbuffered (PYTHONUNBUFFERED). It never waits for the process or the
// file on its thread, except in its destructor, which kills a program still running.

#include "tracelaunch.h"
#include "tracerecording.h"

#include <QObject>
#include <QString>
#include <optional>

class QProcess;
class QTimer;

namespace Lifeline {

class TraceFollower;

class LiveTrace : public QObject
{
    Q_OBJECT
public:
    static constexpr int StopGraceMs = 2000;
    // Running: the program runs. Stopping: SIGINT was sent. Finishing: it has ended and the rest
    // of its trace is being read. Ended: the recording is complete.
    enum class State : quint8 { NotStarted, Running, Stopping, Finishing, Ended };

    // `launch.out` is the trace file; `launch.live` is implied.
    LiveTrace(const TraceLaunch &launch, const QString &tracerDir, QObject *parent = nullptr);
    ~LiveTrace() override;

    // Creates (or empties) the trace file and starts the program; false, with errorString(),
    // when the file cannot be written (then nothing runs).
    bool start();
    // Ends the program: SIGINT, then SIGKILL after StopGraceMs.
    void stop();

    State state() const { return m_state; }
    // The program has not ended yet.
    bool isRunning() const { return m_state == State::Running || m_state == State::Stopping; }
    QString errorString() const { return m_error; }
    QString tracePath() const;
    const TraceLaunch &launch() const { return m_launch; }
    TraceFollower *follower() const { return m_follower; }
    // How the program ended, once it has.
    std::optional<TraceEnd> end() const { return m_end; }
    // `the program exited with status 0`, `the program died of signal 2 (SIGINT)`; empty before.
    QString endText() const;

Q_SIGNALS:
    void output(const QByteArray &bytes, bool isError);
    // The trace's first records are in: follower()->scenario() exists.
    void opened();
    void grew();
    // The process ended; the recording is being finished.
    void programEnded();
    // The END record is written and the whole trace read.
    void ended();

private:
    void readOutput();
    void onFinished(int code, bool crashed);
    void onFailedToStart();
    void endWith(const TraceEnd &end);

    TraceLaunch m_launch;
    QString m_tracerScript;
    QProcess *m_process;
    TraceFollower *m_follower;
    QTimer *m_killTimer;
    State m_state = State::NotStarted;
    QString m_error;
    std::optional<TraceEnd> m_end;
};

} // namespace Lifeline
