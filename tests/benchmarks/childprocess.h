// SPDX-License-Identifier: MIT
#pragma once
// Runs one command as a child process and measures it the way the engine benchmark compares
// Lifeline with CPython: wall time from fork to reaping, and peak resident memory from wait4()'s
// rusage (ru_maxrss, the child's own high-water mark, unaffected by the parent). Stdout goes to
// a file or /dev/null so that output costs what writing it costs, and never fills a pipe.

#include <QString>
#include <QStringList>

namespace Lifeline {

class ChildProcess
{
public:
    struct Result
    {
        double seconds = 0;
        qint64 peakKb = 0;
        int exitCode = -1; // -1 when the child did not exit normally (signal, exec failure)
        QString errorOutput; // the child's stderr, for failure messages
    };

    // argv[0] is looked up in PATH. stdoutPath empty means /dev/null.
    static Result run(const QStringList &argv, const QString &stdoutPath = QString());
};

} // namespace Lifeline
