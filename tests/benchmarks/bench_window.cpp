// SPDX-License-Identifier: MIT
// The window's longest gap between event-loop turns (the responsiveness goal: a frame, 16 ms)
// while a big scenario is opened (and recorded to its end, the whole run drawn), run instantly,
// run live and stepped, measured with the same EventLoopChecker as tst_mainwindow (which asserts
// only a generous bound). Two scenarios: the test's 3,000 tasks of 100 steps (459,000 events),
// and a `gather` of N class-resource lifecycles (N = 250,000, about 1.5M spans;
// LIFELINE_BENCH_SMALL=1 makes it 25,000). LIFELINE_BENCH_BUSY=1 runs a busy process on every
// core meanwhile (a slower machine). `bench_window bigTrace` writes a 10M-event trace with the
// tracer (LIFELINE_BENCH_TRACE_EVENTS to change the count, LIFELINE_BENCH_TRACE_FILE to open one
// written before instead) and measures opening it to the first paint of the whole run, and the
// process's memory growth over the empty window.
// Beside each longest gap: the longest CPU time between two ticks (busy), and how long the
// longest gap waited, ready to run, for a CPU another process had (Linux).
// LIFELINE_BENCH_PROFILE=1 also prints, for each measure, what the event loop delivered in its
// longest gap (each event over 0.2 ms: receiver class, object name, event type, milliseconds).
// Prints a summary; run alone on a quiet machine, as its figures are wall-clock time.
#include "../core/eventloopchecker.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "scenariorun.h"

#include "timelinewidget.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace Lifeline;

// Times every top-level event delivery, so the longest gap can be taken apart afterwards.
class ProfilingApplication : public QApplication
{
public:
    struct Delivery
    {
        qint64 startNs;
        qint64 ns;
        const QObject *receiver;
        QByteArray what;
    };
    using QApplication::QApplication;
    static ProfilingApplication *instance()
    {
        return static_cast<ProfilingApplication *>(QCoreApplication::instance());
    }
    bool notify(QObject *receiver, QEvent *event) override
    {
        // Timed: every top-level delivery, and inside one each widget's paint (its share of the
        // window's, listed after it).
        const bool top = m_depth == 0;
        if (!m_on || (!top && event->type() != QEvent::Paint))
            return QApplication::notify(receiver, event);
        const bool tick = top && receiver == m_tick;
        // Neither the receiver nor the event need outlive the delivery.
        const QByteArray what
            = tick ? QByteArray() : (top ? "" : "  ") + describe(receiver, event->type());
        ++m_depth;
        const qint64 start = m_clock.nsecsElapsed();
        const bool handled = QApplication::notify(receiver, event);
        const qint64 took = m_clock.nsecsElapsed() - start;
        --m_depth;
        const bool isLong = took > 200'000;
        if (!top) {
            if (isLong)
                m_nested.push_back({ start, took, receiver, what });
            return handled;
        }
        if (tick || isLong)
            m_log.push_back({ start, took, receiver, what });
        if (isLong)
            m_log.insert(m_log.end(), m_nested.begin(), m_nested.end());
        m_nested.clear();
        return handled;
    }
    void begin(const QObject *tick)
    {
        m_on = qEnvironmentVariableIsSet("LIFELINE_BENCH_PROFILE");
        m_tick = tick;
        m_log.clear();
        m_clock.start();
    }
    // The deliveries between the two ticks furthest apart, one line.
    QString longestGap()
    {
        m_on = false;
        qint64 best = -1, from = 0, to = 0, last = -1;
        for (size_t i = 0; i < m_log.size(); ++i) {
            if (m_log[i].receiver != m_tick)
                continue;
            const qint64 at = m_log[i].startNs;
            if (last >= 0 && at - m_log[size_t(last)].startNs > best) {
                best = at - m_log[size_t(last)].startNs;
                from = last;
                to = qint64(i);
            }
            last = qint64(i);
        }
        QStringList parts;
        for (qint64 i = from + 1; i < to; ++i)
            parts << QStringLiteral("%1 %2")
                         .arg(QString::fromLatin1(m_log[size_t(i)].what))
                         .arg(double(m_log[size_t(i)].ns) / 1e6, 0, 'f', 1);
        return QStringLiteral("[gap %1 ms: %2]")
            .arg(double(best) / 1e6, 0, 'f', 1)
            .arg(parts.join(QStringLiteral(", ")));
    }

private:
    static QByteArray describe(const QObject *receiver, QEvent::Type type)
    {
        QByteArray name = receiver->metaObject()->className();
        if (receiver->objectName() == QLatin1String("qt_scrollarea_viewport") && receiver->parent())
            name = QByteArray(receiver->parent()->metaObject()->className()) + "/viewport";
        else if (!receiver->objectName().isEmpty())
            name += '/' + receiver->objectName().toLatin1();
        else if (receiver->parent()) // a timer: whose
            name += '<' + QByteArray(receiver->parent()->metaObject()->className());
        return name + ':' + QByteArray::number(int(type));
    }
    QElapsedTimer m_clock;
    const QObject *m_tick = nullptr;
    std::vector<Delivery> m_log;
    std::vector<Delivery> m_nested;
    int m_depth = 0;
    bool m_on = false;
};

