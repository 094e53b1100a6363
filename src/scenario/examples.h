// SPDX-License-Identifier: MIT
#pragma once
// The scenarios built into the application (resources/examples, compiled into this library
// under :/examples): the seed first, then one edge case each, in a teaching order. Reads only
// the title and description; loading and validating a scenario is ScenarioLoader's job.

#include <QList>
#include <QString>
#include <optional>

namespace Lifeline {

struct ExampleInfo
{
    QString name; // the file name without `.json`, e.g. `seed`
    QString title;
    QString description;
    QString resourcePath; // `:/examples/seed.json`, for ScenarioLoader::fromFile
};

class Examples
{
public:
    static QList<ExampleInfo> all();
    static std::optional<ExampleInfo> find(const QString &name);
};

} // namespace Lifeline
