#pragma once
// Resolves what a user names on the command line or in the app: a scenario file path, or the
// name of a built-in example (`seed`). A path that exists wins over an example of that name.

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
};

} // namespace Lifeline
