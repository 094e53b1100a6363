// SPDX-License-Identifier: MIT
#pragma once
// Resolves what a user names on the command line or in the app: a scenario file path, or the
// name of a built-in example (`seed`). A path that exists wins over an example of that name. A
// bare word that is neither is reported as an unknown example, with the likeliest one named.

#include "scenario.h"

#include <memory>
#include <vector>

namespace Lifeline {

class ScenarioSource
{
public:
    static std::shared_ptr<Scenario> load(const QString &fileOrExample,
                                          std::vector<Diagnostic> *diagnostics);
    // The path that load() reads (a qrc path for an example).
    static QString resolve(const QString &fileOrExample);
    // The built-in example a mistyped name most likely meant; empty when none is close.
    static QString suggestExample(const QString &name);
};

} // namespace Lifeline
