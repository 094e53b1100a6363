// SPDX-License-Identifier: MIT
// The `lifeline` executable as users run it: headless commands that never load the window
// module, the commands that do (render, demo), a clear error when the module is missing, a run
// large enough for the process to reserve its heap (HeapReservation) printing exactly what the
// engine prints in process, and `check` over several files as a CI job would run it. Traces:
// `events` on hand-built ones (complete, cut short, of a newer version), `check` and
// `export-python` on one, and `lifeline trace` failing cleanly and tracing a real program.
// `--help-all`, which the man page is made from, holds every command's help. Past 500 lines
// because each command is run as users run it, through one child-process helper.

#include "../scenario/tracebuilder.h"
#include "examples.h"
#include "scenariorun.h"
#include "scenariosource.h"
#include "tracerecording.h"

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

Result runLifeline(const QString &program, const QStringList &args,
                   const QString &workingDirectory = QString())
{
    QProcess p;
    p.setWorkingDirectory(workingDirectory);
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

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// Whether python3 on PATH is one the tracer runs on.
bool havePython311()
{
    QProcess p;
    p.start(QStringLiteral("python3"),
            { QStringLiteral("-c"),
              QStringLiteral("import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)") });
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class tst_CommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headlessCommandsRunWithoutTheWindowModule();
    void renderLoadsTheWindowModule();
    void missingModuleIsAClearError();
    void renderSaysNothingOnAPlainTerminal();
    void largeRunPrintsWhatTheEngineDoes();
    void checkReportsEveryFileItIsGiven();
    void eventsWithStepsNumbersEventsAsWithout();
    void checkLintListsTheProblemsFound();
    void checkLintOnATraceOfARealProgram();
    void checkSaysWhatItChecked_data();
    void checkSaysWhatItChecked();
    void eventsOnATrace_data();
    void eventsOnATrace();
    void checkAndExportOnATrace();
    void traceFailsBeforeRunning_data();
    void traceFailsBeforeRunning();
    void traceOfAMissingProgramOpens();
    void traceRecordsARealProgram();
    void helpAllHoldsEveryCommandsHelp_data();
    void helpAllHoldsEveryCommandsHelp();

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

// A console login or CI job has no XDG_RUNTIME_DIR: `render` printed Qt's warning about it.
void tst_CommandLine::renderSaysNothingOnAPlainTerminal()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("seed.png"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(m_binary,
            { QStringLiteral("render"), QStringLiteral("seed"), QStringLiteral("-o"), png });
    QVERIFY(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(err.isEmpty(), err.constData());
    QVERIFY(QFile::exists(png));
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

// --lint runs each file and prints its problems as a compiler prints errors: 0 when there are
// none, 1 when there are, 2 when a file is invalid, the worst over several files.
void tst_CommandLine::checkLintListsTheProblemsFound()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString clean = dir.filePath(QStringLiteral("clean.json"));
    const QString leaky = dir.filePath(QStringLiteral("leaky.json"));
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    writeFile(clean, gatherScenario(2));
    // A task named with a bell character, left running when main returns; an exit that swallows
    // everything, CancelledError included.
    writeFile(
        leaky,
        "{\"lifeline\": 1,\n"
        " \"resources\": [{\"id\": \"guard\", \"kind\": \"class\",\n"
        "                \"exit\": {\"suppress\": true}}],\n"
        " \"main\": [{\"spawn\": {\"name\": \"beat\\u0007\", \"body\": [{\"sleep\": 100}]}},\n"
        "          {\"with\": \"guard\", \"body\": [{\"sleep\": 5}]}]}");
    writeFile(bad, "{\"lifeline\": 1, \"resources\": [], \"main\": [{\"sleep\": -5}]}");

    const Result none = runLifeline(
        m_binary,
        { QStringLiteral("check"), QStringLiteral("--lint"), clean, QStringLiteral("seed") });
    QCOMPARE(none.exitCode, 0);
    QCOMPARE(none.out, QByteArray());
    QCOMPARE(none.err, QByteArray());

    const Result some
        = runLifeline(m_binary, { QStringLiteral("check"), QStringLiteral("--lint"), leaky });
    QCOMPARE(some.exitCode, 1);
    const QByteArray file = leaky.toUtf8();
    QCOMPARE(some.out,
             file
                 + ":3:38: resources[0].exit.suppress: `guard`'s exit returns True for every "
                   "exception, CancelledError included: a task cancelled inside it carries on "
                   "as if it was not\n"
                 + file
                 + ":4:11: main[0]: task `beat\\x07` was never awaited: still running when "
                   "main() returned, asyncio.run cancelled it\n");
    QCOMPARE(some.err, QByteArray());

    // Over several files the worst status wins; the valid files' problems are still printed.
    const Result mixed = runLifeline(
        m_binary, { QStringLiteral("check"), QStringLiteral("--lint"), leaky, bad, clean });
    QCOMPARE(mixed.exitCode, 2);
    QCOMPARE(mixed.out, some.out);
    QVERIFY2(mixed.err.startsWith(bad.toUtf8() + ":1:"), mixed.err.constData());
    const Result example
        = runLifeline(m_binary,
                      { QStringLiteral("check"), QStringLiteral("--lint"), QStringLiteral("clean"),
                        QStringLiteral("spawn-cancelled-at-exit") });
    QCOMPARE(example.exitCode, 2); // `clean` names no file and no example
    QVERIFY2(example.out.startsWith("spawn-cancelled-at-exit:16:5: main[0]: task `heartbeat`"),
             example.out.constData());
}

// A trace has its run's problems (no JSON to point into: `FILE: problem`), found in what the
// tracer recorded of a real program.
void tst_CommandLine::checkLintOnATraceOfARealProgram()
{
    QVERIFY2(havePython311(), "the tracer needs python3 3.11 or newer on PATH");
    QTemporaryDir dir;
    const QString program = dir.filePath(QStringLiteral("beat.py"));
    writeFile(program,
              "import asyncio\n"
              "async def beat():\n"
              "    await asyncio.sleep(1)\n"
              "async def main():\n"
              "    asyncio.create_task(beat(), name='heart\\x1bbeat')\n"
              "    await asyncio.sleep(0.01)\n"
              "asyncio.run(main())\n");
    const QString trace = dir.filePath(QStringLiteral("beat.lltrace"));
    const Result traced = runLifeline(m_binary,
                                      { QStringLiteral("trace"), QStringLiteral("--virtual-clock"),
                                        QStringLiteral("-o"), trace, program });
    QCOMPARE(traced.exitCode, 0);
    const Result lint
        = runLifeline(m_binary, { QStringLiteral("check"), QStringLiteral("--lint"), trace });
    QCOMPARE(lint.exitCode, 1);
    QCOMPARE(lint.out,
             trace.toUtf8()
                 + ": task `heart\\x1bbeat` was never awaited: still running when main() "
                   "returned, asyncio.run cancelled it\n");
    QCOMPARE(lint.err, QByteArray());
}

// The window records steps for its code view and numbers the other events as `events` does;
// --steps adds the step lines without renumbering the rest.
void tst_CommandLine::eventsWithStepsNumbersEventsAsWithout()
{
    for (const QString &format : { QString(), QStringLiteral("--json") }) {
        QStringList args { QStringLiteral("events"), QStringLiteral("seed") };
        if (!format.isEmpty())
            args << format;
        const Result plain = runLifeline(m_binary, args);
        const Result steps = runLifeline(m_binary, args << QStringLiteral("--steps"));
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(steps.exitCode, 0);
        QByteArrayList kept;
        int stepLines = 0;
        for (const QByteArray &line : steps.out.split('\n')) {
            const bool step
                = format.isEmpty() ? line.startsWith("-\t") : line.contains("\"kind\":\"step\"");
            if (step) {
                QVERIFY2(!line.contains("\"i\":"), line.constData());
                ++stepLines;
            } else {
                kept << line;
            }
        }
        QVERIFY(stepLines > 5);
        QCOMPARE(kept.join('\n'), plain.out);
    }
}

void tst_CommandLine::checkSaysWhatItChecked_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("expected"); // after `FILE: `
    QTest::newRow("one resource, one step")
        << QByteArray(R"({"lifeline": 1, "resources": [{"id": "r", "kind": "class"}],
                         "main": [{"with": "r", "body": []}]})")
        << QStringLiteral("json") << QStringLiteral("ok (1 resource, 1 step)\n");
    QTest::newRow("two resources, three steps")
        << QByteArray(R"({"lifeline": 1, "resources": [{"id": "a", "kind": "class"},
                         {"id": "b", "kind": "class"}],
                         "main": [{"with": "a", "body": [{"with": "b", "body": []}]},
                                  {"sleep": 1}]})")
        << QStringLiteral("json") << QStringLiteral("ok (2 resources, 3 steps)\n");
    Test::TraceBuilder bare; // no program record: not written by `lifeline trace`
    bare.event(0, 0, 0, bare.task(QStringLiteral("Task-1"), Test::TraceBuilder::NoId, 1));
    bare.end(0, 0);
    QTest::newRow("a trace that names no program")
        << bare.bytes() << QStringLiteral("lltrace") << QStringLiteral("a trace (1 event)\n");
}

