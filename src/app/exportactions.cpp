// SPDX-License-Identifier: MIT
#include "exportactions.h"

#include "runcontroller.h"
#include "scenarioopener.h"
#include "timelinerenderer.h"
#include "timelinewidget.h"
#include "traceexporter.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QSaveFile>

#include <algorithm>

namespace Lifeline {

ExportActions::ExportActions(QWidget *window, RunController *controller,
                             const TimelineWidget *timeline)
    : QObject(window)
    , m_window(window)
    , m_controller(controller)
    , m_timeline(timeline)
{
}

void ExportActions::setScenario(std::shared_ptr<const OpenedScenario> opened)
{
    m_opened = std::move(opened);
}

bool ExportActions::exportImage(const QString &path, QString *error)
{
    if (!m_controller->log())
        return false;
    // The whole recorded run, at least as wide as the window shows it.
    return TimelineRenderer::renderFile(
        *m_controller->log(), path, std::max(TimelineRenderer::DefaultWidth, m_timeline->width()),
        error);
}

bool ExportActions::exportTrace(const QString &path, QString *error)
{
    if (!m_controller->log())
        return false;
    const QString title = m_controller->scenario()->title;
    QSaveFile file(path);
    const QByteArray json
        = TraceExporter::toJson(*m_controller->log(), title, m_controller->position());
    if (!file.open(QIODevice::WriteOnly) || file.write(json) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

bool ExportActions::exportPython(const QString &path, QString *error)
{
    if (!m_opened)
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_opened->python.code.toUtf8()) < 0
        || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void ExportActions::chooseAndExport(const QString &title, const QString &defaultName,
                                    const QString &filter,
                                    bool (ExportActions::*write)(const QString &, QString *))
{
    const QString path = QFileDialog::getSaveFileName(m_window, title, defaultName, filter);
    QString error;
    if (!path.isEmpty() && !(this->*write)(path, &error))
        QMessageBox::warning(m_window, title,
                             Diagnostic::escaped(tr("Could not write %1: %2").arg(path, error)));
}

void ExportActions::chooseAndExportImage()
{
    chooseAndExport(tr("Export image"), QStringLiteral("timeline.png"),
                    tr("PNG image (*.png);;SVG drawing (*.svg)"), &ExportActions::exportImage);
}

void ExportActions::chooseAndExportTrace()
{
    chooseAndExport(tr("Export trace"), QStringLiteral("trace.json"), tr("Chrome trace (*.json)"),
                    &ExportActions::exportTrace);
}

void ExportActions::chooseAndExportPython()
{
    chooseAndExport(tr("Export Python"), QStringLiteral("scenario.py"), tr("Python (*.py)"),
                    &ExportActions::exportPython);
}

} // namespace Lifeline
