// SPDX-License-Identifier: MIT
#include "tracecommand.h"

#include "commandsupport.h"
#include "guimodule.h"
#include "traceendrecord.h"
#include "tracelaunch.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace Lifeline {

namespace {

constexpr int ExitOwnFailure = TraceEndRecord::OwnFailure;

constexpr char Usage[]
    = "Usage: lifeline trace [options] PROGRAM.py [ARGS...]\n"
      "       lifeline trace [options] -m MODULE [ARGS...]\n\n"
      "Runs a Python program (3.11 or newer) under Lifeline's tracer and writes what its async\n"
      "resources, tasks, exceptions and prints did to a trace file, which every other command\n"
      "and the window open like a scenario. The program's input, output, working directory and\n"
      "environment are its own; lifeline trace prints nothing but its own errors (on stderr) and\n"
      "exits with the program's status (128+N when a signal N ended it), or 125 when it could\n"
      "not trace it at all.\n\n"
      "Options (they end at PROGRAM or -m MODULE; the rest goes to the program):\n"
      "  -o, --output OUT   the trace file (default: PROGRAM with .py replaced by .lltrace,\n"
      "                     or MODULE.lltrace in the working directory)\n"
      "  --virtual-clock    record asyncio's clock as a scenario's virtual milliseconds: sleeps\n"
      "                     take no time and times come out as whole milliseconds\n"
      "  --live             open the window and show the program's lifecycles and output while\n"
      "                     it runs (Stop ends it: SIGINT, then SIGKILL after 2 s); its stdin is\n"
      "                     closed; lifeline exits when the window is closed\n"
      "  --python EXE       the Python to run (default: python3 on PATH)\n"
      "  --include PKG      also trace this package's code (repeatable)\n"
      "  --exclude PATH     do not trace code under PATH (repeatable)\n"
      "  -h, --help         this help\n";

// `lifeline trace: text`, escaped: a program or OUT name cannot put control characters on the
// terminal. The traced program's own output is its own and never passes here.
void say(const QString &text)
{
    CommandSupport::fail(text, QStringLiteral("trace"));
}

// 0 when parsed; otherwise the status to exit with (after --help: 0 as well, with `*done`).
int parse(int argc, char **argv, TraceLaunch *o, bool *done)
{
    int i = 2;
    // `--name VALUE` or `--name=VALUE`.
    auto value = [&](const char *arg, const char *name, QByteArray *out) {
        const size_t n = std::strlen(name);
        if (std::strncmp(arg, name, n) != 0)
            return false;
        if (arg[n] == '=') {
            *out = QByteArray(arg + n + 1);
            if (out->isEmpty())
                say(QStringLiteral("%1 needs a value").arg(QLatin1String(name)));
            return true;
        }
        if (arg[n] != '\0')
            return false;
        if (i + 1 >= argc) {
            say(QStringLiteral("%1 needs a value").arg(QLatin1String(name)));
            *out = QByteArray();
            return true;
        }
        *out = QByteArray(argv[++i]);
        return true;
    };
    for (; i < argc; ++i) {
        const char *a = argv[i];
        QByteArray v;
        if (std::strcmp(a, "-h") == 0 || std::strcmp(a, "--help") == 0) {
            std::fputs(Usage, stdout);
            *done = true;
            return 0;
        }
        if (std::strcmp(a, "--") == 0) {
            ++i;
            break;
        }
        if (std::strcmp(a, "--virtual-clock") == 0) {
            o->virtualClock = true;
        } else if (std::strcmp(a, "--live") == 0) {
            o->live = true;
        } else if (value(a, "--python", &v)) {
            if (v.isEmpty())
                return ExitOwnFailure;
            o->python = v;
        } else if (value(a, "-o", &v) || value(a, "--output", &v)) {
            if (v.isEmpty())
                return ExitOwnFailure;
            o->out = v;
        } else if (value(a, "--include", &v)) {
            if (v.isEmpty())
                return ExitOwnFailure;
            o->includes.push_back(v);
        } else if (value(a, "--exclude", &v)) {
            if (v.isEmpty())
                return ExitOwnFailure;
            o->excludes.push_back(v);
        } else if (std::strcmp(a, "-m") == 0) {
            if (i + 1 >= argc) {
                say(QStringLiteral("-m needs a module"));
                return ExitOwnFailure;
            }
            o->module = true;
            o->program = argv[++i];
            ++i;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            say(QStringLiteral("unknown option \"%1\" (options come before the program; "
                               "`lifeline trace --help` lists them)")
                    .arg(QString::fromLocal8Bit(a)));
            return ExitOwnFailure;
        } else {
            break;
        }
    }
    if (!o->module) {
        if (i >= argc) {
            std::fputs(Usage, stderr);
            return ExitOwnFailure;
        }
        o->program = argv[i++];
    }
    for (; i < argc; ++i)
        o->arguments.emplace_back(argv[i]);
    return 0;
}

// Runs `args` as a child with the same stdin, stdout, stderr, directory and environment; while
// it runs, this process ignores SIGINT and SIGQUIT as system(3) does, so Ctrl-C reaches the
// child alone. Returns its wait status, or -1 with `*execError` set when it could not start.
int runChild(const std::vector<QByteArray> &args, int *execError)
{
    std::vector<char *> argv;
    for (const QByteArray &a : args)
        argv.push_back(const_cast<char *>(a.constData()));
    argv.push_back(nullptr);

    // The child reports a failed exec on a pipe that closes by itself when exec succeeds.
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        *execError = errno;
        return -1;
    }
    struct sigaction ignore = {}, oldInt = {}, oldQuit = {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGINT, &ignore, &oldInt);
    sigaction(SIGQUIT, &ignore, &oldQuit);
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &oldInt, nullptr);
        sigaction(SIGQUIT, &oldQuit, nullptr);
        close(report[0]);
        execvp(argv[0], argv.data());
        const int error = errno;
        ssize_t written = write(report[1], &error, sizeof error);
        (void)written;
        _exit(127);
    }
    close(report[1]);
    int status = -1;
    if (pid < 0) {
        *execError = errno;
    } else {
        int error = 0;
        ssize_t n;
        do
            n = read(report[0], &error, sizeof error);
        while (n < 0 && errno == EINTR);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
        if (n == ssize_t(sizeof error)) {
            *execError = error;
            status = -1;
        }
    }
    close(report[0]);
    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGQUIT, &oldQuit, nullptr);
    return status;
}

} // namespace

