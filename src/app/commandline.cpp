// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: the body of every headless command (~40 lines each), sharing the
// parse-and-load helpers at the top. `trace` runs a program rather than a file and shares none of
// them, so it lives in TraceCommand.
#include "commandline.h"

#include "commandsupport.h"
#include "eventformatter.h"
#include "examples.h"
#include "exitstatus.h"
#include "guimodule.h"
#include "heapreservation.h"
#include "lintreport.h"
#include "outputbuffer.h"
#include "pythonexporter.h"
#include "scenariorun.h"
#include "tracecommand.h"
#include "traceexporter.h"
#include "tracerecording.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <array>
#include <cstdio>
#include <cstdlib>

namespace Lifeline {

namespace {

using namespace ExitStatus;

// "1 resource", "2 resources": English plurals spelled out (%n needs a translation to choose).
QString count(qint64 n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

// The window, demo and render commands' module; on failure says why on stderr.
const GuiCommands *loadGui()
{
    QString error;
    const GuiCommands *commands = GuiModule::load(&error);
    if (!commands)
        CommandSupport::fail(error);
    return commands;
}

// Ends the process without tearing down a run: freeing millions of coroutine frames and steps
// one by one costs more than the run itself, and the OS reclaims it all at once (LLVM's
// -disable-free). Sanitizer builds tear down normally so leak checking still sees everything.
[[noreturn]] void exitNow(int status)
{
    std::fflush(stdout);
    std::fflush(stderr);
#ifdef LIFELINE_SANITIZE
    std::exit(status);
#else
    std::_Exit(status);
#endif
}

struct Parsed
{
    QStringList positional;
    bool ok = true;
    bool helped = false;
    // When not ok: 0 after --help, 2 for bad usage.
    int failure() const { return helped ? ExitStatus::Ok : ExitStatus::Invalid; }
};

// Qt names the binary by its full path in the usage line, or `<executable_name>` before an
// application object exists (render, demo); say `lifeline SUB` instead.
QString helpText(const QCommandLineParser &p, const QStringList &args)
{
    QString text = p.helpText();
    const QString qtName = QCoreApplication::instance() ? QCoreApplication::arguments().constFirst()
                                                        : QStringLiteral("<executable_name>");
    text.replace(QStringLiteral("Usage: ") + qtName, QStringLiteral("Usage: ") + args.constFirst());
    return text;
}

// A subcommand's own parser: `lifeline SUB [options] FILE`.
Parsed parse(QCommandLineParser &p, const QStringList &args, const QString &usage, int files)
{
    p.setApplicationDescription(usage);
    p.addHelpOption();
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    Parsed r;
    auto help = [&] { return helpText(p, args); };
    if (!p.parse(args)) {
        CommandSupport::writeErr(Diagnostic::escaped(p.errorText()) + QStringLiteral("\n\n")
                                 + help());
        r.ok = false;
        return r;
    }
    // Qt's help option lists --help-all too; with no Qt options worth listing it is --help.
    if (p.isSet(QStringLiteral("help")) || p.isSet(QStringLiteral("help-all"))) {
        CommandSupport::writeOut(help().toUtf8());
        r.ok = false;
        r.helped = true;
        return r;
    }
    r.positional = p.positionalArguments();
    if (files >= 0 && r.positional.size() != files) {
        CommandSupport::writeErr(QStringLiteral("expected %1 argument%2, got %3\n\n%4")
                                     .arg(files)
                                     .arg(files == 1 ? "" : "s")
                                     .arg(r.positional.size())
                                     .arg(help()));
        r.ok = false;
    }
    return r;
}

// The shape every FILE command shares: `lifeline SUB [options] FILE`, FILE loaded or reported.
// Returns null with *status set (0 after --help, 2 for bad usage or an invalid scenario).
std::shared_ptr<Scenario> parseAndLoad(QCommandLineParser &p, const QStringList &args,
                                       const QString &description, int *status)
{
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("Scenario file or example name."));
    const Parsed a = parse(p, args, description, 1);
    if (!a.ok) {
        *status = a.failure();
        return nullptr;
    }
    const QFileInfo file(a.positional.first());
    if (file.isFile())
        HeapReservation::reserveFor(file.size());
    auto scenario = CommandSupport::loadOrReport(a.positional.first());
    if (!scenario)
        *status = ExitStatus::Invalid;
    return scenario;
}

int cmdRun(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({ QStringLiteral("timestamps"),
                  QStringLiteral("Prefix each line with its virtual millisecond and a tab.") });
    p.addOption(
        { QStringLiteral("outcome"),
          QStringLiteral("End with `outcome: ok` or the escaping exception's repr chain.") });
    int status = ExitStatus::Ok;
    auto scenario = parseAndLoad(
        p, args, QStringLiteral("Runs a scenario and prints what its Python program prints."),
        &status);
    if (!scenario)
        return status;
    ScenarioRun run(scenario);
    run.runToEnd();
    const EventLog &log = run.log();
    const bool timestamps = p.isSet(QStringLiteral("timestamps"));
    OutputBuffer out;
    if (!timestamps) {
        // Prints are numbered in the order their events were logged. A phase's print repeats
        // one text per instance: the last few texts stay encoded.
        struct Encoded
        {
            quint32 textId = ~0u;
            QByteArray line;
        };
        std::array<Encoded, 64> recent;
        for (int i = 0; i < log.printCount(); ++i) {
            const quint32 id = log.printTextId(i);
            Encoded &slot = recent[id % recent.size()];
            if (slot.textId != id) {
                slot.textId = id;
                slot.line = log.printText(id).toUtf8();
                slot.line += '\n';
            }
            out.append(QByteArrayView(slot.line));
        }
    }
    for (size_t i = 0; timestamps && i < log.count(); ++i) {
        const Event e = log.at(i);
        if (e.kind() != EventKind::Printed)
            continue;
        const QByteArray text = log.print(int(e.arg)).toUtf8();
        // Every output line gets its time, also each line of a print with newlines in it.
        const QByteArray stamp = EventFormatter::milliseconds(log, e.time).toUtf8() + '\t';
        qsizetype from = 0;
        for (qsizetype nl; (nl = text.indexOf('\n', from)) >= 0; from = nl + 1) {
            out.append(QByteArrayView(stamp));
            out.append(QByteArrayView(text).sliced(from, nl + 1 - from));
        }
        out.append(QByteArrayView(stamp));
        out.append(QByteArrayView(text).sliced(from));
        out.append('\n');
    }
    if (p.isSet(QStringLiteral("outcome"))) {
        out.append(QByteArrayView("outcome: "));
        out.append(QStringView(run.outcomeText()));
        out.append('\n');
    }
    out.flush();
    if (scenario->trace) {
        // The program's own traceback went to its stderr when it ran.
        const int status = CommandSupport::reportTrace(p.positionalArguments().first(), *scenario);
        if (status != ExitStatus::Ok)
            exitNow(status);
        exitNow(run.outcome() != None ? ExitStatus::Exception : ExitStatus::Ok);
    }
    if (run.outcome() != None) {
        CommandSupport::writeErr(run.tracebackText());
        exitNow(ExitStatus::Exception);
    }
    exitNow(ExitStatus::Ok);
}

// Several files at once, for a CI job checking a folder of scenarios: each is reported, and
// the status is 2 if any is invalid. With --lint each file that loads is also run and what a
// reviewer would flag printed, one finding a line; 1 if there is any (the highest status wins).
int cmdCheck(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("Scenario files or example names, one or more."),
                            QStringLiteral("FILE..."));
    p.addOption({ QStringLiteral("lint"),
                  QStringLiteral("Also run each file and print the problems found, one a line "
                                 "as FILE:LINE:COLUMN: JSON.PATH: problem; exit status 1 when "
                                 "there are any.") });
    const Parsed a
        = parse(p, args, QStringLiteral("Validates scenarios without running them."), -1);
    if (!a.ok)
        return a.failure();
    if (a.positional.isEmpty()) {
        CommandSupport::writeErr(QStringLiteral("expected at least 1 argument, got 0\n\n")
                                 + helpText(p, args));
        return ExitStatus::Invalid;
    }
    const bool lint = p.isSet(QStringLiteral("lint"));
    if (a.positional.size() == 1) {
        const QFileInfo file(a.positional.first());
        if (file.isFile())
            HeapReservation::reserveFor(file.size());
    }
    int status = ExitStatus::Ok;
    // The worst status wins: an invalid file, then a damaged trace, then problems found.
    const auto rank = [](int s) {
        return s == ExitStatus::Invalid ? 3 : s == ExitStatus::TraceDamaged ? 2 : s;
    };
    const auto worst = [&](int s) {
        if (rank(s) > rank(status))
            status = s;
    };
    // Each scenario lives until the next one is loaded, and the last one until the process
    // ends: freeing a million-task scenario's Steps one by one took a tenth of `check`.
    std::shared_ptr<Scenario> scenario;
    for (const QString &source : a.positional) {
        scenario.reset();
        scenario = CommandSupport::loadOrReport(source);
        if (!scenario) {
            worst(ExitStatus::Invalid);
            continue;
        }
        if (lint) {
            if (CommandSupport::reportTrace(source, *scenario) != ExitStatus::Ok)
                worst(ExitStatus::TraceDamaged);
            QByteArray out;
            for (const Diagnostic &d : LintReport::findings(source, scenario))
                out += (d.toString() + u'\n').toUtf8();
            if (!out.isEmpty())
                worst(ExitStatus::Problems);
            CommandSupport::writeOut(out);
            std::fflush(stdout);
            continue;
        }
        if (scenario->trace) {
            // A trace without a program record (not written by `lifeline trace`) names none.
            const QString what = scenario->title.isEmpty()
                ? QStringLiteral("a trace")
                : QStringLiteral("a trace of %1").arg(scenario->title);
            CommandSupport::writeOut(
                QStringLiteral("%1: %2 (%3)\n")
                    .arg(Diagnostic::escaped(source), Diagnostic::escaped(what),
                         count(qint64(scenario->trace->events.size()), "event", "events"))
                    .toUtf8());
            std::fflush(stdout);
            if (CommandSupport::reportTrace(source, *scenario) != ExitStatus::Ok)
                worst(ExitStatus::TraceDamaged);
            continue;
        }
        CommandSupport::writeOut(
            QStringLiteral("%1: ok (%2, %3)\n")
                .arg(Diagnostic::escaped(source),
                     count(qint64(scenario->resources.size()), "resource", "resources"),
                     count(qint64(scenario->stepCount), "step", "steps"))
                .toUtf8());
        std::fflush(stdout); // in order with the problems on stderr, under 2>&1 too
    }
    exitNow(status);
}

int cmdEvents(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({ QStringLiteral("json"), QStringLiteral("One JSON object per line.") });
    p.addOption(
        { QStringLiteral("steps"), QStringLiteral("Also record a step event per step run.") });
    int status = ExitStatus::Ok;
    auto scenario = parseAndLoad(
        p, args, QStringLiteral("Runs a scenario and prints its event log, one event a line."),
        &status);
    if (!scenario)
        return status;
    ScenarioRun run(scenario);
    run.setRecordSteps(p.isSet(QStringLiteral("steps")));
    run.runToEnd();
    const EventLog &log = run.log();
    const bool json = p.isSet(QStringLiteral("json"));
    QByteArray out;
    // Step events get no number, so that --steps numbers every other event as without it (and
    // as the window does): a step's line reads `-` there, and its JSON has no "i".
    qint64 number = 0;
    for (size_t i = 0; i < log.count(); ++i) {
        const Event &e = log.at(i);
        const bool step = e.kind() == EventKind::StepBegan;
        if (json) {
            QJsonObject o = EventFormatter::toJson(log, i);
            if (step)
                o.remove(QStringLiteral("i"));
            else
                o[QStringLiteral("i")] = number;
            out += QJsonDocument(o).toJson(QJsonDocument::Compact);
        } else {
            out += QStringLiteral("%1\t%2\t%3")
                       .arg(step ? QStringLiteral("-") : QString::number(number),
                            EventFormatter::milliseconds(log, e.time),
                            EventFormatter::describe(log, i))
                       .toUtf8();
        }
        if (!step)
            ++number;
        out += '\n';
        if (out.size() > (1 << 20)) {
            CommandSupport::writeOut(out);
            out.clear();
        }
    }
    CommandSupport::writeOut(out);
    // A trace's events are what the program did, however it ended: only damage fails them.
    if (scenario->trace)
        exitNow(CommandSupport::reportTrace(p.positionalArguments().first(), *scenario));
    exitNow(run.outcome() != None ? ExitStatus::Exception : ExitStatus::Ok);
}

bool writeFileOrStdout(const QString &path, const QByteArray &data)
{
    if (path.isEmpty() || path == QLatin1String("-")) {
        CommandSupport::writeOut(data);
        return true;
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size()) {
        CommandSupport::writeErr(
            QStringLiteral("%1: cannot write: %2\n")
                .arg(Diagnostic::escaped(path), Diagnostic::escaped(f.errorString())));
        return false;
    }
    return true;
}

int cmdExportPython(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({ { QStringLiteral("o"), QStringLiteral("output") },
                  QStringLiteral("Write to OUT instead of stdout."),
                  QStringLiteral("OUT") });
    int status = ExitStatus::Ok;
    auto scenario = parseAndLoad(
        p, args, QStringLiteral("Prints the Python program a scenario maps to."), &status);
    if (!scenario)
        return status;
    if (scenario->trace) {
        const QString what = scenario->title.isEmpty()
            ? QStringLiteral("a trace of a Python program")
            : QStringLiteral("a trace of a Python program (%1)").arg(scenario->title);
        CommandSupport::writeErr(QStringLiteral("%1: %2, not a scenario: there is no program to "
                                                "export but that one\n")
                                     .arg(Diagnostic::escaped(p.positionalArguments().first()),
                                          Diagnostic::escaped(what)));
        return ExitStatus::Invalid;
    }
    const QString code = PythonExporter::exportScenario(*scenario).code;
    return writeFileOrStdout(p.value(QStringLiteral("o")), code.toUtf8()) ? ExitStatus::Ok
                                                                          : ExitStatus::Invalid;
}

int cmdExportTrace(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({ { QStringLiteral("o"), QStringLiteral("output") },
                  QStringLiteral("Write to OUT (Chrome Trace Event JSON)."),
                  QStringLiteral("OUT") });
    int status = ExitStatus::Ok;
    auto scenario = parseAndLoad(
        p, args,
        QStringLiteral("Runs a scenario and writes its trace in Chrome Trace Event Format."),
        &status);
    if (!scenario)
        return status;
    ScenarioRun run(scenario);
    run.runToEnd();
    const QString title
        = scenario->title.isEmpty() ? p.positionalArguments().first() : scenario->title;
    if (!writeFileOrStdout(p.value(QStringLiteral("o")), TraceExporter::toJson(run.log(), title)))
        return ExitStatus::Invalid;
    return CommandSupport::reportTrace(p.positionalArguments().first(), *scenario);
}

int cmdExamples(const QStringList &args)
{
    QCommandLineParser p;
    const Parsed a = parse(p, args,
                           QStringLiteral("Lists the built-in examples; every subcommand takes an "
                                          "example's name in place of a file."),
                           0);
    if (!a.ok)
        return a.failure();
    QByteArray out;
    for (const ExampleInfo &e : Examples::all()) {
        out += QStringLiteral("%1\t%2\n").arg(e.name, e.title).toUtf8();
        out += QStringLiteral("\t%1\n").arg(e.description).toUtf8();
    }
    CommandSupport::writeOut(out);
    return ExitStatus::Ok;
}

QString topLevelHelp()
{
    return QStringLiteral(
        "Usage: lifeline [FILE|EXAMPLE]\n"
        "       lifeline COMMAND [options] FILE|EXAMPLE\n"
        "       lifeline trace [options] PROGRAM.py|-m MODULE [ARGS...]\n\n"
        "Shows how Python's async resources live and die: runs scenarios (JSON) on a virtual\n"
        "clock exactly as CPython 3.11 would, and draws every resource's lifecycle.\n\n"
        "With no command, opens the desktop app (on FILE, or the seed example).\n\n"
        "Commands:\n"
        "  run FILE [--timestamps] [--outcome]   print what the program prints\n"
        "  check FILE... [--lint]                validate only (one or more files); --lint\n"
        "                                        also runs them and lists the problems found\n"
        "  events FILE [--json] [--steps]        the event log, one event a line\n"
        "  export-python FILE [-o OUT]           the Python program the scenario maps to\n"
        "  export-trace FILE -o OUT              Chrome Trace Event Format JSON\n"
        "  render FILE -o OUT.png|OUT.svg [--width W]   draw the timeline headless\n"
        "  demo [--headless] [-o OUT.png]        the guided walk through the seed example\n"
        "  examples                              list the built-in examples\n"
        "  trace [options] PROGRAM.py [ARGS...]  run a real Python program (3.11+), recording\n"
        "                                        its trace to PROGRAM.lltrace (-o OUT); with\n"
        "                                        --live, watch it in the window as it runs\n\n"
        "Every command takes an example's name or a trace (.lltrace) in place of FILE.\n"
        "`lifeline COMMAND --help` describes one command. Exit status: 0 ok, 1 an exception\n"
        "escaped main, 2 invalid scenario or usage, 3 a trace cut short or corrupt (its valid\n"
        "part is used); `trace` exits with the program's status, 125 if it cannot trace it.\n\n"
        "Options:\n"
        "  -h, --help     Displays help.\n"
        "  --help-all     Displays this help and every command's.\n"
        "  -v, --version  Displays version information.\n");
}

// `lifeline --help-all`: this help, then each command's --help, each opening with its `Usage:`
// line; packaging/manpage.cmake turns it into lifeline.1. Each command is asked through main
// itself, so the text is the one its parser prints.
int helpAll(char *program)
{
    CommandSupport::writeOut(topLevelHelp().toUtf8());
    for (const QString &command : CommandLine::subcommands()) {
        CommandSupport::writeOut("\n");
        QByteArray name = command.toUtf8();
        char help[] = "--help";
        char *argv[] = { program, name.data(), help, nullptr };
        const int status = CommandLine::main(3, argv);
        if (status != ExitStatus::Ok)
            return status;
    }
    std::fflush(stdout);
    return ExitStatus::Ok;
}

int cmdRender(int argc, char **argv, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("FILE"),
                            QStringLiteral("Scenario file or example name."));
    p.addOption({ { QStringLiteral("o"), QStringLiteral("output") },
                  QStringLiteral("Image to write: .png or .svg."),
                  QStringLiteral("OUT") });
    p.addOption({ QStringLiteral("width"), QStringLiteral("Width in pixels (default 1600)."),
                  QStringLiteral("W"), QStringLiteral("1600") });
    const Parsed a
        = parse(p, args,
                QStringLiteral(
                    "Runs a scenario and draws its whole timeline to an image, without a display."),
                1);
    if (!a.ok)
        return a.failure();
    bool ok = false;
    const int width = p.value(QStringLiteral("width")).toInt(&ok);
    if (!ok || width < 200 || width > 20000) {
        CommandSupport::writeErr(
            QStringLiteral("--width: expected a whole number from 200 to 20000, got \"%1\"\n")
                .arg(Diagnostic::escaped(p.value(QStringLiteral("width")))));
        return ExitStatus::Invalid;
    }
    const QString out = p.value(QStringLiteral("o"));
    if (!out.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)
        && !out.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        CommandSupport::writeErr(
            QStringLiteral("-o: expected a file name ending in .png or .svg, got \"%1\"\n")
                .arg(Diagnostic::escaped(out)));
        return ExitStatus::Invalid;
    }
    const GuiCommands *gui = loadGui();
    return gui ? gui->runRender(argc, argv, a.positional.first(), out, width)
               : ExitStatus::CannotWrite;
}

