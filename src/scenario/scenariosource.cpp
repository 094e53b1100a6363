// SPDX-License-Identifier: MIT
#include "scenariosource.h"

#include "examples.h"
#include "scenarioloader.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <vector>

namespace Lifeline {

namespace {

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> row(size_t(b.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[size_t(j)];
            row[size_t(j)] = std::min(
                { above + 1, row[size_t(j - 1)] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
            diagonal = above;
        }
    }
    return row.back();
}

} // namespace

QString ScenarioSource::suggestExample(const QString &name)
{
    // A typo (a few edits away), else an example the name begins like (`nested-...`).
    QString best;
    int bestDistance = std::max<int>(2, int(name.size()) / 4) + 1;
    for (const ExampleInfo &e : Examples::all()) {
        const int d = editDistance(name.toLower(), e.name);
        if (d < bestDistance) {
            bestDistance = d;
            best = e.name;
        }
    }
    if (!best.isEmpty())
        return best;
    const QString firstWord = name.section(u'-', 0, 0).toLower();
    for (const ExampleInfo &e : Examples::all()) {
        if (firstWord.size() >= 3 && e.name.startsWith(firstWord))
            return e.name;
    }
    return {};
}

QString ScenarioSource::resolve(const QString &fileOrExample)
{
    // A file wins over an example of its name; a directory does not.
    if (QFileInfo(fileOrExample).isFile())
        return fileOrExample;
    if (auto example = Examples::find(fileOrExample))
        return example->resourcePath;
    return fileOrExample;
}

std::shared_ptr<Scenario> ScenarioSource::load(const QString &fileOrExample,
                                               std::vector<Diagnostic> *diagnostics)
{
    const QString path = resolve(fileOrExample);
    if (path.startsWith(QLatin1String(":/"))) {
        // Diagnostics name the example as the user typed it, not the resource path.
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            return ScenarioLoader::fromData(file.readAll(), fileOrExample + QLatin1String(".json"),
                                            diagnostics);
    }
    const QFileInfo info(path);
    if (info.isDir()) {
        if (diagnostics) {
            diagnostics->push_back({ fileOrExample, 0, 0, QStringLiteral("$"),
                                     QStringLiteral("a directory, not a scenario file") });
        }
        return nullptr;
    }
    // A bare word that is neither a file nor an example was most likely meant as an example.
    const bool bareWord = !fileOrExample.isEmpty() && !fileOrExample.contains(u'/')
        && !fileOrExample.contains(u'\\') && !fileOrExample.contains(u'.');
    if (bareWord && !info.exists()) {
        if (diagnostics) {
            const QString suggestion = suggestExample(fileOrExample);
            QString message = QStringLiteral("no such file, and no built-in example of that name");
            if (!suggestion.isEmpty())
                message += QStringLiteral(" (did you mean \"%1\"?)").arg(suggestion);
            message += QStringLiteral("; `lifeline examples` lists the examples");
            diagnostics->push_back({ fileOrExample, 0, 0, QStringLiteral("$"), message });
        }
        return nullptr;
    }
    auto scenario = ScenarioLoader::fromFile(path, diagnostics);
    // `seed.json` where there is none: perhaps the example, which is named without extension.
    if (!scenario && !info.exists() && diagnostics && !diagnostics->empty()) {
        const QString example = suggestExample(info.completeBaseName());
        if (!example.isEmpty()) {
            diagnostics->back().message
                += QStringLiteral(" (did you mean the built-in example \"%1\"?)").arg(example);
        }
    }
    return scenario;
}

} // namespace Lifeline