void tst_CommandLine::checkSaysWhatItChecked()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, suffix);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f.") + suffix);
    writeFile(path, file);
    const Result r = runLifeline(m_binary, { QStringLiteral("check"), path });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QString::fromUtf8(r.out), path + QStringLiteral(": ") + expected);
}

void tst_CommandLine::eventsOnATrace_data()
{
    QTest::addColumn<QByteArray>("trace");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("lines"); // on stdout
    QTest::addColumn<QString>("err"); // after `FILE: `

    const Test::TraceBuilder sample = Test::sampleTrace();
    const QByteArray whole = sample.bytes();
    QTest::newRow("complete") << whole << 0 << 15
                              << QStringLiteral("the program ended with an exception\n");
    // Cut inside event 7 (the print of 'hello'): events 0 to 6 are kept.
    qsizetype cut = 0;
    int events = 0;
    for (qsizetype start : sample.recordStarts())
        if (whole[start] == 0x01 && ++events == 8)
            cut = start;
    QTest::newRow("cut short")
        << whole.first(cut + 3) << 3 << 7
        << QStringLiteral("trace cut short at byte %1: the EVENT record's subject runs past the "
                          "end\n")
               .arg(cut);
    QTest::newRow("killed before END") << Test::sampleTrace(false).bytes() << 3 << 15
                                       << QStringLiteral("trace cut short at byte %1: no END")
                                              .arg(Test::sampleTrace(false).bytes().size());
    QTest::newRow("newer version") << Test::TraceBuilder(3).bytes() << 2 << 0
                                   << QStringLiteral("written by a newer Lifeline: format "
                                                     "version 3, this one reads 1 to 2\n");
}

