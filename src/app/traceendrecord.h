// SPDX-License-Identifier: MIT
#pragma once
// How a traced program ended, as the END record says it (docs/trace-format.md), and that record
// appended to its trace: the one place where `lifeline trace` and the window's live traces
// decide and write it, so both say the same thing of the same ending. It never runs or waits
// for the program.

#include "exitstatus.h"
#include "tracerecording.h"

#include <QByteArray>

namespace Lifeline {

class TraceEndRecord
{
public:
    // lifeline trace's status for its own failures (no Python, no tracer, OUT not writable).
    static constexpr int OwnFailure = ExitStatus::OwnFailure;

    // A wait status (waitpid): exited with its status, or died of its signal. An exception
    // escaping the program is exit status 1 like any other: the trace's events say which.
    static TraceEnd fromWaitStatus(int status);
    // What QProcess reports: `crashed` means it died of signal `code`.
    static TraceEnd fromProcess(int code, bool crashed);
    // The tracer could not be started at all.
    static TraceEnd couldNotStart();
    // lifeline trace's exit status for it: the program's, 128+N for signal N.
    static int exitStatus(const TraceEnd &end);

    // Appends END to the file at `path`, after the header when the file is empty (the tracer
    // wrote nothing); false with errno set when it cannot.
    static bool append(const QByteArray &path, const TraceEnd &end);
};

} // namespace Lifeline
