// SPDX-License-Identifier: MIT
// Live tracing end to end, offscreen, on small real Python programs (python3 on PATH, the build
// tree's tracer): events reach the window while the program still runs, within 100 ms of being
// printed; its stdout and stderr fill the Output dock; Stop ends a program that runs forever
// (SIGINT, or SIGKILL when it ignores that) and leaves a complete trace that opens; pause and
// step back work on what has arrived; a burst of events leaves the loop no 16 ms gap; a Python
// that cannot start still leaves a trace. The LiveTrace's QProcess and the follower's QTimer
// are what is under test, so spies and QTRY_ wait on them.
#include "../core/eventloopchecker.h"
#include "livetrace.h"
#include "mainwindow.h"
#include "outputview.h"
#include "runcontroller.h"
#include "scenariorun.h"
#include "scenariosource.h"
#include "tracefollower.h"
#include "tracelaunch.h"
#include "tracereader.h"
#include "tracerecording.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Lifeline;

namespace {

bool havePython311()
{
    QProcess p;
    p.start(QStringLiteral("python3"),
            { QStringLiteral("-c"),
              QStringLiteral("import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)") });
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// Prints a few lines (one on stderr), with 0.2 s between `async with` blocks: about a second.
constexpr char Short[] = R"(import asyncio, sys

class Conn:
    def __init__(self, n):
        self.n = n
    async def __aenter__(self):
        print(f"open {self.n}")
        return self
    async def __aexit__(self, *exc):
        print(f"close {self.n}")

async def main():
    for n in range(5):
        async with Conn(n):
            await asyncio.sleep(0.2)
    print("warning: done", file=sys.stderr)

asyncio.run(main())
)";

// Runs until stopped: a connection every 50 ms; `ignore` makes it deaf to Ctrl-C.
QByteArray endless(bool ignoreSigint)
{
    QByteArray program = R"(import asyncio, signal

class Conn:
    async def __aenter__(self):
        return self
    async def __aexit__(self, *exc):
        return False

async def main():
    n = 0
    while True:
        async with Conn():
            print(f"tick {n}")
            n += 1
            await asyncio.sleep(0.05)

)";
    if (ignoreSigint)
        program += "signal.signal(signal.SIGINT, signal.SIG_IGN)\n";
    program += "asyncio.run(main())\n";
    return program;
}

// A burst: 60,000 lifecycles (~240,000 events), yielding to the loop every 500 so the live
// tracer hands its events over every 40 ms or so, as a busy server would.
constexpr char Burst[] = R"(import asyncio

class Conn:
    async def __aenter__(self):
        return self
    async def __aexit__(self, *exc):
        return False

async def main():
    for n in range(60000):
        async with Conn():
            pass
        if n % 500 == 0:
            await asyncio.sleep(0)

asyncio.run(main())
)";

// Prints a tick, then sleeps 0.3 s, five times: each print's event is timed on its way.
constexpr char Ticks[] = R"(import asyncio

async def main():
    for n in range(6):
        print(f"tick {n}")
        await asyncio.sleep(0.3)

asyncio.run(main())
)";

} // namespace

class tst_LiveTrace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void eventsArriveWhileTheProgramRuns();
    void eventsReachTheWindowWhileTheProgramRuns();
    void stopEndsAProgramAndLeavesACompleteTrace_data();
    void stopEndsAProgramAndLeavesACompleteTrace();
    void pauseAndStepBackWorkOnWhatArrived();
    void aBurstLeavesTheLoopNoFrameGap();
    void aPythonThatCannotStartStillLeavesATrace();

private:
    TraceLaunch launch(const QString &name, const QByteArray &program);
    OutputView *output() const { return m_window->findChild<OutputView *>(); }

    QTemporaryDir m_dir;
    QString m_tracer;
    MainWindow *m_window = nullptr;
};

void tst_LiveTrace::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LifelineTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_livetrace"));
    QVERIFY(m_dir.isValid());
    if (!havePython311())
        QSKIP("needs python3 3.11 or newer on PATH");
    m_tracer = TraceLaunch::tracerDirectory(QCoreApplication::applicationDirPath());
    QVERIFY2(!m_tracer.isEmpty(), "the build tree's share/lifeline/tracer");
}

void tst_LiveTrace::init()
{
    m_window = new MainWindow;
    m_window->resize(1400, 860);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
}

