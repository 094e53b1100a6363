// SPDX-License-Identifier: MIT
#pragma once
// The window's three exports: the timeline as PNG or SVG, the run as a Chrome trace, the
// scenario as its Python program. Each has a file dialog, and the work without it for tests.
// Files are written through QSaveFile, so a failed export never leaves half a file behind.

#include <QObject>
#include <memory>

class QWidget;

namespace Lifeline {

class RunController;
class TimelineWidget;
struct OpenedScenario;

class ExportActions : public QObject
{
    Q_OBJECT
public:
    // `window` parents the dialogs; the timeline's width is the image's least width.
    ExportActions(QWidget *window, RunController *controller, const TimelineWidget *timeline);

    // The scenario whose Python program Export Python writes (none: the action does nothing).
    void setScenario(std::shared_ptr<const OpenedScenario> opened);

    bool exportImage(const QString &path, QString *error = nullptr);
    bool exportTrace(const QString &path, QString *error = nullptr);
    bool exportPython(const QString &path, QString *error = nullptr);

    void chooseAndExportImage();
    void chooseAndExportTrace();
    void chooseAndExportPython();

private:
    // Asks for a file name; on a failed write, says why in a message box.
    void chooseAndExport(const QString &title, const QString &defaultName, const QString &filter,
                         bool (ExportActions::*write)(const QString &, QString *));

    QWidget *m_window;
    RunController *m_controller;
    const TimelineWidget *m_timeline;
    std::shared_ptr<const OpenedScenario> m_opened;
};

} // namespace Lifeline
