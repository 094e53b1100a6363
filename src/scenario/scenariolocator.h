// SPDX-License-Identifier: MIT
#pragma once
// Where a loaded scenario's steps and resources are written in its file, for findings made after
// loading (ProblemFinder's): the JSON path (`main[1].try[0]`) and line:column of a step by its
// id, or of a resource definition or one of its keys. Walks the file's steps in the loader's
// pre-order (StepLoader), so ids agree; expects a file that loaded, and reports nothing for one
// that did not parse.

#include "scenario.h"

#include <QByteArray>
#include <vector>

namespace Lifeline {

struct Problem;

class ScenarioLocator
{
public:
    // Each problem as FILE:LINE:COLUMN: PATH: message, at its step, else its resource (the key
    // it names, when written), else the file alone.
    static std::vector<Diagnostic> locate(const QByteArray &source, const QString &fileName,
                                          const std::vector<Problem> &problems);
};

} // namespace Lifeline
