// SPDX-License-Identifier: MIT
#pragma once
// Prints a scenario as the Python program it means (the spec's mapping, construct by construct),
// readable enough to put on a projector and exact enough to run under CPython 3.11 with the
// same output. It does not validate: a Scenario that exists is valid. Identifiers come from
// PythonNamePlan, so nothing it invents collides with a scenario's own names.

#include "scenario.h"

#include <QString>
#include <vector>

namespace Lifeline {

class PythonExporter
{
public:
    struct Result
    {
        QString code;
        // stepLines[step.id] = 1-based line where that step's code starts (for a gather, the
        // first create_task line; for a try, the `try:` line).
        std::vector<int> stepLines;
    };

    static Result exportScenario(const Scenario &scenario);
};

} // namespace Lifeline
