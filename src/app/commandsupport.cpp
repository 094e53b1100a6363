// SPDX-License-Identifier: MIT
#include "commandsupport.h"

#include "exitstatus.h"
#include "scenariosource.h"
#include "tracerecording.h"
#include "tracescenario.h"

#include <cstdio>

namespace Lifeline {

void CommandSupport::writeOut(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

void CommandSupport::writeErr(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
}

void CommandSupport::fail(const QString &message, const QString &command)
{
    const QString program
        = command.isEmpty() ? QStringLiteral("lifeline") : QStringLiteral("lifeline ") + command;
    writeErr(program + QStringLiteral(": ") + Diagnostic::escaped(message) + u'\n');
}

void CommandSupport::reportDiagnostics(const std::vector<Diagnostic> &diagnostics)
{
    for (const Diagnostic &d : diagnostics)
        writeErr(d.toString() + u'\n'); // toString() escapes its own fields
}

std::shared_ptr<Scenario> CommandSupport::loadOrReport(const QString &source)
{
    std::vector<Diagnostic> diagnostics;
    auto scenario = ScenarioSource::load(source, &diagnostics);
    if (!scenario) {
        reportDiagnostics(diagnostics);
        if (diagnostics.empty())
            writeErr(QStringLiteral("%1: cannot load scenario\n").arg(Diagnostic::escaped(source)));
    }
    return scenario;
}

int CommandSupport::reportTrace(const QString &source, const Scenario &scenario)
{
    if (!scenario.trace)
        return ExitStatus::Ok;
    const TraceRecording &trace = *scenario.trace;
    if (trace.error.kind != TraceError::Kind::None) {
        writeErr(Diagnostic::escaped(source + QStringLiteral(": ") + trace.error.toString())
                 + u'\n');
        return ExitStatus::TraceDamaged;
    }
    const QString ended = TraceScenario::endText(trace);
    if (!ended.isEmpty())
        writeErr(Diagnostic::escaped(source + QStringLiteral(": ") + ended) + u'\n');
    return ExitStatus::Ok;
}

} // namespace Lifeline
