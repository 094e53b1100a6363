// SPDX-License-Identifier: MIT
#include "lintreport.h"

#include "problemfinder.h"
#include "scenariolocator.h"
#include "scenariorun.h"
#include "scenariosource.h"

#include <QFile>

namespace Lifeline {

std::vector<Diagnostic> LintReport::findings(const QString &source,
                                             const std::shared_ptr<const Scenario> &scenario)
{
    ScenarioRun run(scenario);
    run.setRecordSteps(!scenario->trace);
    run.runToEnd();
    ProblemFinder finder(scenario);
    finder.update(run.log());
    if (scenario->trace) {
        std::vector<Diagnostic> out;
        for (const Problem &p : finder.problems())
            out.push_back({ source, 0, 0, QString(), p.message });
        return out;
    }
    // The file was read once to load it; read again only when there is something to place.
    QByteArray bytes;
    if (!finder.problems().empty()) {
        QFile file(ScenarioSource::resolve(source));
        if (file.open(QIODevice::ReadOnly))
            bytes = file.readAll();
    }
    return ScenarioLocator::locate(bytes, source, finder.problems());
}

} // namespace Lifeline
