// The `lifeline` executable as users run it: headless commands that never load the window
// module, the commands that do (render, demo), a clear error when the module is missing, a run
// large enough for the process to reserve its heap (HeapReservation) printing exactly what the
// engine prints in process, and `check` over several files as a CI job would run it.

#include "examples.h"
#include "scenariorun.h"
#include "scenariosource.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

namespace {

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result runLifeline(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    Result r;
    if (!p.waitForStarted() || !p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// A gather of `tasks` class lifecycles, each phase printing: ~90 bytes of JSON a task, and
// each task's query `queryPrefix` followed by the task's number.
QByteArray gatherScenario(int tasks, const QByteArray &queryPrefix = "q")
{
    QByteArray json = R"({"lifeline":1,"resources":[{"id":"conn","kind":"class","name":"Conn",)"
                      R"("arg":"db","enter":{"print":"connect {arg}","ms":10},)"
                      R"("execute":{"print":"execute {query}","ms":5},)"
                      R"("exit":{"print":"close {arg}","ms":10}}],"main":[{"gather":[)";
    for (int i = 0; i < tasks; ++i) {
        json += (i ? ",\n" : "\n") + QByteArray(R"({"name":"t)") + QByteArray::number(i)
            + R"(","body":[{"with":"conn","body":[{"execute":"conn","query":")" + queryPrefix
            + QByteArray::number(i) + R"("}]}]})";
    }
    json += "]}]}";
    return json;
}

} // namespace

class tst_CommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headlessCommandsRunWithoutTheWindowModule();
    void renderLoadsTheWindowModule();
    void missingModuleIsAClearError();
    void largeRunPrintsWhatTheEngineDoes();
    void checkReportsEveryFileItIsGiven();

private:
    const QString m_binary = QStringLiteral(LIFELINE_BINARY);
};

void tst_CommandLine::headlessCommandsRunWithoutTheWindowModule()
{
    // A copy of the executable alone, with no module beside it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("lifeline"));
    QVERIFY(QFile::copy(m_binary, copy));
    const Result alone = runLifeline(copy, { QStringLiteral("run"), QStringLiteral("seed") });
    const Result beside = runLifeline(m_binary, { QStringLiteral("run"), QStringLiteral("seed") });
    QCOMPARE(alone.exitCode, beside.exitCode);
    QVERIFY(!alone.out.isEmpty());
    QCOMPARE(alone.out, beside.out);
    QCOMPARE(alone.err, beside.err);
}

void tst_CommandLine::renderLoadsTheWindowModule()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("seed.png"));
    const Result r
        = runLifeline(m_binary,
                      { QStringLiteral("render"), QStringLiteral("seed"), QStringLiteral("-o"), png,
                        QStringLiteral("--width"), QStringLiteral("900") });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), 900);
}

void tst_CommandLine::missingModuleIsAClearError()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("lifeline"));
    QVERIFY(QFile::copy(m_binary, copy));
    const Result r = runLifeline(copy,
                                 { QStringLiteral("render"), QStringLiteral("seed"),
                                   QStringLiteral("-o"), dir.filePath(QStringLiteral("x.png")) });
    QCOMPARE(r.exitCode, 1);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(QStringLiteral("cannot load the window module")), qPrintable(err));
    QVERIFY2(err.contains(dir.filePath(QStringLiteral("lifeline-gui.so"))), qPrintable(err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.png"))));
}

void tst_CommandLine::largeRunPrintsWhatTheEngineDoes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("gather.json"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // Non-ASCII text, and more output than stdout's buffer holds at once (OutputBuffer).
        const QByteArray json
            = gatherScenario(20000, "SELECT 'na\u00efve caf\u00e9 \u2713 \U0001F600' WHERE id = ");
        QVERIFY(json.size() > 256 * 1024); // past HeapReservation's threshold
        f.write(json);
    }
    std::vector<Diagnostic> diagnostics;
    auto scenario = ScenarioSource::load(path, &diagnostics);
    QVERIFY2(scenario, diagnostics.empty() ? "" : qPrintable(diagnostics.front().toString()));
    ScenarioRun run(scenario);
    run.runToEnd();
    QByteArray expected;
    for (int i = 0; i < run.log().printCount(); ++i)
        expected += run.log().print(i).toUtf8() + '\n';
    QCOMPARE(run.log().printCount(), 3 * 20000);
    QVERIFY(expected.size() > 1024 * 1024);
    QVERIFY(expected.contains("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"));

    const Result r = runLifeline(m_binary, { QStringLiteral("run"), path });
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.size(), expected.size());
    QVERIFY(r.out == expected);
}

void tst_CommandLine::checkReportsEveryFileItIsGiven()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString good = dir.filePath(QStringLiteral("good.json"));
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    QFile g(good), b(bad);
    QVERIFY(g.open(QIODevice::WriteOnly) && b.open(QIODevice::WriteOnly));
    g.write(gatherScenario(3));
    b.write("{\"lifeline\": 1,\n \"resources\": [], \"main\": [{\"sleep\": -5}]}");
    g.close();
    b.close();

    // Every file is checked, in order; one invalid file makes the status 2.
    const Result mixed
        = runLifeline(m_binary, { QStringLiteral("check"), good, bad, QStringLiteral("seed") });
    QCOMPARE(mixed.exitCode, 2);
    const QList<QByteArray> ok = mixed.out.trimmed().split('\n');
    QCOMPARE(ok.size(), 2);
    QVERIFY2(ok[0].startsWith(good.toUtf8() + ": ok ("), ok[0].constData());
    QVERIFY2(ok[1].startsWith("seed: ok ("), ok[1].constData());
    QVERIFY2(mixed.err.startsWith(bad.toUtf8() + ":2:"), mixed.err.constData());
    QVERIFY2(mixed.err.contains("main[0].sleep"), mixed.err.constData());

    // All valid: status 0, a line each.
    QStringList names { QStringLiteral("check") };
    const QList<ExampleInfo> examples = Examples::all();
    for (const ExampleInfo &e : examples)
        names << e.name;
    const Result all = runLifeline(m_binary, names);
    QCOMPARE(all.exitCode, 0);
    QCOMPARE(all.out.count('\n'), qsizetype(examples.size()));
    QVERIFY(all.err.isEmpty());

    // Nothing to check is a usage error.
    const Result none = runLifeline(m_binary, { QStringLiteral("check") });
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.startsWith("expected at least 1 argument"), none.err.constData());
    QVERIFY2(none.err.contains("lifeline check"), none.err.constData());
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
