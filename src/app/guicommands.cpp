// SPDX-License-Identifier: MIT
#include "guicommands.h"

#include "commandsupport.h"
#include "eventcaption.h"
#include "exitstatus.h"
#include "guidedtour.h"
#include "mainwindow.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "scenariosource.h"
#include "timelinerenderer.h"
#include "tracelaunch.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QIcon>
#include <QTemporaryDir>
#include <QTextStream>

namespace Lifeline {

namespace {

void nameApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Lifeline"));
    QCoreApplication::setApplicationName(QStringLiteral("Lifeline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFELINE_VERSION));
}

// Rendering needs fonts, not a screen: default to the offscreen platform unless told otherwise.
void preferOffscreen()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

// On a plain terminal (a console login, ssh, cron, CI) XDG_RUNTIME_DIR is unset, and Qt warns
// "QStandardPaths: XDG_RUNTIME_DIR not set" the first time the application asks for it. A
// headless render shares nothing with a desktop session: it gets a private runtime directory
// (mode 0700, as Qt requires) for its lifetime instead, which silences that warning alone.
std::unique_ptr<QTemporaryDir> privateRuntimeDir()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return nullptr;
    auto dir = std::make_unique<QTemporaryDir>(QDir::tempPath()
                                               + QStringLiteral("/lifeline-runtime-XXXXXX"));
    if (!dir->isValid())
        return nullptr;
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(dir->path()));
    return dir;
}

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

// One part of the headless demo: its events, each with its caption, then the outcome.
std::unique_ptr<ScenarioRun> printPart(int index, int count, const GuidedTour::Part &part,
                                       std::shared_ptr<const Scenario> scenario)
{
    auto run = std::make_unique<ScenarioRun>(scenario);
    run->setRecordSteps(true);
    run->runToEnd();
    const EventLog &log = run->log();
    const EventCaption captions(&log, scenario.get());
    out() << QStringLiteral("== Part %1 of %2: %3").arg(index + 1).arg(count).arg(part.title)
          << '\n';
    out() << part.intro << "\n\n";
    for (size_t i = 0; i < log.count(); ++i)
        out() << QStringLiteral("%1  %2 ms  ").arg(i + 1, 4).arg(qint64(log.at(i).time), 5)
              << captions.caption(i).remove(u'`') << '\n';
    out() << QStringLiteral("\nprinted:\n");
    for (const QString &line : run->output())
        out() << "  " << line << '\n';
    out() << QStringLiteral("outcome: %1\n\n").arg(run->outcomeText());
    return run;
}

int headlessDemo(const QString &png)
{
    const QList<GuidedTour::Part> parts = GuidedTour::parts();
    std::unique_ptr<ScenarioRun> last;
    for (int i = 0; i < parts.size(); ++i) {
        std::vector<Diagnostic> diagnostics;
        std::shared_ptr<Scenario> scenario = parts[i].example.isEmpty()
            ? ScenarioLoader::fromData(GuidedTour::partData(parts[i]), parts[i].resource,
                                       &diagnostics)
            : ScenarioSource::load(parts[i].example, &diagnostics);
        CommandSupport::reportDiagnostics(diagnostics);
        if (!scenario)
            return ExitStatus::Invalid;
        last = printPart(i, int(parts.size()), parts[i], scenario);
    }
    QString error;
    if (!TimelineRenderer::renderFile(last->log(), png, TimelineRenderer::DefaultWidth, &error)) {
        CommandSupport::fail(QStringLiteral("cannot write %1: %2").arg(png, error));
        return ExitStatus::CannotWrite;
    }
    out() << QStringLiteral("Final timeline written to %1").arg(Diagnostic::escaped(png))
          << Qt::endl;
    return ExitStatus::Ok;
}

int runGuiCommand(int &argc, char **argv, const QString &fileOrExample)
{
    QApplication app(argc, argv);
    nameApplication();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/lifeline.svg")));
    MainWindow window;
    window.show();
    window.open(fileOrExample.isEmpty() ? QStringLiteral("seed") : fileOrExample);
    return app.exec();
}

int runDemoCommand(int &argc, char **argv, bool headless, const QString &png)
{
    if (headless) {
        preferOffscreen();
        const auto runtimeDir = privateRuntimeDir();
        QGuiApplication app(argc, argv);
        nameApplication();
        return headlessDemo(png.isEmpty() ? QStringLiteral("lifeline-demo.png") : png);
    }
    QApplication app(argc, argv);
    nameApplication();
    MainWindow window;
    window.show();
    window.startTour();
    return app.exec();
}

int runRenderCommand(int &argc, char **argv, const QString &fileOrExample, const QString &png,
                     int width)
{
    preferOffscreen();
    const auto runtimeDir = privateRuntimeDir();
    QGuiApplication app(argc, argv);
    nameApplication();
    const std::shared_ptr<Scenario> scenario = CommandSupport::loadOrReport(fileOrExample);
    if (!scenario)
        return ExitStatus::Invalid;
    ScenarioRun run(scenario);
    run.runToEnd();
    QString error;
    if (!TimelineRenderer::renderFile(run.log(), png,
                                      width > 0 ? width : TimelineRenderer::DefaultWidth, &error)) {
        CommandSupport::fail(QStringLiteral("cannot write %1: %2").arg(png, error));
        return ExitStatus::CannotWrite;
    }
    return ExitStatus::Ok;
}

int runLiveTraceCommand(int &argc, char **argv, const TraceLaunch &launch, const QString &tracerDir)
{
    QApplication app(argc, argv);
    nameApplication();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/lifeline.svg")));
    MainWindow window;
    window.show();
    window.traceLive(launch, tracerDir);
    return app.exec();
}

} // namespace

} // namespace Lifeline

extern "C" Q_DECL_EXPORT const Lifeline::GuiCommands *lifelineGuiCommands()
{
    static const Lifeline::GuiCommands commands
        = { Lifeline::runGuiCommand, Lifeline::runDemoCommand, Lifeline::runRenderCommand,
            Lifeline::runLiveTraceCommand };
    return &commands;
}
