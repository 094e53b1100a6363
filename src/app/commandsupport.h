// SPDX-License-Identifier: MIT
#pragma once
// What every `lifeline` command does the same way around its own work: loading FILE or EXAMPLE
// with its problems reported, a trace's damage reported, and messages written to stderr. Both
// the executable and the GUI module (render, demo) link it, so a message or a status reads the
// same whichever side gives it (statuses: exitstatus.h). It parses no arguments and runs nothing.

#include "scenario.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <vector>

namespace Lifeline {

class CommandSupport
{
public:
    // Standard output, as the bytes given.
    static void writeOut(const QByteArray &bytes);
    // Standard error, as UTF-8. Every text quoted into a message (a file name, an argument, a
    // name from a file) must already be Diagnostic::escaped(): no control character reaches the
    // terminal raw. A program's own output (run's prints, its traceback) is not a message.
    static void writeErr(const QString &text);
    // `lifeline: message` (or `lifeline trace: message` for command "trace") on stderr, the
    // message escaped whole.
    static void fail(const QString &message, const QString &command = QString());
    // One located line per problem, FILE:LINE:COLUMN: PATH: message.
    static void reportDiagnostics(const std::vector<Diagnostic> &diagnostics);

    // Loads FILE or EXAMPLE (ScenarioSource); on failure reports why and returns null, for which
    // a command exits ExitStatus::Invalid.
    static std::shared_ptr<Scenario> loadOrReport(const QString &source);
    // For a trace: on stderr, what is wrong with it (`FILE: trace cut short at byte N: ...`), or
    // for a complete one how the program ended when it did not exit 0. ExitStatus::TraceDamaged
    // when it is damaged; ExitStatus::Ok otherwise, and for a scenario.
    static int reportTrace(const QString &source, const Scenario &scenario);
};

} // namespace Lifeline
