#include "scenariosource.h"

#include "examples.h"
#include "scenarioloader.h"

#include <QFile>
#include <QFileInfo>

namespace Lifeline {

QString ScenarioSource::resolve(const QString &fileOrExample)
{
    if (QFileInfo::exists(fileOrExample))
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
    return ScenarioLoader::fromFile(path, diagnostics);
}

} // namespace Lifeline
