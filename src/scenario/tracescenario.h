// SPDX-License-Identifier: MIT
#pragma once
// The Scenario a trace opens as, so every place that takes a scenario takes a trace too: its
// title is the program, its description how the program ended, one class resource per lane
// group (views look a lane's group up in `resources`), the trace's exception classes as
// ExceptionTypes, and the recording itself in `trace` (ScenarioRun replays it). No steps:
// nothing here runs or replays anything.

#include "scenario.h"
#include "tracerecording.h"

#include <QByteArray>
#include <memory>
#include <vector>

namespace Lifeline {

class TraceScenario
{
public:
    // The bytes of a trace (TraceReader::isTrace). A trace with a bad record still loads, with
    // its error kept on the recording; one that is not a trace or is of a newer version does
    // not: null, with one Diagnostic naming `fileName`.
    static std::shared_ptr<Scenario> fromData(QByteArrayView bytes, const QString &fileName,
                                              std::vector<Diagnostic> *diagnostics);
    static std::shared_ptr<Scenario> fromRecording(std::shared_ptr<const TraceRecording> trace);

    // The trace's exception classes: CPython's built-ins by name (those ExceptionTypes knows
    // are its own), any other class under its recorded base, or Exception. `ids[i]` is the
    // ExceptionTypes id of the trace's type i.
    static ExceptionTypes exceptionTypes(const TraceRecording &trace, std::vector<int> *ids);
    // The same for the classes a growing recording defined since: those from `ids->size()` on
    // join `types`.
    static void addExceptionTypes(const TraceRecording &trace, ExceptionTypes *types,
                                  std::vector<int> *ids);
    // A class resource for each lane group from `scenario->resources.size()` on: a growing
    // recording's groups arrive as the program runs, each before the first lane in it.
    static void addResources(const TraceRecording &trace, Scenario *scenario);
    // The exception the main task (the first task lane) failed with at its last TaskEnded, or
    // None: what a run's outcome() is for a trace.
    static qint32 mainFailure(const TraceRecording &trace);
    // The Scenario's description: how the program ended (or that it is running, or what is wrong
    // with the trace).
    static QString description(const TraceRecording &trace);
    // How the program ended, as a sentence (`the program died of signal 9 (SIGKILL)`); empty
    // when it exited with status 0 or the trace has no END.
    static QString endText(const TraceRecording &trace);
};

} // namespace Lifeline