void tst_CommandLine::eventsOnATrace()
{
    QFETCH(QByteArray, trace);
    QFETCH(int, status);
    QFETCH(int, lines);
    QFETCH(QString, err);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("prog.lltrace"));
    writeFile(path, trace);
    const Result r = runLifeline(m_binary, { QStringLiteral("events"), path });
    QCOMPARE(r.exitCode, status);
    QCOMPARE(int(r.out.count('\n')), lines);
    QVERIFY2(r.err.startsWith((path + QStringLiteral(": ") + err).toUtf8()), r.err.constData());
    if (lines >= 7) {
        // Times in milliseconds, exactly: a real clock's nanoseconds give fractions.
        const QList<QByteArray> out = r.out.split('\n');
        QCOMPARE(out[0], QByteArray("0\t0\t- prints 'starting'"));
        QCOMPARE(out[1], QByteArray("1\t0.001\tTask-1 created by -"));
        QCOMPARE(out[6], QByteArray("6\t12.5046\tConn('db') #1 ready"));
    }
}

void tst_CommandLine::checkAndExportOnATrace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("prog.lltrace"));
    writeFile(path, Test::sampleTrace().bytes());
    const Result check = runLifeline(m_binary, { QStringLiteral("check"), path });
    QCOMPARE(check.exitCode, 0);
    QCOMPARE(check.out, (path + QStringLiteral(": a trace of prog.py (15 events)\n")).toUtf8());
    const Result python = runLifeline(m_binary, { QStringLiteral("export-python"), path });
    QCOMPARE(python.exitCode, 2);
    QVERIFY(python.out.isEmpty());
    QVERIFY2(python.err.contains("a trace of a Python program (prog.py), not a scenario"),
             python.err.constData());
    const QString json = dir.filePath(QStringLiteral("t.json"));
    const Result chrome = runLifeline(
        m_binary, { QStringLiteral("export-trace"), path, QStringLiteral("-o"), json });
    QCOMPARE(chrome.exitCode, 0);
    QVERIFY(QFile::exists(json));
}

