// SPDX-License-Identifier: MIT
#pragma once
// Reads a format-v1 scenario file (docs/scenario-format.md) into a Scenario, or explains every
// reason it cannot: all problems, one message each, in file order, located as
// FILE:LINE:COLUMN: PATH. A file that is not JSON gets one message, at its first error. Never
// runs or prints anything.
// A trace (its first 8 bytes are the .lltrace magic) is handed to TraceScenario instead.

#include "scenario.h"

#include <QByteArray>
#include <QString>
#include <memory>
#include <vector>

namespace Lifeline {

class ScenarioLoader
{
public:
    // nullptr on failure, with every problem appended to `diagnostics` (may be null), sorted in
    // file order. `fileName` is only used to name the file in diagnostics.
    static std::shared_ptr<Scenario> fromData(const QByteArray &utf8, const QString &fileName,
                                              std::vector<Diagnostic> *diagnostics);
    // A missing or unreadable file gives one Diagnostic naming the file (line 0, path `$`)
    // with the operating system's reason.
    static std::shared_ptr<Scenario> fromFile(const QString &path,
                                              std::vector<Diagnostic> *diagnostics);
};

} // namespace Lifeline