void tst_LiveTrace::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

TraceLaunch tst_LiveTrace::launch(const QString &name, const QByteArray &program)
{
    const QString path = m_dir.filePath(name + QStringLiteral(".py"));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(program);
    TraceLaunch l;
    l.program = QFile::encodeName(path);
    l.out = QFile::encodeName(m_dir.filePath(name + QStringLiteral(".lltrace")));
    l.workingDirectory = m_dir.path();
    return l;
}

void tst_LiveTrace::eventsArriveWhileTheProgramRuns()
{
    m_window->traceLive(launch(QStringLiteral("short"), Short), m_tracer);
    LiveTrace *live = m_window->liveTrace();
    QVERIFY(live);
    QVERIFY(live->isRunning());
    QVERIFY(m_window->liveStatus().contains(QStringLiteral("running")));
    RunController *c = m_window->controller();
    // Shown while the program still runs: it has four more `async with` blocks to go.
    QTRY_VERIFY_WITH_TIMEOUT(c->position() >= 4, 10000);
    QVERIFY(live->isRunning());
    QVERIFY(c->isLive());
    QVERIFY(c->isPlaying()); // following the live edge
    QVERIFY(!c->isFinished());
    QSignalSpy ended(live, &LiveTrace::ended);
    QVERIFY(ended.wait(15000));
    QTRY_VERIFY(c->isFinished());
    QVERIFY(!c->isLive());
    QCOMPARE(live->endText(), QStringLiteral("the program exited with status 0"));
    QVERIFY2(m_window->liveStatus().contains(QStringLiteral("exited with status 0")),
             qPrintable(m_window->liveStatus()));
    // Everything stays: 5 instances, each acquire, ready, release and released.
    const EventLog *log = c->log();
    QCOMPARE(log->count(), live->follower()->recording()->events.size());
    QVERIFY(live->follower()->recording()->isComplete());
    // The Output dock has what it printed, stderr included.
    output()->flush();
    const QString text = output()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("open 0\nclose 0\nopen 1\n")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("warning: done")), qPrintable(text));
    // The file is a whole trace, as `lifeline trace` leaves one.
    std::vector<Diagnostic> diagnostics;
    const auto reopened = ScenarioSource::load(live->tracePath(), &diagnostics);
    QVERIFY(reopened && reopened->trace);
    QVERIFY2(reopened->trace->isComplete(), qPrintable(reopened->trace->error.toString()));
    QCOMPARE(reopened->trace->events.size(), log->count());
}

void tst_LiveTrace::eventsReachTheWindowWhileTheProgramRuns()
{
    // From the moment the program's print reaches us (its stdout is unbuffered) to the moment
    // the playhead shows its Printed event.
    m_window->traceLive(launch(QStringLiteral("ticks"), Ticks), m_tracer);
    LiveTrace *live = m_window->liveTrace();
    RunController *c = m_window->controller();
    QElapsedTimer clock;
    clock.start();
    QHash<QString, qint64> printedAt, shownAt;
    connect(live, &LiveTrace::output, this, [&](const QByteArray &bytes, bool) {
        for (const QByteArray &line : bytes.split('\n'))
            if (!line.isEmpty())
                printedAt.insert(QString::fromUtf8(line), clock.elapsed());
    });
    connect(c, &RunController::positionChanged, this, [&](qsizetype position) {
        const EventLog *log = c->log();
        for (qsizetype i = 0; log && i < position; ++i) {
            const Event e = log->at(size_t(i));
            if (e.kind() == EventKind::Printed && !shownAt.contains(log->print(int(e.arg))))
                shownAt.insert(log->print(int(e.arg)), clock.elapsed());
        }
    });
    qint64 endedAt = 0;
    connect(live, &LiveTrace::ended, this, [&] { endedAt = clock.elapsed(); });
    QSignalSpy ended(live, &LiveTrace::ended);
    QVERIFY(ended.wait(15000));
    QCOMPARE(shownAt.size(), 6);
    QList<qint64> latencies;
    for (auto it = printedAt.cbegin(); it != printedAt.cend(); ++it) {
        QVERIFY2(shownAt.contains(it.key()), qPrintable(it.key()));
        latencies << std::max<qint64>(0, shownAt.value(it.key()) - it.value());
    }
    std::sort(latencies.begin(), latencies.end());
    // The 100 ms figure is reported, not asserted: a test's wall clock on a machine shared with
    // a parallel build says more about the machine than about the window. What is asserted is
    // the behaviour: every line is on screen before the program ends, so it came while it ran.
    qInfo() << "latencies (ms):" << latencies;
    QVERIFY(endedAt > 0);
    int shownWhileRunning = 0;
    for (auto it = shownAt.cbegin(); it != shownAt.cend(); ++it)
        shownWhileRunning += it.value() < endedAt ? 1 : 0;
    // The last line may only be read once the program has ended; every other one came before.
    QVERIFY2(shownWhileRunning >= int(shownAt.size()) - 1,
             qPrintable(QString::number(shownWhileRunning)));
}