class bench_Window : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void gaps_data();
    void gaps();
    void bigTrace();

private:
    QTemporaryDir m_dir;
    QStringList m_summary;
};

namespace {

QByteArray stepsScenario()
{
    QJsonArray tasks;
    for (int t = 0; t < 3000; ++t) {
        QJsonArray body;
        for (int s = 0; s < 100; ++s)
            body.append(s % 2
                            ? QJsonObject { { "sleep", s } }
                            : QJsonObject { { "print", QStringLiteral("t%1 s%2").arg(t).arg(s) } });
        tasks.append(QJsonObject { { "name", QStringLiteral("t%1").arg(t) }, { "body", body } });
    }
    const QJsonObject doc { { "lifeline", 1 },
                            { "resources", QJsonArray() },
                            { "main", QJsonArray { QJsonObject { { "gather", tasks } } } } };
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// workloadgenerator.py's `gather`: each task one class-resource lifecycle, every phase printing.
QByteArray gatherScenario(int n)
{
    const QJsonObject resource {
        { "id", "conn" },
        { "kind", "class" },
        { "name", "Connection" },
        { "arg", "db-1" },
        { "enter", QJsonObject { { "print", "connect {arg}" }, { "ms", 10 } } },
        { "execute", QJsonObject { { "print", "execute {query}" }, { "ms", 5 } } },
        { "exit", QJsonObject { { "print", "close {arg}" }, { "ms", 10 } } },
    };
    const QJsonObject step {
        { "with", "conn" },
        { "body", QJsonArray { QJsonObject { { "execute", "conn" }, { "query", "SELECT 1" } } } }
    };
    QJsonArray tasks;
    for (int t = 0; t < n; ++t)
        tasks.append(QJsonObject { { "name", QStringLiteral("t%1").arg(t) },
                                   { "body", QJsonArray { step } } });
    const QJsonObject doc { { "lifeline", 1 },
                            { "resources", QJsonArray { resource } },
                            { "main", QJsonArray { QJsonObject { { "gather", tasks } } } } };
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// A busy process on every core while it lives: the machine a slower day looks like.
class BusyMachine
{
public:
    BusyMachine()
    {
        if (!qEnvironmentVariableIsSet("LIFELINE_BENCH_BUSY"))
            return;
        for (int i = 0; i < QThread::idealThreadCount(); ++i) {
            auto p = std::make_unique<QProcess>();
            p->start(QStringLiteral("/bin/sh"),
                     { QStringLiteral("-c"), QStringLiteral("while :; do :; done") });
            if (p->waitForStarted())
                m_spinners.push_back(std::move(p));
        }
    }
    ~BusyMachine()
    {
        for (auto &p : m_spinners) {
            p->kill();
            p->waitForFinished();
        }
    }
    int count() const { return int(m_spinners.size()); }

private:
    std::vector<std::unique_ptr<QProcess>> m_spinners;
};

// This process's resident memory now (not its peak), in bytes.
qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * 4096 : -1;
}

// Waits in a real event loop (QTest::qWaitFor's sleeps would count as a blocked loop).
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(2);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    poll.start();
    if (!done())
        loop.exec();
    return done();
}

// Recorded to the end, and the timeline's model holds all of it (as of its last paint).
bool wholeRunDrawn(MainWindow &window)
{
    RunController *c = window.controller();
    auto *timeline = window.findChild<TimelineWidget *>();
    return c->run() && c->run()->isFinished() && timeline
        && timeline->shownEvents() == size_t(c->recorded());
}

} // namespace

