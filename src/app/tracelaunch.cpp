// SPDX-License-Identifier: MIT
#include "tracelaunch.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace Lifeline {

QString TraceLaunch::programName() const
{
    const QString name = QString::fromLocal8Bit(program);
    return module ? QStringLiteral("-m ") + name : name;
}

std::vector<QByteArray> TraceLaunch::commandLine(const QString &tracerScript) const
{
    std::vector<QByteArray> args = { python, QFile::encodeName(tracerScript), "--out", out };
    if (virtualClock)
        args.emplace_back("--virtual-clock");
    if (live)
        args.emplace_back("--live");
    for (const QByteArray &p : includes)
        args.insert(args.end(), { "--include", p });
    for (const QByteArray &p : excludes)
        args.insert(args.end(), { "--exclude", p });
    args.emplace_back("--");
    if (module)
        args.emplace_back("-m");
    args.push_back(program);
    args.insert(args.end(), arguments.begin(), arguments.end());
    return args;
}

QString TraceLaunch::tracerDirectory(const QString &executableDir, QStringList *searched)
{
    // LIFELINE_INSTALLED_TRACER_DIR comes from GNUInstallDirs (src/app/CMakeLists.txt); the
    // build tree copies the tracer to build/share/lifeline/tracer.
    for (const char *relative :
         { "/" LIFELINE_INSTALLED_TRACER_DIR, "/../../share/lifeline/tracer" }) {
        const QString dir = QDir::cleanPath(executableDir + QLatin1String(relative));
        if (searched)
            searched->append(dir);
        if (QFileInfo(dir + QStringLiteral("/lifeline_trace.py")).isFile())
            return dir;
    }
    return {};
}

QString TraceLaunch::defaultOutput(const QString &programOrModule, bool isModule)
{
    if (isModule)
        return programOrModule + QStringLiteral(".lltrace");
    QString base = programOrModule;
    if (base.endsWith(QLatin1String(".py")))
        base.chop(3);
    return base + QStringLiteral(".lltrace");
}

} // namespace Lifeline
