// SPDX-License-Identifier: MIT
#include "guimodule.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLibrary>

// LIFELINE_INSTALLED_MODULE_DIR, the module directory relative to bin/, comes from
// GNUInstallDirs (src/app/CMakeLists.txt).

namespace Lifeline {

QStringList GuiModule::candidates(const QString &executableDir)
{
    const QDir dir(executableDir);
    return { QDir::cleanPath(dir.filePath(QStringLiteral("lifeline-gui.so"))),
             QDir::cleanPath(
                 dir.filePath(QStringLiteral(LIFELINE_INSTALLED_MODULE_DIR "/lifeline-gui.so"))) };
}

QString GuiModule::find(const QString &executableDir)
{
    for (const QString &path : candidates(executableDir)) {
        if (QFileInfo(path).isFile())
            return path;
    }
    return {};
}

const GuiCommands *GuiModule::load(QString *error)
{
    // Never unloaded: the window's objects live until the process exits.
    static QLibrary library;
    static const GuiCommands *commands = nullptr;
    if (commands)
        return commands;
    // No application object exists yet (the module makes its own), so ask the kernel rather
    // than QCoreApplication::applicationDirPath().
    const QString exe = QFile::symLinkTarget(QStringLiteral("/proc/self/exe"));
    const QString exeDir = QFileInfo(exe).absolutePath();
    const QString path = find(exeDir);
    if (path.isEmpty()) {
        const QStringList looked = candidates(exeDir);
        *error = QStringLiteral("cannot load the window module: neither %1 nor %2 exists")
                     .arg(looked.at(0), looked.at(1));
        return nullptr;
    }
    library.setFileName(path);
    using Entry = const GuiCommands *(*)();
    const auto entry = reinterpret_cast<Entry>(library.resolve(LIFELINE_GUI_COMMANDS_SYMBOL));
    if (!entry) {
        *error = QStringLiteral("cannot load the window module: %1").arg(library.errorString());
        return nullptr;
    }
    commands = entry();
    return commands;
}

} // namespace Lifeline