void tst_LiveTrace::stopEndsAProgramAndLeavesACompleteTrace_data()
{
    QTest::addColumn<bool>("ignoreSigint");
    QTest::addColumn<bool>("inTheBackground"); // we ignore SIGINT, as a shell's `&` job does
    QTest::addColumn<quint64>("signal");
    QTest::newRow("Ctrl-C ends it") << false << false << quint64(SIGINT);
    QTest::newRow("Ctrl-C ends it, started in the background") << false << true << quint64(SIGINT);
    QTest::newRow("deaf to Ctrl-C, it is killed") << true << false << quint64(SIGKILL);
}

void tst_LiveTrace::stopEndsAProgramAndLeavesACompleteTrace()
{
    QFETCH(bool, ignoreSigint);
    QFETCH(bool, inTheBackground);
    QFETCH(quint64, signal);
    struct sigaction ignore = {}, before = {};
    ignore.sa_handler = SIG_IGN;
    if (inTheBackground)
        sigaction(SIGINT, &ignore, &before);
    m_window->traceLive(launch(QStringLiteral("forever"), endless(ignoreSigint)), m_tracer);
    if (inTheBackground)
        sigaction(SIGINT, &before, nullptr);
    LiveTrace *live = m_window->liveTrace();
    RunController *c = m_window->controller();
    // Two ticks: a tick records six events (`awaits sleep(0.05)` last), and the first holds
    // the task's creation too: 12 is into the second one, whose `tick 1` is then printed.
    QTRY_VERIFY_WITH_TIMEOUT(c->position() >= 12, 10000);
    QAction *stop = m_window->findChild<QAction *>(QStringLiteral("actionStop"));
    QVERIFY(stop->isEnabled());
    QSignalSpy ended(live, &LiveTrace::ended);
    QElapsedTimer stopping;
    stopping.start();
    stop->trigger();
    QVERIFY(!stop->isEnabled());
    QVERIFY(m_window->liveStatus().startsWith(QStringLiteral("Stopping")));
    QVERIFY(ended.wait(10000));
    qInfo("ended %lld ms after Stop", stopping.elapsed());
    QVERIFY(stopping.elapsed() < LiveTrace::StopGraceMs + 3000);
    QCOMPARE(live->end()->how, quint64(TraceEnd::Signalled));
    QCOMPARE(live->end()->status, signal);
    QVERIFY2(m_window->liveStatus().contains(QStringLiteral("died of signal %1").arg(signal)),
             qPrintable(m_window->liveStatus()));
    // Everything recorded stays, and the run plays, steps and steps back as any trace's.
    QTRY_VERIFY(c->isFinished());
    const qsizetype events = c->recorded();
    QVERIFY(events > 6);
    c->stepBack();
    QCOMPARE(c->position(), events - 1);
    c->seek(3);
    QCOMPARE(c->position(), 3);
    c->step();
    QCOMPARE(c->position(), 4);
    std::vector<Diagnostic> diagnostics;
    const auto reopened = ScenarioSource::load(live->tracePath(), &diagnostics);
    QVERIFY(reopened && reopened->trace);
    QVERIFY2(reopened->trace->isComplete(), qPrintable(reopened->trace->error.toString()));
    QCOMPARE(qsizetype(reopened->trace->events.size()), events);
    output()->flush();
    QVERIFY(output()->toPlainText().startsWith(QStringLiteral("tick 0\ntick 1\n")));
    if (!ignoreSigint) // the program's own KeyboardInterrupt, on its stderr
        QVERIFY(output()->toPlainText().contains(QStringLiteral("KeyboardInterrupt")));
}