int cmdDemo(int argc, char **argv, const QStringList &args)
{
    QCommandLineParser p;
    p.addOption(
        { QStringLiteral("headless"),
          QStringLiteral(
              "Print the steps with their captions and write the final timeline as a PNG.") });
    p.addOption({ { QStringLiteral("o"), QStringLiteral("output") },
                  QStringLiteral("PNG to write with --headless (default lifeline-demo.png)."),
                  QStringLiteral("OUT"),
                  QStringLiteral("lifeline-demo.png") });
    const Parsed a = parse(
        p, args,
        QStringLiteral("The guided walk through the seed example, then a failing variant."), 0);
    if (!a.ok)
        return a.failure();
    const GuiCommands *gui = loadGui();
    return gui ? gui->runDemo(argc, argv, p.isSet(QStringLiteral("headless")),
                              p.value(QStringLiteral("o")))
               : ExitStatus::CannotWrite;
}

} // namespace

QStringList CommandLine::subcommands()
{
    return { QStringLiteral("run"),          QStringLiteral("check"),
             QStringLiteral("events"),       QStringLiteral("export-python"),
             QStringLiteral("export-trace"), QStringLiteral("render"),
             QStringLiteral("demo"),         QStringLiteral("examples"),
             QStringLiteral("trace") };
}

