// SPDX-License-Identifier: MIT
// Every command's exit status and its messages, as README.md and docs/user-guide.md ("Exit
// status") state them and src/app/exitstatus.h defines them: the headless commands and the
// window module's (render, demo) load a file and report its problems through one
// CommandSupport, so the same mistake reads the same and exits alike whichever runs it.

#include "../scenario/tracebuilder.h"
#include "examples.h"
#include "scenariorun.h"
#include "scenariosource.h"

#include <QFile>
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

Result runLifeline(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(LIFELINE_BINARY), args);
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

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// What loading `source` in process says is wrong with it, one line a problem.
QByteArray diagnosticsOf(const QString &source)
{
    std::vector<Diagnostic> diagnostics;
    if (ScenarioSource::load(source, &diagnostics))
        return {};
    QByteArray text;
    for (const Diagnostic &d : diagnostics)
        text += (d.toString() + u'\n').toUtf8();
    return text;
}

// The first built-in example whose main lets an exception escape, run in process.
QString failingExample()
{
    for (const ExampleInfo &e : Examples::all()) {
        std::vector<Diagnostic> diagnostics;
        ScenarioRun run(ScenarioSource::load(e.name, &diagnostics));
        run.runToEnd();
        if (run.outcome() != None)
            return e.name;
    }
    return {};
}

// `DIR` in an argument stands for the test's temporary directory.
QStringList inDir(QStringList args, const QString &dir)
{
    for (QString &a : args)
        a.replace(QLatin1String("DIR"), dir);
    return args;
}

} // namespace

class tst_ExitStatus : public QObject
{
    Q_OBJECT

private slots:
    void everyCommandReportsABadFileAlike_data();
    void everyCommandReportsABadFileAlike();
    void statusSaysHowTheCommandEnded_data();
    void statusSaysHowTheCommandEnded();
};

void tst_ExitStatus::everyCommandReportsABadFileAlike_data()
{
    QTest::addColumn<QStringList>("command"); // FILE goes after these
    QTest::addColumn<QStringList>("options"); // and these after FILE
    QTest::addColumn<QString>("file"); // `DIR/broken.json` holds a JSON document cut short

    const QStringList image = { QStringLiteral("-o"), QStringLiteral("DIR/out.png") };
    const QString broken = QStringLiteral("DIR/broken.json");
    const QString typo = QStringLiteral("sed"); // for `seed`
    for (const QString &file : { broken, typo }) {
        const char *what = file == typo ? "mistyped example" : "broken JSON";
        QTest::addRow("run, %s", what)
            << QStringList { QStringLiteral("run") } << QStringList() << file;
        QTest::addRow("check, %s", what)
            << QStringList { QStringLiteral("check") } << QStringList() << file;
        QTest::addRow("events, %s", what)
            << QStringList { QStringLiteral("events") } << QStringList() << file;
        QTest::addRow("export-python, %s", what)
            << QStringList { QStringLiteral("export-python") } << QStringList() << file;
        QTest::addRow("export-trace, %s", what)
            << QStringList { QStringLiteral("export-trace") } << image << file;
        // The window module's command, loading through the same CommandSupport.
        QTest::addRow("render, %s", what)
            << QStringList { QStringLiteral("render") } << image << file;
    }
}

void tst_ExitStatus::everyCommandReportsABadFileAlike()
{
    QFETCH(QStringList, command);
    QFETCH(QStringList, options);
    QFETCH(QString, file);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("broken.json")), R"({"lifeline": 1, "main": [)"));
    const QString source = inDir({ file }, dir.path()).constFirst();
    const QByteArray expected = diagnosticsOf(source);
    QVERIFY(!expected.isEmpty());

    const Result r = runLifeline(inDir(command + QStringList { source } + options, dir.path()));
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, expected);
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("out.png"))));
}

void tst_ExitStatus::statusSaysHowTheCommandEnded_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errStart"); // what stderr opens with; empty: not checked

    QTest::newRow("ok") << QStringList { QStringLiteral("run"), QStringLiteral("seed") } << 0
                        << QString();
    QTest::newRow("exception escaped main")
        << QStringList { QStringLiteral("run"), failingExample() } << 1 << QString();
    QTest::newRow("lint found problems")
        << QStringList { QStringLiteral("check"), QStringLiteral("--lint"),
                         QStringLiteral("exit-swallows-cancellation") }
        << 1 << QString();
    QTest::newRow("render cannot write its image")
        << QStringList { QStringLiteral("render"), QStringLiteral("seed"), QStringLiteral("-o"),
                         QStringLiteral("DIR/missing/out.png") }
        << 1 << QStringLiteral("lifeline: cannot write DIR/missing/out.png: ");
    QTest::newRow("demo cannot write its image")
        << QStringList { QStringLiteral("demo"), QStringLiteral("--headless"), QStringLiteral("-o"),
                         QStringLiteral("DIR/missing/demo.png") }
        << 1 << QStringLiteral("lifeline: cannot write DIR/missing/demo.png: ");
    QTest::newRow("bad usage") << QStringList { QStringLiteral("run") } << 2
                               << QStringLiteral("expected 1 argument, got 0");
    QTest::newRow("export cannot write OUT")
        << QStringList { QStringLiteral("export-python"), QStringLiteral("seed"),
                         QStringLiteral("-o"), QStringLiteral("DIR/missing/seed.py") }
        << 2 << QStringLiteral("DIR/missing/seed.py: cannot write: ");
    QTest::newRow("trace killed before its END")
        << QStringList { QStringLiteral("events"), QStringLiteral("DIR/killed.lltrace") } << 3
        << QStringLiteral("DIR/killed.lltrace: trace cut short at byte ");
    QTest::newRow("trace cannot run its Python")
        << QStringList { QStringLiteral("trace"), QStringLiteral("--python"),
                         QStringLiteral("DIR/missing/python3"), QStringLiteral("DIR/prog.py") }
        << 125 << QStringLiteral("lifeline trace: cannot run DIR/missing/python3: ");
}

void tst_ExitStatus::statusSaysHowTheCommandEnded()
{
    QFETCH(QStringList, args);
    QFETCH(int, status);
    QFETCH(QString, errStart);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("killed.lltrace")),
                      Test::sampleTrace(false).bytes()));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("prog.py")), "print('hello')\n"));

    const Result r = runLifeline(inDir(args, dir.path()));
    QVERIFY2(r.err.startsWith(inDir({ errStart }, dir.path()).constFirst().toUtf8()),
             r.err.constData());
    QCOMPARE(r.exitCode, status);
}

QTEST_GUILESS_MAIN(tst_ExitStatus)
#include "tst_exitstatus.moc"