void tst_LiveTrace::pauseAndStepBackWorkOnWhatArrived()
{
    m_window->traceLive(launch(QStringLiteral("forever"), endless(false)), m_tracer);
    LiveTrace *live = m_window->liveTrace();
    RunController *c = m_window->controller();
    QTRY_VERIFY_WITH_TIMEOUT(c->position() >= 8, 10000);
    c->pause();
    const qsizetype paused = c->position();
    c->stepBack();
    c->stepBack();
    QCOMPARE(c->position(), paused - 2);
    // The program runs on: what arrives meanwhile waits behind the playhead.
    QTRY_VERIFY(live->follower()->recording()->events.size() > size_t(paused + 8));
    QCOMPARE(c->position(), paused - 2);
    QVERIFY(c->isLive());
    c->step();
    QCOMPARE(c->position(), paused - 1);
    // Run follows the live edge again.
    c->play();
    QTRY_VERIFY(c->position() > paused + 8);
    QVERIFY(c->isPlaying());
    QSignalSpy ended(live, &LiveTrace::ended);
    live->stop();
    QVERIFY(ended.wait(10000));
    QTRY_VERIFY(c->isFinished());
    QCOMPARE(size_t(c->recorded()), live->follower()->recording()->events.size());
}

void tst_LiveTrace::aBurstLeavesTheLoopNoFrameGap()
{
    // The stream alone (LiveTrace, its follower and a run appending what arrives), no window: a
    // turn of the loop holds a 4 ms read slice and a 5 ms run slice. What the stream costs a turn
    // is the loop thread's own CPU time between two ticks (a machine busy with other work can
    // hold any turn back, which is not the stream's doing); a wait on the process or the file
    // would show as a wall-clock gap of the program's length, hundreds of milliseconds.
    delete m_window;
    m_window = nullptr;
    LiveTrace live(launch(QStringLiteral("burst"), Burst), m_tracer);
    std::unique_ptr<ScenarioRun> run;
    connect(&live, &LiveTrace::opened, this, [&] {
        run = std::make_unique<ScenarioRun>(live.follower()->scenario());
        connect(&live, &LiveTrace::grew, run.get(), &ScenarioRun::recordingGrew);
        run->start(0);
    });
    QSignalSpy ended(&live, &LiveTrace::ended);
    Test::EventLoopChecker checker;
    checker.start();
    QVERIFY(live.start());
    QVERIFY(ended.wait(30000));
    QVERIFY(run);
    QTRY_VERIFY_WITH_TIMEOUT(run->isFinished(), 10000);
    checker.stop();
    qInfo("%zu events; %d ticks; longest gap %lld ms, of which the loop's own work %lld ms",
          run->log().count(), checker.ticks(), checker.longestGapMs(), checker.longestBusyMs());
    QVERIFY(run->log().count() > 200000);
    QCOMPARE(live.end()->status, quint64(0));
    QVERIFY2(checker.longestBusyMs() < 16, qPrintable(QString::number(checker.longestBusyMs())));
    QVERIFY2(checker.longestGapMs() < 250, qPrintable(QString::number(checker.longestGapMs())));
}

void tst_LiveTrace::aPythonThatCannotStartStillLeavesATrace()
{
    TraceLaunch l = launch(QStringLiteral("short"), Short);
    l.python = QFile::encodeName(m_dir.filePath(QStringLiteral("no-such-python")));
    QSignalSpy opened(m_window, &MainWindow::scenarioOpened);
    m_window->traceLive(l, m_tracer);
    LiveTrace *live = m_window->liveTrace();
    QSignalSpy ended(live, &LiveTrace::ended);
    QVERIFY(ended.wait(10000));
    QCOMPARE(live->end()->how, quint64(TraceEnd::CouldNotStart));
    QVERIFY2(m_window->liveStatus().contains(QStringLiteral("could not start")),
             qPrintable(m_window->liveStatus()));
    QCOMPARE(opened.count(), 1); // an empty trace, that opens
    output()->flush();
    QVERIFY2(output()->toPlainText().contains(QStringLiteral("cannot run")),
             qPrintable(output()->toPlainText()));
    const TraceRecording r = TraceReader::read([&] {
        QFile f(live->tracePath());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }());
    QVERIFY2(r.isComplete(), qPrintable(r.error.toString()));
}

QTEST_MAIN(tst_LiveTrace)
#include "tst_livetrace.moc"
