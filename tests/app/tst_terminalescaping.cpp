// SPDX-License-Identifier: MIT
// Diagnostics never put a raw control character on a terminal: every message of every command
// that quotes a file name from the command line, an argument, or a name from inside a file shows
// C0 and C1 control characters escaped (Diagnostic::escaped, as Python's repr() writes them).
// Each row feeds all of them at once, in one name, through one kind of message; the
// `lifeline` executable runs as a child, as a user runs it.

#include "../scenario/tracebuilder.h"
#include "scenario.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

namespace {

// Every C0 and C1 control character but NUL, which no argv and no file name can hold.
QString everyControlCharacter()
{
    QString all;
    for (char16_t c = 1; c < 0x20; ++c)
        all += QChar(c);
    for (char16_t c = 0x7f; c <= 0x9f; ++c)
        all += QChar(c);
    return all;
}

// A control character other than the newline that ends each message line.
bool hasRawControl(const QByteArray &utf8)
{
    const QString text = QString::fromUtf8(utf8);
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u < 0x20 && u != u'\n') || (u >= 0x7f && u <= 0x9f);
    });
}

// `\u0001` for each character, for a JSON string.
QString jsonEscaped(const QString &text)
{
    QString out;
    for (const QChar c : text)
        out += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

bool havePython311()
{
    QProcess p;
    p.start(QStringLiteral("python3"),
            { QStringLiteral("-c"),
              QStringLiteral("import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)") });
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

const QByteArray ValidScenario = R"({"lifeline": 1, "resources": [], "main": [{"print": "hi"}]})";

} // namespace

class tst_TerminalEscaping : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyCommandEscapesWhatItQuotes_data();
    void everyCommandEscapesWhatItQuotes();
    void namesFromInsideAFileAreEscaped_data();
    void namesFromInsideAFileAreEscaped();
    void theProgramsOwnOutputStaysAsItIs();

private:
    QString m_binary = QStringLiteral(LIFELINE_BINARY);
    QTemporaryDir m_dir;
    QString m_valid; // a scenario that loads
    QString m_program; // a Python program that prints one line
};

void tst_TerminalEscaping::initTestCase()
{
    QVERIFY(QFile::exists(m_binary));
    QVERIFY(m_dir.isValid());
    m_valid = m_dir.filePath(QStringLiteral("valid.json"));
    QVERIFY(writeFile(m_valid, ValidScenario));
    m_program = m_dir.filePath(QStringLiteral("prog.py"));
    QVERIFY(writeFile(m_program, "print('hi')\n"));
}

void tst_TerminalEscaping::everyCommandEscapesWhatItQuotes_data()
{
    // NAME stands for a name holding every control character, DIR for a fresh folder, VALID
    // for a scenario that loads, PROG for a Python program. `made` is a file first written at
    // DIR/NAME.<made>: a copy of VALID, or (`cut`) a trace cut short.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("made");
    const auto row = [](const char *name, const char *args, const char *made = "") {
        QTest::newRow(name) << QString::fromLatin1(args).split(u' ') << QString::fromLatin1(made);
    };
    row("check, a missing file", "check DIR/NAME.json");
    row("check, a file that loads", "check DIR/NAME.json", "json");
    row("check, a trace cut short", "check DIR/NAME.lltrace", "cut");
    row("events, a missing file", "events DIR/NAME.json");
    row("events, a trace cut short", "events DIR/NAME.lltrace", "cut");
    row("run, a missing file", "run DIR/NAME.json");
    row("export-python, a missing file", "export-python DIR/NAME.json");
    row("export-python -o, no such folder", "export-python VALID -o DIR/none/NAME.py");
    row("export-python, a trace", "export-python DIR/NAME.lltrace", "cut");
    row("export-trace, a missing file", "export-trace DIR/NAME.json -o DIR/out.json");
    row("export-trace -o, no such folder", "export-trace VALID -o DIR/none/NAME.json");
    row("render, a missing file", "render DIR/NAME.json -o DIR/out.png");
    row("render -o, not an image's name", "render VALID -o DIR/NAME.txt");
    row("render -o, no such folder", "render VALID -o DIR/none/NAME.png");
    row("render --width", "render VALID -o DIR/out.png --width NAME");
    row("an unknown option", "check --NAME VALID");
    row("an unknown command", "VALID NAME");
    row("trace -o, no such folder", "trace -o DIR/none/NAME.lltrace PROG");
    row("trace, a missing program", "trace DIR/NAME.py");
}