int TraceCommand::run(int argc, char **argv)
{
    TraceLaunch o;
    bool done = false;
    if (const int status = parse(argc, argv, &o, &done); status != 0 || done)
        return status;
    const QString python = QString::fromLocal8Bit(o.python);
    const QString program = QString::fromLocal8Bit(o.program);

    // No application object exists: ask the kernel where the executable is.
    const QString exe = QFile::symLinkTarget(QStringLiteral("/proc/self/exe"));
    QStringList searched;
    const QString tracer = TraceLaunch::tracerDirectory(QFileInfo(exe).absolutePath(), &searched);
    if (tracer.isEmpty()) {
        say(QStringLiteral("cannot find the tracer (lifeline_trace.py) in %1")
                .arg(searched.join(QLatin1String(" or "))));
        return ExitOwnFailure;
    }

    // A missing program is the program's failure, as with plain python3: the tracer says so
    // in Python's words and exits 2, and the trace records how it ended.
    const QByteArray out
        = o.out.isEmpty() ? TraceLaunch::defaultOutput(program, o.module).toLocal8Bit() : o.out;
    o.out = out;
    // Created here, so a program that cannot be traced leaves no stale trace behind; the
    // tracer appends to it.
    const int fd = open(out.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        say(QStringLiteral("cannot write %1: %2")
                .arg(QString::fromLocal8Bit(out), QString::fromLocal8Bit(std::strerror(errno))));
        return ExitOwnFailure;
    }
    close(fd);
    if (o.live) {
        // The window runs the program itself, as a child whose output it shows.
        QString error;
        const GuiCommands *gui = GuiModule::load(&error);
        if (!gui) {
            say(error);
            return ExitOwnFailure;
        }
        return gui->runLiveTrace(argc, argv, o, tracer);
    }

    int execError = 0;
    const int status
        = runChild(o.commandLine(tracer + QStringLiteral("/lifeline_trace.py")), &execError);
    if (status < 0) {
        say(QStringLiteral("cannot run %1: %2 (--python names another Python)")
                .arg(python, QString::fromLocal8Bit(std::strerror(execError))));
        unlink(out.constData());
        return ExitOwnFailure;
    }
    // The tracer writes the file's header first thing: a file still empty after a normal
    // exit means it never started (a Python older than 3.11, which says so and exits 125,
    // or something that is not a Python). No separate version check runs first: that was a
    // second interpreter start-up on every trace.
    struct stat st = {};
    if (WIFEXITED(status) && stat(out.constData(), &st) == 0 && st.st_size == 0) {
        unlink(out.constData());
        if (WEXITSTATUS(status) != ExitOwnFailure) {
            say(QStringLiteral("%1 did not run the tracer (exit status %2): it needs Python "
                               "3.11 or later (--python names another Python)")
                    .arg(python)
                    .arg(WEXITSTATUS(status)));
        }
        return ExitOwnFailure;
    }
    const TraceEnd end = TraceEndRecord::fromWaitStatus(status);
    if (!TraceEndRecord::append(out, end)) {
        say(QStringLiteral("cannot finish %1: %2")
                .arg(QString::fromLocal8Bit(out), QString::fromLocal8Bit(std::strerror(errno))));
    }
    return TraceEndRecord::exitStatus(end);
}

} // namespace Lifeline