void tst_CommandLine::traceFailsBeforeRunning_data()
{
    QTest::addColumn<QStringList>("args"); // PROG is the program, DIR the test's directory
    QTest::addColumn<QString>("err");
    QTest::newRow("a --python that does not exist")
        << QStringList { QStringLiteral("--python"), QStringLiteral("DIR/no-python"),
                         QStringLiteral("PROG") }
        << QStringLiteral("cannot run DIR/no-python: No such file or directory");
    QTest::newRow("a --python older than 3.11")
        << QStringList { QStringLiteral("--python=DIR/old-python"), QStringLiteral("PROG") }
        << QStringLiteral("is Python 3.10.0, older than the 3.11 the tracer needs");
    QTest::newRow("a --python that is not a Python")
        << QStringList { QStringLiteral("--python=DIR/not-python"), QStringLiteral("PROG") }
        << QStringLiteral("DIR/not-python did not run the tracer (exit status 1): it needs "
                          "Python 3.11 or later");
    QTest::newRow("OUT not writable")
        << QStringList { QStringLiteral("-o"), QStringLiteral("DIR/no/such/dir/t.lltrace"),
                         QStringLiteral("PROG") }
        << QStringLiteral("cannot write DIR/no/such/dir/t.lltrace: No such file or directory");
    QTest::newRow("no program") << QStringList { QStringLiteral("--virtual-clock") }
                                << QStringLiteral("Usage: lifeline trace");
    // Before any window opens.
    QTest::newRow("no program, live")
        << QStringList { QStringLiteral("--live") } << QStringLiteral("Usage: lifeline trace");
    QTest::newRow("an option it does not know")
        << QStringList { QStringLiteral("--frobnicate"), QStringLiteral("PROG") }
        << QStringLiteral("unknown option \"--frobnicate\"");
}

void tst_CommandLine::traceFailsBeforeRunning()
{
    QFETCH(QStringList, args);
    QFETCH(QString, err);
    QTemporaryDir dir;
    const QString program = dir.filePath(QStringLiteral("prog.py"));
    writeFile(program, "print('never')\n");
    // An older Python as the tracer sees it: the python3 on PATH reporting 3.10 runs the
    // tracer's own entry point, whose version check is what answers.
    const QString old = dir.filePath(QStringLiteral("old-python"));
    writeFile(old,
              "#!/bin/sh\nexec python3 -c 'import sys; sys.version_info = (3, 10, 0); "
              "sys.version = \"3.10.0\"; sys.argv = sys.argv[1:]; "
              "exec(compile(open(sys.argv[0]).read(), sys.argv[0], \"exec\"))' \"$@\"\n");
    QFile::setPermissions(old, QFile::ReadOwner | QFile::ExeOwner);
    // Something that runs but is no Python.
    const QString notPython = dir.filePath(QStringLiteral("not-python"));
    writeFile(notPython, "#!/bin/sh\nexit 1\n");
    QFile::setPermissions(notPython, QFile::ReadOwner | QFile::ExeOwner);
    for (QString &a : args)
        a.replace(QStringLiteral("PROG"), program).replace(QStringLiteral("DIR"), dir.path());
    err.replace(QStringLiteral("DIR"), dir.path());
    if (QTest::currentDataTag() != QByteArray("a --python that does not exist")
        && QTest::currentDataTag() != QByteArray("a --python that is not a Python")
        && !havePython311())
        QSKIP("needs python3 3.11 or newer on PATH");
    const Result r = runLifeline(m_binary, QStringList { QStringLiteral("trace") } + args);
    QCOMPARE(r.exitCode, 125);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(QString::fromUtf8(r.err).contains(err), r.err.constData());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("prog.lltrace"))));
}

void tst_CommandLine::traceOfAMissingProgramOpens()
{
    // As plain python3: its message and status 2; and a trace that says how it ended.
    if (!havePython311())
        QSKIP("needs python3 3.11 or newer on PATH");
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("nowhere.py"));
    const Result r = runLifeline(m_binary, { QStringLiteral("trace"), missing });
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("can't open file"), r.err.constData());
    const QString trace = dir.filePath(QStringLiteral("nowhere.lltrace"));
    std::vector<Diagnostic> diagnostics;
    auto traced = ScenarioSource::load(trace, &diagnostics);
    QVERIFY(traced && traced->trace && traced->trace->end);
    QCOMPARE(int(traced->trace->end->status), 2);
    const Result events = runLifeline(m_binary, { QStringLiteral("events"), trace });
    QCOMPARE(events.exitCode, 0);
    QVERIFY2(events.err.contains("status 2"), events.err.constData());
}

