// SPDX-License-Identifier: MIT
#pragma once
// Loads a scenario (file or built-in example) or a trace and exports its Python (a trace: shows
// the program's own source) off the GUI thread, so a huge file never freezes the window. Every
// request gets a job id; a result is delivered only if no newer request was made since (Hotspot's
// stale-job rule), so a slow old load can never replace a newer one. It never touches the scenario
// that is open now: on failure the caller keeps it.

#include "eventcaption.h"
#include "pythonexporter.h"
#include "scenario.h"

#include <QObject>
#include <QString>
#include <memory>
#include <vector>

namespace Lifeline {

struct OpenedScenario
{
    QString source; // what was asked for: a path or an example name
    std::shared_ptr<const Scenario> scenario;
    PythonExporter::Result python; // a trace: its program's source, a "step" per location
    // The scenario's step index (no log yet), built here rather than on the GUI thread; each
    // run binds it to its log with withLog().
    std::shared_ptr<const EventCaption> captions;
};

class ScenarioOpener : public QObject
{
    Q_OBJECT
public:
    explicit ScenarioOpener(QObject *parent = nullptr);
    ~ScenarioOpener() override;

    // Starts loading; a previous request still running is made stale.
    void open(const QString &fileOrExample);
    // Loads an in-memory document (a built-in variant), same delivery rules.
    void openData(const QByteArray &json, const QString &name);
    // Makes every request made so far stale: none of their results is delivered.
    void cancel() { ++m_job; }
    bool isBusy() const { return m_running > 0; }

    // The same work, synchronously, for command-line use and tests.
    static std::shared_ptr<OpenedScenario> load(const QString &fileOrExample,
                                                std::vector<Diagnostic> *diagnostics);
    // A scenario loaded already (a live trace's, which grows), as the window shows one: its
    // code and caption index, built here on the calling thread.
    static std::shared_ptr<OpenedScenario> prepare(std::shared_ptr<const Scenario> scenario,
                                                   const QString &source);
    // What the code view shows: the Python a scenario maps to, or a traced program's own source
    // (its first SOURCE), with a "step" per source location.
    static PythonExporter::Result codeOf(const Scenario &scenario);

Q_SIGNALS:
    void opened(std::shared_ptr<Lifeline::OpenedScenario> result);
    void failed(const QString &source, const std::vector<Lifeline::Diagnostic> &diagnostics);
    void busyChanged(bool busy);

private:
    struct Outcome;
    template <typename Work> void start(Work work);
    void deliver(quint64 job, const std::shared_ptr<Outcome> &outcome);

    quint64 m_job = 0;
    int m_running = 0;
};

} // namespace Lifeline
