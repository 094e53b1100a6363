// The window's longest gap between event-loop turns (the responsiveness goal: a frame, 16 ms)
// while a big scenario is opened, run instantly, run live and stepped, measured with the same
// EventLoopChecker as tst_mainwindow (which asserts only a generous bound). Two scenarios: the
// test's 3,000 tasks of 100 steps (459,000 events), and a `gather` of N class-resource
// lifecycles (N = 250,000, about 1.5M spans; LIFELINE_BENCH_SMALL=1 makes it 25,000). Prints a
// summary; run alone on a quiet machine, as its figures are wall-clock time.
#include "../core/eventloopchecker.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "scenariorun.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Lifeline;

class bench_Window : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void gaps_data();
    void gaps();

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
            body.append(s % 2 ? QJsonObject { { "sleep", s } }
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
    const QJsonObject step { { "with", "conn" },
                             { "body",
                               QJsonArray { QJsonObject {
                                   { "execute", "conn" }, { "query", "SELECT 1" } } } } };
    QJsonArray tasks;
    for (int t = 0; t < n; ++t)
        tasks.append(QJsonObject { { "name", QStringLiteral("t%1").arg(t) },
                                   { "body", QJsonArray { step } } });
    const QJsonObject doc { { "lifeline", 1 },
                            { "resources", QJsonArray { resource } },
                            { "main", QJsonArray { QJsonObject { { "gather", tasks } } } } };
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
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
    Test::EventLoopChecker checker;
    QStringList figures;
    auto measure = [&](const char *what, const std::function<bool()> &work) {
        QElapsedTimer wall;
        wall.start();
        checker.start();
        const bool ok = work();
        checker.stop();
        figures << QStringLiteral("%1 %2 ms (%3 ms wall)")
                       .arg(QLatin1String(what))
                       .arg(checker.longestGapMs())
                       .arg(wall.elapsed());
        return ok;
    };

    QVERIFY(measure("opening", [&] {
        QSignalSpy opened(&window, &MainWindow::scenarioOpened);
        window.open(path);
        return opened.wait(120000);
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
    // Restart (dropping a finished run of millions of events) is its own action, measured
    // apart from the live run that follows.
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
    m_summary << QStringLiteral("%1 (%2 events), longest gap: %3")
                     .arg(QLatin1String(QTest::currentDataTag()))
                     .arg(events)
                     .arg(figures.join(QStringLiteral(", ")));
}

QTEST_MAIN(bench_Window)
#include "bench_window.moc"