void tst_CommandLine::traceRecordsARealProgram()
{
    if (!havePython311())
        QSKIP("needs python3 3.11 or newer on PATH");
    QTemporaryDir dir;
    const QString program = dir.filePath(QStringLiteral("prog.py"));
    writeFile(program,
              "import asyncio, sys\n"
              "class Conn:\n"
              "    async def __aenter__(self):\n"
              "        return self\n"
              "    async def __aexit__(self, *exc):\n"
              "        return False\n"
              "async def main():\n"
              "    async with Conn():\n"
              "        print('args', sys.argv[1:], input())\n"
              "asyncio.run(main())\n"
              "sys.exit(int(sys.argv[1]))\n");
    // Options end at the program: `-o` after it is the program's.
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start(m_binary,
            { QStringLiteral("trace"), QStringLiteral("--virtual-clock"), program,
              QStringLiteral("3"), QStringLiteral("-o") });
    p.write("typed\n");
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 3);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("args ['3', '-o'] typed\n"));
    QCOMPARE(p.readAllStandardError(), QByteArray());
    const QString trace = dir.filePath(QStringLiteral("prog.lltrace")); // the default OUT
    const Result events = runLifeline(m_binary, { QStringLiteral("events"), trace });
    QCOMPARE(events.exitCode, 0);
    QVERIFY2(events.out.contains(" ready\n"), events.out.constData());
    QCOMPARE(events.err, (trace + QStringLiteral(": the program exited with status 3\n")).toUtf8());

    // Killed: 128 + 9, and the END record says so.
    writeFile(program,
              "import os, signal\nprint('bye', flush=True)\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n");
    const QString killed = dir.filePath(QStringLiteral("killed.lltrace"));
    const Result kill
        = runLifeline(m_binary, { QStringLiteral("trace"), QStringLiteral("-o"), killed, program });
    QCOMPARE(kill.exitCode, 137);
    QCOMPARE(kill.out, QByteArray("bye\n"));
    const Result after = runLifeline(m_binary, { QStringLiteral("events"), killed });
    QCOMPARE(after.exitCode, 0);
    QCOMPARE(after.err,
             (killed + QStringLiteral(": the program died of signal 9 (SIGKILL)\n")).toUtf8());

    // -m MODULE: its trace goes to the working directory, and ends as the program did.
    writeFile(dir.filePath(QStringLiteral("tool.py")), "print('tool')\n");
    const Result module = runLifeline(
        m_binary, { QStringLiteral("trace"), QStringLiteral("-m"), QStringLiteral("tool") },
        dir.path());
    const QString toolTrace = dir.filePath(QStringLiteral("tool.lltrace"));
    QVERIFY(QFile::exists(toolTrace));
    std::vector<Diagnostic> diagnostics;
    auto traced = ScenarioSource::load(toolTrace, &diagnostics);
    QVERIFY(traced && traced->trace && traced->trace->end);
    QCOMPARE(int(traced->trace->end->status), module.exitCode);
    QCOMPARE(module.out, QByteArray("tool\n"));
}

// The man page is made from --help-all (packaging/manpage.cmake): each command's own help, as
// `lifeline COMMAND --help` prints it, naming the command (not Qt's `<executable_name>`).
void tst_CommandLine::helpAllHoldsEveryCommandsHelp_data()
{
    QTest::addColumn<QString>("command");
    for (const char *command : { "run", "check", "events", "export-python", "export-trace",
                                 "render", "demo", "examples", "trace" })
        QTest::newRow(command) << QString::fromLatin1(command);
}

void tst_CommandLine::helpAllHoldsEveryCommandsHelp()
{
    QFETCH(QString, command);
    const Result all = runLifeline(m_binary, { QStringLiteral("--help-all") });
    QCOMPARE(all.exitCode, 0);
    QVERIFY(all.out.startsWith("Usage: lifeline [FILE|EXAMPLE]\n"));
    const Result help = runLifeline(m_binary, { command, QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.startsWith("Usage: lifeline " + command.toUtf8() + ' '), help.out);
    QVERIFY2(all.out.contains("\n\n" + help.out), help.out);
    if (command != QLatin1String("trace")) { // its options are its own, not Qt's parser's
        const Result qtHelpAll = runLifeline(m_binary, { command, QStringLiteral("--help-all") });
        QCOMPARE(qtHelpAll.exitCode, 0);
        QCOMPARE(qtHelpAll.out, help.out);
    }
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
