// SPDX-License-Identifier: MIT
#include "scenarioopener.h"

#include "scenarioloader.h"
#include "scenariosource.h"
#include "tracerecording.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Lifeline {

namespace {

// A big trace's load frees hundreds of megabytes in this worker's malloc arena (the file's
// bytes, an EVENTS block's staged events, the reader's tables as they grew), which glibc keeps
// resident for the arena's next use: they would count against the window for as long as it
// runs. Handing the free pages back takes milliseconds.
void returnFreedMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace

struct ScenarioOpener::Outcome
{
    std::shared_ptr<OpenedScenario> opened;
    std::vector<Diagnostic> diagnostics;
    QString source;
};

// A trace's "steps" are its locations (TraceReplay's prints and the code view's current line).
PythonExporter::Result ScenarioOpener::codeOf(const Scenario &scenario)
{
    if (!scenario.trace)
        return PythonExporter::exportScenario(scenario);
    const TraceRecording &trace = *scenario.trace;
    PythonExporter::Result code;
    if (trace.sources.empty()) {
        code.code = QStringLiteral("# %1: the trace holds no source\n").arg(scenario.title);
        return code;
    }
    code.code = trace.string(trace.sources.front().text);
    code.stepLines.reserve(trace.locations.size());
    for (const TraceLocation &l : trace.locations)
        code.stepLines.push_back(l.source == 0 ? l.line : 0);
    return code;
}

ScenarioOpener::ScenarioOpener(QObject *parent)
    : QObject(parent)
{
}

ScenarioOpener::~ScenarioOpener() = default;

std::shared_ptr<OpenedScenario> ScenarioOpener::load(const QString &fileOrExample,
                                                     std::vector<Diagnostic> *diagnostics)
{
    std::shared_ptr<Scenario> scenario = ScenarioSource::load(fileOrExample, diagnostics);
    if (!scenario)
        return nullptr;
    auto result = std::make_shared<OpenedScenario>();
    result->source = fileOrExample;
    result->python = codeOf(*scenario);
    result->captions = std::make_shared<EventCaption>(nullptr, scenario.get());
    result->scenario = std::move(scenario);
    return result;
}

std::shared_ptr<OpenedScenario> ScenarioOpener::prepare(std::shared_ptr<const Scenario> scenario,
                                                        const QString &source)
{
    auto result = std::make_shared<OpenedScenario>();
    result->source = source;
    result->python = codeOf(*scenario);
    result->captions = std::make_shared<EventCaption>(nullptr, scenario.get());
    result->scenario = std::move(scenario);
    return result;
}

void ScenarioOpener::open(const QString &fileOrExample)
{
    start([fileOrExample] {
        auto outcome = std::make_shared<Outcome>();
        outcome->source = fileOrExample;
        outcome->opened = load(fileOrExample, &outcome->diagnostics);
        returnFreedMemory();
        return outcome;
    });
}

void ScenarioOpener::openData(const QByteArray &json, const QString &name)
{
    start([json, name] {
        auto outcome = std::make_shared<Outcome>();
        outcome->source = name;
        if (std::shared_ptr<Scenario> scenario
            = ScenarioLoader::fromData(json, name, &outcome->diagnostics)) {
            outcome->opened = std::make_shared<OpenedScenario>();
            outcome->opened->source = name;
            outcome->opened->python = codeOf(*scenario);
            outcome->opened->captions = std::make_shared<EventCaption>(nullptr, scenario.get());
            outcome->opened->scenario = std::move(scenario);
        }
        return outcome;
    });
}

template <typename Work> void ScenarioOpener::start(Work work)
{
    const quint64 job = ++m_job;
    auto *watcher = new QFutureWatcher<std::shared_ptr<Outcome>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, job] {
        watcher->deleteLater();
        if (--m_running == 0)
            Q_EMIT busyChanged(false);
        deliver(job, watcher->result());
    });
    if (m_running++ == 0)
        Q_EMIT busyChanged(true);
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

void ScenarioOpener::deliver(quint64 job, const std::shared_ptr<Outcome> &outcome)
{
    if (job != m_job)
        return; // a newer request was made while this one ran: its result would be stale
    if (outcome->opened)
        Q_EMIT opened(outcome->opened);
    else
        Q_EMIT failed(outcome->source, outcome->diagnostics);
}

} // namespace Lifeline
