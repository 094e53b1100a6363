// SPDX-License-Identifier: MIT
#pragma once
// `lifeline check --lint` for one file that loaded: runs it to the end (steps recorded, so each
// finding has its step), asks ProblemFinder what a reviewer would flag and ScenarioLocator where
// each is written. A trace has only the run's findings, and no position in its binary file.

#include "scenario.h"

#include <memory>
#include <vector>

namespace Lifeline {

class LintReport
{
public:
    // As FILE:LINE:COLUMN: JSON.PATH: problem (Diagnostic::toString() escapes them), in the
    // order ProblemFinder gives: the scenario's lints, then the run's problems as they happened.
    static std::vector<Diagnostic> findings(const QString &source,
                                            const std::shared_ptr<const Scenario> &scenario);
};

} // namespace Lifeline
