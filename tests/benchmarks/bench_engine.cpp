// SPDX-License-Identifier: MIT
// The engine benchmark: each workload run by Lifeline and, in the same run, by CPython 3.11
// executing the exported program under tests/python/vclock_runner.py, printed side by side.
//
//   bench_engine [--quick | --full] [--only WORKLOAD] [--workdir DIR] [--repeat K]
//                [--python PYTHON]
//
// Each side runs once uncounted, then --repeat times (default 2), and its fastest run counts,
// so that a busy shared machine disturbs both sides alike. A workload whose Lifeline run is
// short (a few milliseconds move by a tenth between runs here) gets more timed runs, the same
// number on both sides, so that Lifeline's add up to a quarter of a second (at most 20): the
// table's `runs` column. Every workload's Lifeline side runs
// before any CPython side: right after a 1.6 GB compile the kernel is still reclaiming, and
// the next process's runs were slower by up to half. How each figure is taken (all in virtual
// time, output to /dev/null):
// - Lifeline: `lifeline run FILE` as a child process; wall time from fork to wait4(), peak RSS
//   from wait4()'s ru_maxrss. It includes process start and loading the JSON.
// - CPython: the exported program is byte-compiled first (`py_compile`, timed and shown in its
//   own columns), then `python3 vclock_runner.py PROGRAM.pyc` is measured the same way. The
//   exported program defines one function per TASK, so for 100k tasks compiling the source
//   takes longer than running it and its AST needs ~1.6 GB: counting it would flatter Lifeline
//   several times over. Running the .pyc is what a deployed program does, and the stricter
//   baseline; the ratio is CPython's run time over Lifeline's.
// - The event log and memory figures come from `bench_engine --probe FILE`, a child of this
//   program that loads and runs the scenario in-process (RunProbe).
// - Per in-flight lifecycle (the `inflight` workload, where every lifecycle is alive at once):
//   (peak RSS during the run - RSS once the scenario is loaded - EventLog::memoryUsage()) / N.
//   The probe trims malloc's free pages after loading and resets the kernel's high-water mark
//   (/proc/self/clear_refs), so the baseline is "the same scenario loaded but not run" in the
//   same process, and the loader's transient peak does not hide the run's. The log's bytes are
//   its final size, a slight over-subtraction (at the peak some events are not yet written).
//   Each lifecycle here includes its task: one task, one instance, their coroutine frames.
// - Event log per span: EventLog::memoryUsage() / spans, spans as RunProbe::countSpans() counts
//   what the timeline draws (phase spans per instance lane, one span per task lane).
// - Load: ScenarioLoader::fromData on the 1M-task `gather` file in this process (best of
//   three, file already in memory) for MB/s; `lifeline check FILE` against CPython's
//   `json.load` of the same file (parsing only, no validation), each the fastest of --repeat.

#include "childprocess.h"
#include "runprobe.h"
#include "scenarioloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTemporaryFile>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Lifeline;

