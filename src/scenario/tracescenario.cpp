// SPDX-License-Identifier: MIT
#include "tracescenario.h"

#include "tracereader.h"

#include <csignal>

namespace Lifeline {

namespace {

// CPython 3.11's built-in exception classes that ExceptionTypes does not have, with their base
// (warnings left out: a program does not raise them), and asyncio's own.
struct BuiltinClass
{
    const char *name;
    const char *base;
};
constexpr BuiltinClass MoreBuiltins[] = {
    { "SystemExit", "BaseException" },
    { "KeyboardInterrupt", "BaseException" },
    { "StopIteration", "Exception" },
    { "FloatingPointError", "ArithmeticError" },
    { "OverflowError", "ArithmeticError" },
    { "BufferError", "Exception" },
    { "EOFError", "Exception" },
    { "ImportError", "Exception" },
    { "ModuleNotFoundError", "ImportError" },
    { "MemoryError", "Exception" },
    { "RecursionError", "RuntimeError" },
    { "ReferenceError", "Exception" },
    { "SyntaxError", "Exception" },
    { "IndentationError", "SyntaxError" },
    { "TabError", "IndentationError" },
    { "SystemError", "Exception" },
    { "UnicodeError", "ValueError" },
    { "UnicodeDecodeError", "UnicodeError" },
    { "UnicodeEncodeError", "UnicodeError" },
    { "UnicodeTranslateError", "UnicodeError" },
    { "BlockingIOError", "OSError" },
    { "ChildProcessError", "OSError" },
    { "BrokenPipeError", "ConnectionError" },
    { "ConnectionAbortedError", "ConnectionError" },
    { "FileExistsError", "OSError" },
    { "FileNotFoundError", "OSError" },
    { "InterruptedError", "OSError" },
    { "IsADirectoryError", "OSError" },
    { "NotADirectoryError", "OSError" },
    { "ProcessLookupError", "OSError" },
    { "InvalidStateError", "Exception" }, // asyncio
    { "IncompleteReadError", "EOFError" }, // asyncio
    { "LimitOverrunError", "Exception" }, // asyncio
};

// The built-in class `name`, adding it (and its bases) as ExceptionTypes needs; -1 if unknown.
int builtinType(ExceptionTypes &types, const QString &name)
{
    for (int i = 0; i < ExceptionTypes::BuiltinCount; ++i) {
        if (types.name(i) == name)
            return i;
    }
    for (const BuiltinClass &b : MoreBuiltins) {
        if (name == QLatin1String(b.name)) {
            // A class of this name is always this built-in (a program's own class named so
            // maps to it as well), so one found is the one added before.
            if (const int added = types.find(name); added >= 0)
                return added;
            const int base = builtinType(types, QLatin1String(b.base));
            return types.addCustom(name, base);
        }
    }
    return -1;
}

QString signalName(quint64 number)
{
    static const struct
    {
        int number;
        const char *name;
    } names[] = { { SIGHUP, "SIGHUP" },   { SIGINT, "SIGINT" },   { SIGQUIT, "SIGQUIT" },
                  { SIGILL, "SIGILL" },   { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
                  { SIGBUS, "SIGBUS" },   { SIGFPE, "SIGFPE" },   { SIGKILL, "SIGKILL" },
                  { SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
                  { SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
                  { SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
                  { SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
                  { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" } };
    for (const auto &n : names) {
        if (quint64(n.number) == number)
            return QLatin1String(n.name);
    }
    return {};
}

} // namespace

ExceptionTypes TraceScenario::exceptionTypes(const TraceRecording &trace, std::vector<int> *ids)
{
    ExceptionTypes types;
    ids->clear();
    addExceptionTypes(trace, &types, ids);
    return types;
}

void TraceScenario::addExceptionTypes(const TraceRecording &trace, ExceptionTypes *types,
                                      std::vector<int> *ids)
{
    ids->reserve(trace.types.size());
    for (size_t i = ids->size(); i < trace.types.size(); ++i) {
        const TraceType &t = trace.types[i];
        const QString &name = trace.string(t.name);
        int id = builtinType(*types, name);
        if (id < 0) {
            // A base is recorded before the class: its id is known.
            const int base
                = t.base != None ? (*ids)[size_t(t.base)] : int(ExceptionTypes::Exception);
            id = types->addCustom(name, base);
        }
        ids->push_back(id);
    }
}

void TraceScenario::addResources(const TraceRecording &trace, Scenario *scenario)
{
    scenario->resources.reserve(trace.groups.size());
    for (size_t i = scenario->resources.size(); i < trace.groups.size(); ++i) {
        ResourceDef def;
        def.id = trace.string(trace.groups[i]);
        def.name = def.id;
        def.kind = ResourceDef::Kind::Class;
        scenario->resources.push_back(std::move(def));
    }
}

qint32 TraceScenario::mainFailure(const TraceRecording &trace)
{
    qint32 main = None;
    for (size_t i = 0; i < trace.lanes.size() && main == None; ++i) {
        if (trace.lanes[i].kind == LaneKind::Task)
            main = qint32(i);
    }
    if (main == None)
        return None;
    const std::optional<TraceEvent> ended = trace.events.findLast([main](const TraceEvent &e) {
        return e.kind == EventKind::TaskEnded && qint32(e.subject) == main;
    });
    if (!ended || TaskOutcome(ended->detail) == TaskOutcome::Finished)
        return None;
    return qint32(ended->arg);
}

QString TraceScenario::endText(const TraceRecording &trace)
{
    if (!trace.end)
        return {};
    const TraceEnd &end = *trace.end;
    switch (end.how) {
    case TraceEnd::Exited:
        if (end.status == 0)
            return {};
        // An exception escaping the program exits with status 1: say which it was when the
        // main task's end shows it.
        if (end.status == 1 && mainFailure(trace) != None)
            return QStringLiteral("the program ended with an exception");
        return QStringLiteral("the program exited with status %1").arg(end.status);
    case TraceEnd::Raised:
        return QStringLiteral("the program ended with an exception");
    case TraceEnd::Signalled: {
        const QString name = signalName(end.status);
        return name.isEmpty()
            ? QStringLiteral("the program died of signal %1").arg(end.status)
            : QStringLiteral("the program died of signal %1 (%2)").arg(end.status).arg(name);
    }
    case TraceEnd::CouldNotStart:
        return QStringLiteral("the program could not start (status %1)").arg(end.status);
    }
    return {};
}

QString TraceScenario::description(const TraceRecording &trace)
{
    if (trace.growing)
        return QStringLiteral("the program is running");
    if (trace.error.kind != TraceError::Kind::None)
        return trace.error.toString();
    const QString ended = endText(trace);
    return ended.isEmpty() ? QStringLiteral("the program exited with status 0") : ended;
}

std::shared_ptr<Scenario> TraceScenario::fromRecording(std::shared_ptr<const TraceRecording> trace)
{
    auto scenario = std::make_shared<Scenario>();
    const TraceRecording &r = *trace;
    scenario->title = r.meta.value(QStringLiteral("program"));
    scenario->description = description(r);
    std::vector<int> ids;
    scenario->types = exceptionTypes(r, &ids);
    addResources(r, scenario.get());
    scenario->trace = std::move(trace);
    return scenario;
}

std::shared_ptr<Scenario> TraceScenario::fromData(QByteArrayView bytes, const QString &fileName,
                                                  std::vector<Diagnostic> *diagnostics)
{
    auto trace = std::make_shared<TraceRecording>(TraceReader::read(bytes));
    const TraceError::Kind kind = trace->error.kind;
    if (kind == TraceError::Kind::NotATrace || kind == TraceError::Kind::NewerVersion) {
        if (diagnostics)
            diagnostics->push_back({ fileName, 0, 0, QString(), trace->error.toString() });
        return nullptr;
    }
    return fromRecording(std::move(trace));
}

} // namespace Lifeline
