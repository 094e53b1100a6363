#include "guimodule.h"

#include <QFile>
#include <QFileInfo>
#include <QLibrary>

namespace Lifeline {

QString GuiModule::path()
{
    // No application object exists yet (the module makes its own), so ask the kernel rather
    // than QCoreApplication::applicationDirPath().
    const QString exe = QFile::symLinkTarget(QStringLiteral("/proc/self/exe"));
    return QFileInfo(exe).absolutePath() + QStringLiteral("/lifeline-gui.so");
}

const GuiCommands *GuiModule::load(QString *error)
{
    // Never unloaded: the window's objects live until the process exits.
    static QLibrary library;
    static const GuiCommands *commands = nullptr;
    if (commands)
        return commands;
    library.setFileName(path());
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
