// SPDX-License-Identifier: MIT
#pragma once
// What `lifeline trace` was asked to run, and the tracer's command line for it
// (src/tracer/lifeline_trace.py --out OUT ... -- PROGRAM ARGS...): one description shared by the
// command, which runs it with fork and exec, and the window's live traces, which run it with
// QProcess. Plain data: it never starts anything. Arguments stay the bytes they were given.

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace Lifeline {

struct TraceLaunch
{
    QByteArray python = "python3";
    QByteArray out; // empty: defaultOutput()
    bool virtualClock = false;
    bool live = false; // hand events over every 40 ms and show them in the window as they come
    std::vector<QByteArray> includes, excludes;
    QByteArray program; // or the module with `module`
    bool module = false;
    std::vector<QByteArray> arguments;
    // Where the program runs; empty: this process's working directory (the command's case).
    QString workingDirectory;

    // The program's name for messages: `prog.py`, or `-m pkg.mod`.
    QString programName() const;
    // python, the tracer script, its options, `--`, then the program and its arguments.
    std::vector<QByteArray> commandLine(const QString &tracerScript) const;

    // Where the tracer's lifeline_trace.py is, relative to the executable's directory: the
    // installed `../share/lifeline/tracer` (as GNUInstallDirs places it), then the build tree's
    // `../../share/lifeline/tracer`.
    // Empty when neither holds it; `searched` gets the directories looked in.
    static QString tracerDirectory(const QString &executableDir, QStringList *searched = nullptr);
    // OUT when -o is not given: PROGRAM with `.py` replaced by `.lltrace`, or `MODULE.lltrace`.
    static QString defaultOutput(const QString &programOrModule, bool isModule);
};

} // namespace Lifeline
