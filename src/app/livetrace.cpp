// SPDX-License-Identifier: MIT
#include "livetrace.h"

#include "traceendrecord.h"
#include "tracefollower.h"
#include "tracescenario.h"

#include <QFile>
#include <QProcess>
#include <QTimer>

#include <csignal>

namespace Lifeline {

LiveTrace::LiveTrace(const TraceLaunch &launch, const QString &tracerDir, QObject *parent)
    : QObject(parent)
    , m_launch(launch)
    , m_tracerScript(tracerDir + QStringLiteral("/lifeline_trace.py"))
    , m_process(new QProcess(this))
    , m_follower(new TraceFollower(QFile::decodeName(launch.out), this))
    , m_killTimer(new QTimer(this))
{
    m_launch.live = true;
    m_killTimer->setSingleShot(true);
    m_killTimer->setInterval(StopGraceMs);
    connect(m_killTimer, &QTimer::timeout, m_process, &QProcess::kill);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &LiveTrace::readOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &LiveTrace::readOutput);
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        onFinished(code, status == QProcess::CrashExit);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onFailedToStart();
    });
    connect(m_follower, &TraceFollower::opened, this, &LiveTrace::opened);
    connect(m_follower, &TraceFollower::grew, this, &LiveTrace::grew);
    connect(m_follower, &TraceFollower::finished, this, [this] {
        m_state = State::Ended;
        Q_EMIT ended();
    });
}

LiveTrace::~LiveTrace()
{
    if (!isRunning())
        return;
    // Going away with the program still running (the application quits): it cannot outlive
    // the window that shows it, and its trace still gets its END.
    m_process->disconnect(this);
    m_process->kill();
    m_process->waitForFinished(StopGraceMs);
    TraceEndRecord::append(
        m_launch.out,
        TraceEndRecord::fromProcess(m_process->exitCode(),
                                    m_process->exitStatus() == QProcess::CrashExit));
}

QString LiveTrace::tracePath() const
{
    return QFile::decodeName(m_launch.out);
}

bool LiveTrace::start()
{
    if (m_state != State::NotStarted)
        return false;
    // Created here, as `lifeline trace` does, so the tracer appends to an empty file.
    QFile out(tracePath());
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = QStringLiteral("cannot write %1: %2").arg(tracePath(), out.errorString());
        return false;
    }
    out.close();
    const std::vector<QByteArray> command = m_launch.commandLine(m_tracerScript);
    QStringList arguments;
    for (size_t i = 1; i < command.size(); ++i)
        arguments << QString::fromLocal8Bit(command[i]);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Block-buffered into a pipe, the program's prints would reach the window only at its end.
    environment.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    m_process->setProcessEnvironment(environment);
    m_process->setStandardInputFile(QProcess::nullDevice());
    // Started from a shell's background job, we ignore SIGINT and the program would inherit
    // that: Stop's SIGINT would do nothing for two seconds, then SIGKILL leave no cleanup. The
    // program starts as from a terminal instead (only async-signal-safe calls after fork).
    m_process->setChildProcessModifier([] {
        struct sigaction action = {};
        action.sa_handler = SIG_DFL;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, nullptr);
        sigset_t interrupt;
        sigemptyset(&interrupt);
        sigaddset(&interrupt, SIGINT);
        sigprocmask(SIG_UNBLOCK, &interrupt, nullptr);
    });
    if (!m_launch.workingDirectory.isEmpty())
        m_process->setWorkingDirectory(m_launch.workingDirectory);
    m_state = State::Running;
    m_follower->start();
    m_process->start(QString::fromLocal8Bit(command.front()), arguments);
    return true;
}

void LiveTrace::stop()
{
    if (m_state != State::Running)
        return;
    m_state = State::Stopping;
    // As Ctrl-C in a terminal: the program's KeyboardInterrupt runs its cleanup, which the trace
    // records; a program that ignores it is killed.
    // (No pid yet, still starting: only the kill timer will end it. kill(0) would signal us.)
    if (const qint64 pid = m_process->processId(); pid > 0)
        ::kill(pid_t(pid), SIGINT);
    m_killTimer->start();
}

void LiveTrace::readOutput()
{
    const QByteArray out = m_process->readAllStandardOutput();
    if (!out.isEmpty())
        Q_EMIT output(out, false);
    const QByteArray err = m_process->readAllStandardError();
    if (!err.isEmpty())
        Q_EMIT output(err, true);
}

void LiveTrace::onFinished(int code, bool crashed)
{
    readOutput();
    endWith(TraceEndRecord::fromProcess(code, crashed));
}

void LiveTrace::onFailedToStart()
{
    Q_EMIT output(QStringLiteral("lifeline: cannot run %1: %2\n")
                      .arg(QString::fromLocal8Bit(m_launch.python), m_process->errorString())
                      .toLocal8Bit(),
                  true);
    endWith(TraceEndRecord::couldNotStart());
}

void LiveTrace::endWith(const TraceEnd &end)
{
    if (!isRunning())
        return;
    m_killTimer->stop();
    m_end = end;
    m_state = State::Finishing;
    if (!TraceEndRecord::append(m_launch.out, end))
        m_error = QStringLiteral("cannot finish %1").arg(tracePath());
    Q_EMIT programEnded();
    m_follower->finish();
}

QString LiveTrace::endText() const
{
    if (!m_end)
        return {};
    // The recording knows whether an exit status of 1 was an exception escaping main.
    TraceRecording ending;
    ending.end = m_end;
    const TraceRecording &recorded = *m_follower->recording();
    const QString text = TraceScenario::endText(recorded.end ? recorded : ending);
    return text.isEmpty() ? QStringLiteral("the program exited with status 0") : text;
}

} // namespace Lifeline