namespace {

struct Workload
{
    const char *name; // the generator's workload name
    const char *label; // the table's
    qint64 n;
    double speedGoal; // minimum CPython/Lifeline time ratio; 0: no time goal
    bool memoryGoals; // the in-flight goals: RSS ratio, bytes per lifecycle and per span
    bool fullOnly;
};

const Workload kWorkloads[] = {
    { "gather", "1 gather", 10'000, 50, false, false },
    { "gather", "1 gather", 100'000, 50, false, false },
    { "gather", "1 gather", 1'000'000, 0, false, true },
    { "seq-class", "2 sequential class", 100'000, 50, false, false },
    { "seq-generator", "2 sequential gen", 100'000, 50, false, false },
    { "exceptions", "3 exceptions", 10'000, 20, false, false },
    { "inflight", "4 in flight", 100'000, 0, true, false },
    { "inflight", "4 in flight", 1'000'000, 0, true, true },
};
constexpr qint64 kLoadN = 1'000'000;

constexpr double kSpanGoal = 24;
constexpr double kLifecycleGoal = 256;
constexpr double kRssRatioGoal = 0.25;
constexpr double kLoadGoalMBps = 200;

struct Options
{
    bool full = false;
    QString only;
    QString workdir;
    QString python = QStringLiteral(LIFELINE_PYTHON);
    int repeat = 2; // each side runs this often; the fastest run counts (the machine may be shared)
};

struct Row
{
    const Workload *w = nullptr;
    ChildProcess::Result lifeline, compile, cpython;
    RunProbe::Figures probe;
    QString cpythonSkipped; // why CPython did not run this row (empty: it did)
    int runs = 0; // timed runs of each side
};

// A workload whose Lifeline run is short gets more timed runs (the same on both sides), up to
// this many, so that Lifeline's add up to about kShortSideSeconds.
constexpr int kMaxRuns = 20;
constexpr double kShortSideSeconds = 0.25;

// Compiling the exported program peaks at about 16 KB per TASK (1.6 GB for 100k tasks: one
// function per TASK, its AST and code object); CPython is skipped when that would not fit.
constexpr qint64 kCompileBytesPerTask = 20 * 1024;

qint64 availableBytes()
{
    QFile f(QStringLiteral("/proc/meminfo"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("MemAvailable:"))
            return line.mid(13).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return -1;
}

QString sizeLabel(qint64 n)
{
    if (n >= 1'000'000 && n % 1'000'000 == 0)
        return QStringLiteral("%1M").arg(n / 1'000'000);
    if (n >= 1000 && n % 1000 == 0)
        return QStringLiteral("%1k").arg(n / 1000);
    return QString::number(n);
}

double mb(qint64 kb)
{
    return double(kb) / 1024.0;
}

void out(const char *format, auto... args)
{
    std::printf(format, args...);
    std::fflush(stdout);
}

void fail(const QString &what, const ChildProcess::Result &r)
{
    out("FAILED: %s (exit %d)\n%s\n", qPrintable(what), r.exitCode, qPrintable(r.errorOutput));
}

// Runs a helper step whose cost is not a figure; false (and a message) when it fails.
bool prepare(const QStringList &argv)
{
    const ChildProcess::Result r = ChildProcess::run(argv);
    if (r.exitCode != 0)
        fail(argv.join(u' '), r);
    return r.exitCode == 0;
}

bool generate(const Options &o, const char *workload, qint64 n, const QString &file)
{
    return prepare({ o.python, QStringLiteral(LIFELINE_BENCH_DIR "/workloadgenerator.py"),
                     QString::fromLatin1(workload), QString::number(n), file });
}

RunProbe::Figures probe(const QString &file)
{
    QTemporaryFile result;
    result.open();
    const ChildProcess::Result r = ChildProcess::run(
        { QCoreApplication::applicationFilePath(), QStringLiteral("--probe"), file },
        result.fileName());
    if (r.exitCode != 0) {
        fail(QStringLiteral("probe %1").arg(file), r);
        return {};
    }
    return RunProbe::fromLine(QString::fromLatin1(result.readAll()));
}

// The fastest of `runs` runs after an uncounted one, with its peak RSS; stops at the first
// failure.
ChildProcess::Result fastest(int runs, const QStringList &argv)
{
    ChildProcess::Result best = ChildProcess::run(argv);
    if (best.exitCode != 0)
        return best;
    for (int i = 0; i < runs; ++i) {
        const ChildProcess::Result r = ChildProcess::run(argv);
        if (r.exitCode != 0)
            return r;
        if (i == 0 || r.seconds < best.seconds)
            best = r;
    }
    return best;
}

QString workloadBase(const QDir &dir, const Workload &w)
{
    return dir.filePath(QStringLiteral("%1-%2").arg(QLatin1String(w.name)).arg(w.n));
}

// Lifeline's side of a workload: its file, its timed runs and its probe. The file stays for
// CPython's side.
bool runLifelineSide(const Options &o, const QDir &dir, const Workload &w, Row *row)
{
    const QString json = workloadBase(dir, w) + QStringLiteral(".json");
    if (!generate(o, w.name, w.n, json))
        return false;
    row->w = &w;
    // A run of a few milliseconds moves by a tenth from one to the next on this kind of
    // machine: such a workload gets more timed runs, on both sides alike, so that Lifeline's
    // add up to about a quarter of a second (at most kMaxRuns).
    const QStringList argv { QStringLiteral(LIFELINE_BINARY), QStringLiteral("run"), json };
    const ChildProcess::Result sizing = ChildProcess::run(argv);
    row->runs = sizing.exitCode == 0 && sizing.seconds > 0
        ? std::clamp(int(kShortSideSeconds / sizing.seconds), o.repeat, kMaxRuns)
        : o.repeat;
    row->lifeline = fastest(row->runs, argv);
    if (row->lifeline.exitCode != 0) {
        fail(QStringLiteral("lifeline run %1").arg(json), row->lifeline);
        return false;
    }
    row->probe = probe(json);
    return true;
}

bool runCpythonSide(const Options &o, const QDir &dir, Row *row)
{
    const Workload &w = *row->w;
    const QString base = workloadBase(dir, w);
    const QString json = base + QStringLiteral(".json");
    const QString py = base + QStringLiteral(".py");
    const QString pyc = base + QStringLiteral(".pyc");
    const auto cleanUp = [&] {
        if (o.workdir.isEmpty()) { // keep the disk free: the 1M files are hundreds of MB
            QFile::remove(py);
            QFile::remove(pyc);
            QFile::remove(json);
        }
    };
    const qint64 available = availableBytes();
    if (available >= 0 && kCompileBytesPerTask * w.n > available * 8 / 10) {
        row->cpythonSkipped = QStringLiteral("CPython skipped: compiling needs ~%1 GB, %2 GB free")
                                  .arg(double(kCompileBytesPerTask * w.n) / 1e9, 0, 'f', 0)
                                  .arg(double(available) / 1e9, 0, 'f', 0);
        cleanUp();
        return true;
    }
    if (!prepare({ QStringLiteral(LIFELINE_BINARY), QStringLiteral("export-python"), json,
                   QStringLiteral("-o"), py }))
        return false;
    row->compile = ChildProcess::run(
        { o.python, QStringLiteral("-c"),
          QStringLiteral("import py_compile, sys; "
                         "py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)"),
          py, pyc });
    if (row->compile.exitCode != 0) {
        fail(QStringLiteral("py_compile %1").arg(py), row->compile);
        return false;
    }
    row->cpython = fastest(row->runs, { o.python, QStringLiteral(LIFELINE_VCLOCK_RUNNER), pyc });
    if (row->cpython.exitCode != 0) {
        fail(QStringLiteral("vclock_runner %1").arg(pyc), row->cpython);
        return false;
    }
    cleanUp();
    return true;
}

const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

void printTimeRow(const Row &r)
{
    if (!r.cpythonSkipped.isEmpty()) {
        out("%-20s %5s %9.3f %8.1f %9s %8s %9s %6s %9s %8s %4d  %s\n", r.w->label,
            qPrintable(sizeLabel(r.w->n)), r.lifeline.seconds, mb(r.lifeline.peakKb), "-", "-", "-",
            "-", "-", "-", r.runs, qPrintable(r.cpythonSkipped));
        return;
    }
    const double speed = r.cpython.seconds / r.lifeline.seconds;
    const double memRatio = double(r.lifeline.peakKb) / double(r.cpython.peakKb);
    QString goal;
    if (r.w->speedGoal > 0)
        goal = QStringLiteral("time >= %1x: %2")
                   .arg(r.w->speedGoal)
                   .arg(verdict(speed >= r.w->speedGoal));
    else if (r.w->memoryGoals)
        goal = QStringLiteral("RSS <= 1/4: %1").arg(verdict(memRatio <= kRssRatioGoal));
    out("%-20s %5s %9.3f %8.1f %9.3f %8.1f %8.1fx %6.2f %9.3f %8.1f %4d  %s\n", r.w->label,
        qPrintable(sizeLabel(r.w->n)), r.lifeline.seconds, mb(r.lifeline.peakKb), r.cpython.seconds,
        mb(r.cpython.peakKb), speed, memRatio, r.compile.seconds, mb(r.compile.peakKb), r.runs,
        qPrintable(goal));
}

void printLogRow(const Row &r)
{
    const RunProbe::Figures &p = r.probe;
    const double perSpan = p.spans ? double(p.logBytes) / double(p.spans) : 0;
    const double runKb = double(p.peakKb - p.loadedKb);
    const double perLifecycle
        = p.peakKb ? (runKb * 1024.0 - double(p.logBytes)) / double(r.w->n) : 0;
    QString goal;
    if (r.w->memoryGoals) {
        goal = QStringLiteral("span <= %1 B: %2; lifecycle <= %3 B: %4")
                   .arg(kSpanGoal)
                   .arg(verdict(perSpan <= kSpanGoal))
                   .arg(kLifecycleGoal)
                   .arg(verdict(p.peakKb && perLifecycle <= kLifecycleGoal));
    }
    out("%-20s %5s %10lld %10lld %9.1f %7.1f %7.3f %7.3f %9.1f %9.1f %10.1f  %s\n", r.w->label,
        qPrintable(sizeLabel(r.w->n)), p.events, p.spans, double(p.logBytes) / 1048576.0, perSpan,
        p.loadSeconds, p.runSeconds, mb(p.loadedKb), runKb / 1024.0, perLifecycle,
        qPrintable(goal));
}

void runLoadBenchmark(const Options &o, const QDir &dir)
{
    const QString json = dir.filePath(QStringLiteral("load-gather-%1.json").arg(kLoadN));
    if (!generate(o, "gather", kLoadN, json))
        return;
    QFile f(json);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QByteArray data = f.readAll();
    f.close();
    double best = 1e30;
    bool valid = true;
    for (int i = 0; i < 3 && valid; ++i) {
        QElapsedTimer t;
        t.start();
        valid = ScenarioLoader::fromData(data, json, nullptr) != nullptr;
        best = std::min(best, double(t.nsecsElapsed()) * 1e-9);
    }
    const double fileMB = double(data.size()) / 1e6;
    // Like every other row, the fastest of --repeat runs: a single run right after this
    // process's loads above measured the machine's first touch of fresh memory, 2-4x slower.
    const ChildProcess::Result check
        = fastest(o.repeat, { QStringLiteral(LIFELINE_BINARY), QStringLiteral("check"), json });
    const ChildProcess::Result py = fastest(
        o.repeat,
        { o.python, QStringLiteral("-c"),
          QStringLiteral("import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"),
          json });
    if (!valid || check.exitCode != 0 || py.exitCode != 0) {
        fail(QStringLiteral("loading %1").arg(json), check.exitCode != 0 ? check : py);
        return;
    }
    const double rate = fileMB / best;
    out("\nWorkload 6: load and validate the %s-task gather (%.1f MB of JSON)\n",
        qPrintable(sizeLabel(kLoadN)), fileMB);
    out("%-34s %9s %8s\n", "", "time s", "peak MB");
    out("%-34s %9.3f %8s  %.0f MB/s (goal >= %.0f MB/s: %s)\n",
        "ScenarioLoader::fromData, best of 3", best, "", rate, kLoadGoalMBps,
        verdict(rate >= kLoadGoalMBps));
    out("%-34s %9.3f %8.1f\n", "lifeline check (process)", check.seconds, mb(check.peakKb));
    out("%-34s %9.3f %8.1f  (CPython parses only; ratio %.1fx)\n", "CPython json.load (process)",
        py.seconds, mb(py.peakKb), py.seconds / check.seconds);
    if (o.workdir.isEmpty())
        QFile::remove(json);
}

int usage()
{
    std::fprintf(stderr,
                 "usage: bench_engine [--quick | --full] [--only WORKLOAD] "
                 "[--workdir DIR] [--python PYTHON] [--repeat K]\n"
                 "       bench_engine --probe FILE\n"
                 "WORKLOAD: gather, seq-class, seq-generator, exceptions, inflight, load\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() == 2 && args[0] == QLatin1String("--probe")) {
        const RunProbe::Figures f = RunProbe::measure(args[1]);
        out("%s\n", qPrintable(RunProbe::toLine(f)));
        return f.ok ? 0 : 1;
    }
    Options o;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--quick"))
            o.full = false;
        else if (a == QLatin1String("--full"))
            o.full = true;
        else if (a == QLatin1String("--only") && i + 1 < args.size())
            o.only = args[++i];
        else if (a == QLatin1String("--workdir") && i + 1 < args.size())
            o.workdir = args[++i];
        else if (a == QLatin1String("--python") && i + 1 < args.size())
            o.python = args[++i];
        else if (a == QLatin1String("--repeat") && i + 1 < args.size())
            o.repeat = std::max(1, args[++i].toInt());
        else
            return usage();
    }
    QTemporaryDir temp;
    if (o.workdir.isEmpty() && !temp.isValid())
        return 1;
    const QDir dir(o.workdir.isEmpty() ? temp.path() : o.workdir);
    if (!o.workdir.isEmpty())
        QDir().mkpath(o.workdir);

    out("Lifeline engine benchmark (%s): Lifeline `run` vs CPython running the exported program\n"
        "under the virtual-clock runner, same machine, same run. Times are wall seconds of a\n"
        "whole process (start, load, run, exit); MB is peak RSS; x is CPython/Lifeline time;\n"
        "mem is Lifeline/CPython RSS. CPython runs the byte-compiled program; compiling it is\n"
        "shown apart. Each side: fastest of `runs` after an uncounted one, at least %d; a\n"
        "workload whose Lifeline run is short gets more, the same number on both sides.\n\n",
        o.full ? "--full" : "--quick", o.repeat);
    out("%-20s %5s %9s %8s %9s %8s %9s %6s %9s %8s %4s  %s\n", "workload", "N", "Lifeline", "MB",
        "CPython", "MB", "x", "mem", "compile", "MB", "runs", "goal");

    // Every workload's Lifeline side first, then every CPython side: compiling a 100k-task
    // program takes CPython 1.6 GB, and for seconds after such a process exits the kernel is
    // still reclaiming, which slowed the next workload's Lifeline runs by up to a fifth (their
    // heap asks for huge pages). Both sides still run on the same machine in the same run.
    std::vector<Row> rows;
    bool ok = true;
    for (const Workload &w : kWorkloads) {
        if (w.fullOnly && !o.full)
            continue;
        if (!o.only.isEmpty() && o.only != QLatin1String(w.name))
            continue;
        Row row;
        if (!runLifelineSide(o, dir, w, &row)) {
            ok = false;
            continue;
        }
        rows.push_back(row);
    }
    for (auto it = rows.begin(); it != rows.end();) {
        if (!runCpythonSide(o, dir, &*it)) {
            ok = false;
            it = rows.erase(it);
            continue;
        }
        printTimeRow(*it);
        ++it;
    }

    if (!rows.empty()) {
        out("\nEvent log and memory, in-process (ScenarioRun::runToEnd, as `lifeline run` "
            "records)\n");
        out("%-20s %5s %10s %10s %9s %7s %7s %7s %9s %9s %10s  %s\n", "workload", "N", "events",
            "spans", "log MB", "B/span", "load s", "run s", "loaded MB", "run MB", "B/lifecyc",
            "goal");
        for (const Row &r : rows)
            printLogRow(r);
        out("(B/lifecyc = (run MB - log bytes) / N: meaningful for `in flight`, where all N are "
            "alive at once)\n");
    }

    if (o.only.isEmpty() || o.only == QLatin1String("load"))
        runLoadBenchmark(o, dir);
    return ok ? 0 : 1;
}