int CommandLine::main(int argc, char **argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const QString first = args.value(1);
    // A subcommand's parser sees `lifeline SUB` as its program name.
    QStringList sub = args.mid(1);
    if (!sub.isEmpty())
        sub[0] = QStringLiteral("lifeline ") + first;

    if (first == QLatin1String("-h") || first == QLatin1String("--help")) {
        CommandSupport::writeOut(topLevelHelp().toUtf8());
        return ExitStatus::Ok;
    }
    if (first == QLatin1String("--help-all"))
        return helpAll(argv[0]);
    if (first == QLatin1String("-v") || first == QLatin1String("--version")) {
        CommandSupport::writeOut(QByteArrayLiteral("lifeline " LIFELINE_VERSION "\n"));
        return ExitStatus::Ok;
    }
    // Commands that paint or open a window make their own GUI application object
    // (QCommandLineParser::parse needs none).
    if (first == QLatin1String("render"))
        return cmdRender(argc, argv, sub);
    if (first == QLatin1String("demo"))
        return cmdDemo(argc, argv, sub);
    // The program's arguments pass as the bytes they are, and no application object is needed.
    if (first == QLatin1String("trace"))
        return TraceCommand::run(argc, argv);
    if (subcommands().contains(first)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("lifeline"));
        QCoreApplication::setApplicationVersion(QStringLiteral(LIFELINE_VERSION));
        if (first == QLatin1String("run"))
            return cmdRun(sub);
        if (first == QLatin1String("check"))
            return cmdCheck(sub);
        if (first == QLatin1String("events"))
            return cmdEvents(sub);
        if (first == QLatin1String("export-python"))
            return cmdExportPython(sub);
        if (first == QLatin1String("export-trace"))
            return cmdExportTrace(sub);
        return cmdExamples(sub);
    }
    if (first.startsWith(u'-') || args.size() > 2) {
        CommandSupport::writeErr(
            QStringLiteral("lifeline: unknown command or option \"%1\"\n\n%2")
                .arg(Diagnostic::escaped(first.startsWith(u'-') ? first : args.value(2)),
                     topLevelHelp()));
        return ExitStatus::Invalid;
    }
    const GuiCommands *gui = loadGui();
    return gui ? gui->runGui(argc, argv, first) : ExitStatus::CannotWrite;
}

} // namespace Lifeline
