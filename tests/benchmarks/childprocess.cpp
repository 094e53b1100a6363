// SPDX-License-Identifier: MIT
#include "childprocess.h"

#include <QFile>
#include <QTemporaryFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace Lifeline {

namespace {

double monotonicSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

} // namespace

ChildProcess::Result ChildProcess::run(const QStringList &argv, const QString &stdoutPath)
{
    Result result;
    // Everything the child needs is prepared before fork(): after it, only async-signal-safe
    // calls (open, dup2, execvp, _exit).
    std::vector<QByteArray> args;
    for (const QString &a : argv)
        args.push_back(a.toLocal8Bit());
    std::vector<char *> cargs;
    for (QByteArray &a : args)
        cargs.push_back(a.data());
    cargs.push_back(nullptr);
    const QByteArray out
        = stdoutPath.isEmpty() ? QByteArray("/dev/null") : stdoutPath.toLocal8Bit();
    QTemporaryFile err;
    if (!err.open()) {
        result.errorOutput = QStringLiteral("cannot create a temporary file for stderr");
        return result;
    }
    const int errFd = int(err.handle());

    const double start = monotonicSeconds();
    const pid_t pid = fork();
    if (pid == 0) {
        const int outFd = open(out.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (outFd < 0)
            _exit(127);
        dup2(outFd, STDOUT_FILENO);
        dup2(errFd, STDERR_FILENO);
        execvp(cargs[0], cargs.data());
        _exit(127);
    }
    if (pid < 0) {
        result.errorOutput = QStringLiteral("fork failed");
        return result;
    }
    int status = 0;
    rusage usage {};
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) { }
    result.seconds = monotonicSeconds() - start;
    result.peakKb = qint64(usage.ru_maxrss); // kilobytes on Linux
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    QFile errFile(err.fileName());
    if (errFile.open(QIODevice::ReadOnly))
        result.errorOutput = QString::fromLocal8Bit(errFile.readAll().right(4000));
    return result;
}

} // namespace Lifeline