void tst_TerminalEscaping::everyCommandEscapesWhatItQuotes()
{
    QFETCH(QStringList, args);
    QFETCH(QString, made);
    if (args.contains(QStringLiteral("trace")) && !havePython311())
        QSKIP("needs python3 3.11 or newer on PATH");
    const QString name = QStringLiteral("n") + everyControlCharacter() + QStringLiteral("e");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (QString &a : args) {
        a.replace(QStringLiteral("NAME"), name)
            .replace(QStringLiteral("DIR"), dir.path())
            .replace(QStringLiteral("VALID"), m_valid)
            .replace(QStringLiteral("PROG"), m_program);
    }
    if (made == u"json") {
        QVERIFY(writeFile(dir.filePath(name + QStringLiteral(".json")), ValidScenario));
    } else if (made == u"cut") {
        Test::TraceBuilder trace;
        trace.meta(QStringLiteral("program"), QStringLiteral("prog.py"));
        QVERIFY(writeFile(dir.filePath(name + QStringLiteral(".lltrace")), trace.bytes()));
    }

    QProcess p;
    p.start(m_binary, args);
    QVERIFY(p.waitForFinished(60000));
    const QByteArray out = p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(!hasRawControl(err), err.constData());
    QVERIFY2(!hasRawControl(out), out.constData());
    // The name is still there, each character shown as `\x1b`, `\t`...
    const QString escaped = Diagnostic::escaped(name);
    QVERIFY2(QString::fromUtf8(out + err).contains(escaped), (out + err).constData());
}

void tst_TerminalEscaping::namesFromInsideAFileAreEscaped_data()
{
    // %1 stands for every control character, NUL included (a file can hold it escaped).
    QTest::addColumn<QString>("command");
    QTest::addColumn<QByteArray>("json"); // empty: a trace whose program is named so
    QTest::newRow("check, an unknown resource")
        << QStringLiteral("check")
        << QByteArray(R"({"lifeline": 1, "resources": [], "main": [{"with": "r%1"}]})");
    QTest::newRow("run, an unknown exception type")
        << QStringLiteral("run")
        << QByteArray(R"({"lifeline": 1, "resources": [], "main": [{"raise": {"type": "E%1"}}]})");
    QTest::newRow("check, a trace's program") << QStringLiteral("check") << QByteArray();
    QTest::newRow("export-python, a trace's program")
        << QStringLiteral("export-python") << QByteArray();
}

void tst_TerminalEscaping::namesFromInsideAFileAreEscaped()
{
    QFETCH(QString, command);
    QFETCH(QByteArray, json);
    const QString controls = QChar(u'\0') + everyControlCharacter();
    QTemporaryDir dir;
    QString path;
    if (json.isEmpty()) {
        Test::TraceBuilder trace;
        trace.meta(QStringLiteral("program"), QStringLiteral("p") + controls);
        trace.end(0, 0);
        path = dir.filePath(QStringLiteral("t.lltrace"));
        QVERIFY(writeFile(path, trace.bytes()));
    } else {
        path = dir.filePath(QStringLiteral("s.json"));
        QVERIFY(writeFile(path, QString::fromUtf8(json).arg(jsonEscaped(controls)).toUtf8()));
    }
    QProcess p;
    p.start(m_binary, { command, path });
    QVERIFY(p.waitForFinished(60000));
    const QByteArray all = p.readAllStandardOutput() + p.readAllStandardError();
    QVERIFY2(!hasRawControl(all), all.constData());
    QVERIFY2(QString::fromUtf8(all).contains(Diagnostic::escaped(controls)), all.constData());
}

void tst_TerminalEscaping::theProgramsOwnOutputStaysAsItIs()
{
    // What the scenario prints is its program's output, not a message: byte for byte.
    const QString controls = everyControlCharacter();
    const QString path = m_dir.filePath(QStringLiteral("prints.json"));
    const QString json
        = QStringLiteral(R"({"lifeline": 1, "resources": [], "main": [{"print": "%1"}]})");
    QVERIFY(writeFile(path, json.arg(jsonEscaped(controls)).toUtf8()));
    QProcess p;
    p.start(m_binary, { QStringLiteral("run"), path });
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), (controls + u'\n').toUtf8());
}

QTEST_GUILESS_MAIN(tst_TerminalEscaping)
#include "tst_terminalescaping.moc"