void bench_Window::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LifelineBench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_window"));
    QVERIFY(m_dir.isValid());
}

void bench_Window::cleanupTestCase()
{
    for (const QString &line : std::as_const(m_summary))
        printf("%s\n", qPrintable(line));
}

void bench_Window::gaps_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("3000 tasks of 100 steps") << stepsScenario();
    const int n = qEnvironmentVariableIsSet("LIFELINE_BENCH_SMALL") ? 25000 : 250000;
    QTest::addRow("gather of %d lifecycles", n) << gatherScenario(n);
}

void bench_Window::gaps()
{
    QFETCH(QByteArray, json);
    const QString path = m_dir.filePath(QStringLiteral("scenario.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
    }
    MainWindow window;
    window.resize(1400, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.repaint(); // the first paint (fonts, glyphs) belongs to startup
    RunController *c = window.controller();
    const BusyMachine busy;
    Test::EventLoopChecker checker;
    QStringList figures;
    auto measure = [&](const char *what, const std::function<bool()> &work) {
        QElapsedTimer wall;
        wall.start();
        ProfilingApplication::instance()->begin(checker.timer());
        checker.start();
        const bool ok = work();
        checker.stop();
        figures << QStringLiteral("%1 %2 ms (busy %3 ms, %4 ms wall; waited %5 ms for a CPU)%6")
                       .arg(QLatin1String(what))
                       .arg(checker.longestGapMs())
                       .arg(checker.longestBusyMs())
                       .arg(wall.elapsed())
                       .arg(checker.longestGapWaitMs())
                       .arg(qEnvironmentVariableIsSet("LIFELINE_BENCH_PROFILE")
                                ? QLatin1Char(' ') + ProfilingApplication::instance()->longestGap()
                                : QString());
        return ok;
    };

    // Opening ends with the whole run recorded and drawn (faint, the playhead at 0).
    QVERIFY(measure("opening", [&] {
        QSignalSpy opened(&window, &MainWindow::scenarioOpened);
        window.open(path);
        return opened.wait(120000) && waitFor([&] { return wholeRunDrawn(window); }, 120000);
    }));
    QVERIFY(measure("running instantly", [&] {
        c->setSpeed(RunController::Instant);
        QSignalSpy finished(c, &RunController::finished);
        c->play();
        return finished.wait(120000);
    }));
    const qsizetype events = c->recorded();
    // A user holding an arrow key: a step every 30 ms (keyboard auto-repeat), 20 back, 20 on.
    QVERIFY(measure("stepping", [&] {
        int steps = 0;
        QTimer timer;
        timer.setInterval(30);
        // A real event loop waits: QTest::qWaitFor sleeps 10 ms between polls, which the
        // checker would count as a blocked loop.
        QEventLoop wait;
        connect(&timer, &QTimer::timeout, [&] {
            if (steps++ < 20)
                c->stepBack();
            else
                c->step();
            if (steps >= 40)
                wait.quit();
        });
        timer.start();
        QTimer::singleShot(20000, &wait, &QEventLoop::quit);
        wait.exec();
        timer.stop();
        return steps >= 40 && c->position() == events;
    }));
    // Restart (back to the start of the recorded run) is its own action, measured apart from
    // the live run that follows.
    QVERIFY(measure("restarting", [&] {
        c->restart();
        QEventLoop settle;
        QTimer::singleShot(200, &settle, &QEventLoop::quit);
        settle.exec();
        return c->position() == 0;
    }));
    QVERIFY(measure("running live at 1x", [&] {
        c->setSpeed(1.0);
        QSignalSpy finished(c, &RunController::finished);
        c->play();
        return finished.wait(120000);
    }));
    m_summary << QStringLiteral("%1 (%2 events%3), longest gap: %4")
                     .arg(QLatin1String(QTest::currentDataTag()))
                     .arg(events)
                     .arg(busy.count() ? QStringLiteral(", %1 busy processes").arg(busy.count())
                                       : QString())
                     .arg(figures.join(QStringLiteral(", ")));
}

void bench_Window::bigTrace()
{
    // lifecycles.py's N lifecycles make 4N + 4 events (acquire, ready, release, released).
    const qint64 events = qEnvironmentVariableIntValue("LIFELINE_BENCH_TRACE_EVENTS") > 0
        ? qEnvironmentVariableIntValue("LIFELINE_BENCH_TRACE_EVENTS")
        : 10'000'000;
    // LIFELINE_BENCH_TRACE_FILE: a trace written before (by the same command), to measure the
    // opening again without a minute of tracing each time.
    const QString given = qEnvironmentVariable("LIFELINE_BENCH_TRACE_FILE");
    const QString trace
        = given.isEmpty() ? m_dir.filePath(QStringLiteral("lifecycles.lltrace")) : given;
    QElapsedTimer writing;
    writing.start();
    if (given.isEmpty()) {
        QProcess tracer;
        tracer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        tracer.setStandardOutputFile(QProcess::nullDevice());
        tracer.start(QStringLiteral(LIFELINE_BINARY),
                     { QStringLiteral("trace"), QStringLiteral("--virtual-clock"),
                       QStringLiteral("-o"), trace,
                       QStringLiteral(LIFELINE_BENCH_DIR "/tracer/lifecycles.py"),
                       QString::number(events / 4) });
        QVERIFY(tracer.waitForFinished(30 * 60 * 1000));
        QCOMPARE(tracer.exitCode(), 0);
    }
    QVERIFY2(QFileInfo::exists(trace), qPrintable(trace));
    const qint64 writeMs = given.isEmpty() ? writing.elapsed() : 0;

    MainWindow window;
    window.resize(1400, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.repaint();
    waitFor([] { return false; }, 300); // the empty window settles (fonts, first frames)
    const qint64 before = residentBytes();
    Test::EventLoopChecker checker;
    QElapsedTimer clock;
    clock.start();
    ProfilingApplication::instance()->begin(checker.timer());
    checker.start();
    qint64 loadedMs = -1; // the load, on its worker thread, handed the window its scenario
    const QMetaObject::Connection loaded
        = connect(&window, &MainWindow::scenarioOpened, this, [&] { loadedMs = clock.elapsed(); });
    window.open(trace);
    QVERIFY(waitFor([&] { return wholeRunDrawn(window); }, 10 * 60 * 1000));
    checker.stop();
    disconnect(loaded);
    const qint64 firstPaintMs = clock.elapsed();
    const qint64 after = residentBytes();
    const qint64 logged = window.controller()->recorded();
    auto *timeline = window.findChild<TimelineWidget *>();
    const EventLog *log = window.controller()->log();
    const double perEvent = double(after - before) / double(logged);
    m_summary
        << QStringLiteral(
               "trace of %1 events (%2 MB, written in %3 s): first paint of the "
               "whole run %4 ms (goal 2000; loaded at %12 ms), RSS growth %5 MB = %6 B/event (goal "
               "32); event log %7 B/event, timeline model %8 B/event; longest gap "
               "%9 ms (waited %10 ms for a CPU)%11")
               .arg(logged)
               .arg(double(QFileInfo(trace).size()) / 1e6, 0, 'f', 1)
               .arg(double(writeMs) / 1000, 0, 'f', 1)
               .arg(firstPaintMs)
               .arg(double(after - before) / 1e6, 0, 'f', 1)
               .arg(perEvent, 0, 'f', 1)
               .arg(double(log->memoryUsage()) / double(logged), 0, 'f', 1)
               .arg(double(timeline->model().memoryUsage()) / double(logged), 0, 'f', 1)
               .arg(checker.longestGapMs())
               .arg(checker.longestGapWaitMs())
               .arg(qEnvironmentVariableIsSet("LIFELINE_BENCH_PROFILE")
                        ? QLatin1Char(' ') + ProfilingApplication::instance()->longestGap()
                        : QString())
               .arg(loadedMs);
}

int main(int argc, char **argv)
{
    ProfilingApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    bench_Window bench;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&bench, argc, argv);
}
#include "bench_window.moc"
