// SPDX-License-Identifier: MIT
#pragma once
// The in-memory form of a format-v1 scenario (docs/scenario-format.md), as the loader
// builds it after validation: names resolved to indexes, templates pre-parsed, every function's
// local variables given slots. Plain data: the interpreter runs it, the exporter prints it.
// Nothing here validates; a Scenario that exists is valid.

#include "compactvector.h"
#include "exceptiontypes.h"
#include "executecall.h"
#include "heapoptional.h"
#include "sharedstring.h"

#include <QSet>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace Lifeline {

// A print template, split once at load time.
struct TemplatePart
{
    enum class Kind : quint8 { Text, Arg, Query, Exc, ExcType };
    Kind kind = Kind::Text;
    QString text; // Kind::Text only, braces already unescaped
};
using Template = CompactVector<TemplatePart>;

struct ExceptionSpec
{
    int type = ExceptionTypes::Exception; // id in Scenario::types
    bool hasMessage = false;
    QString message;
};

// {"print": ..., "ms": ..., "raise": ...}; an absent phase is an empty one.
struct PhaseSpec
{
    bool present = false;
    std::optional<Template> print;
    qint64 ms = -1; // -1: no await at all
    std::optional<ExceptionSpec> raise;
};

struct ResourceDef
{
    enum class Kind : quint8 { Class, Generator };
    enum class Cleanup : quint8 { Finally, AfterYield };
    enum class Suppress : quint8 { Nothing, Everything, Types };

    QString id;
    Kind kind = Kind::Class;
    QString name; // Python class or function name (defaults to id)
    QString arg;
    PhaseSpec enter;
    PhaseSpec execute; // class kind; hasExecute tells whether the method exists
    bool hasExecute = false;
    PhaseSpec exit;
    Suppress suppress = Suppress::Nothing;
    std::vector<int> suppressTypes; // Suppress::Types
    Cleanup cleanup = Cleanup::Finally; // generator kind
    int yields = 1; // generator kind: 0, 1 or 2

    // Generator kind: whether its `yield` stands in a `try` with a `finally:`, which runs
    // whatever is thrown in there: only when the cleanup is "finally" and has code (the
    // exporter writes no empty try). The run needs it too: without one, an exception thrown in
    // at the yield that no `except` swallows leaves the generator having run none of its code.
    bool yieldInTryFinally() const
    {
        return cleanup == Cleanup::Finally && (exit.print || exit.ms >= 0 || exit.raise);
    }
};

enum class StepKind : quint8 {
    With,
    Execute,
    Sleep,
    Print,
    Raise,
    Reraise,
    Try,
    Gather,
    TaskGroup,
    Timeout,
    Spawn
};

struct Step;
using Block = CompactVector<Step>;

struct WithItem
{
    int resource = 0; // index in Scenario::resources
    SharedString as; // variable name (defaults to the resource id)
    int slot = 0; // local variable slot of `as` in the enclosing function
};

struct Handler
{
    std::vector<int> types; // never empty; default {Exception}
    Block body;
};

// A step's rarely set parts, kept apart: raise's exception (and execute's `fail`), and a try
// statement's handlers, else and finally.
struct RareParts
{
    std::optional<ExceptionSpec> exception;
    CompactVector<Handler> handlers;
    Block elseBody, finallyBody;
};

struct TaskDef
{
    QString name;
    Block body;
    qint32 cancelAfter = -1; // -1: never; at most 1e9
    int slotCount = 0; // local variables of this task's function
};

// Fields a step kind does not use stay empty. Ordered to leave no padding, the duration in 32
// bits (the format allows at most 1e9 ms), the rarely set parts kept on the heap and execute's
// strings shared: 64 bytes, so a one-step block (most are) fits malloc's 80-byte chunk, and a
// million-task scenario holds millions of Steps.
struct Step
{
    StepKind kind = StepKind::Print;
    bool hasElse = false, hasFinally = false; // try
    bool returnExceptions = false; // gather
    quint32 id = 0; // dense, in file order over the whole scenario (0 = main[0])
    int slot = 0; // execute: the variable's slot
    qint32 duration = -1; // sleep, timeout; execute's `ms` override (-1: none)
    Block body; // with, timeout; try's try-block
    CompactVector<WithItem> items; // with
    ExecuteCall call; // execute
    Template text; // print
    HeapOptional<RareParts> rare; // raise, execute's fail, try
    // gather, task_group, spawn (one task)
    CompactVector<TaskDef> tasks;

    // execute: `await variable.execute(query, ...)`
    const QString &variable() const { return call.variable(); }
    const QString &query() const { return call.query(); }
    // raise, execute's `fail`: the exception, or null.
    const ExceptionSpec *exception() const
    {
        return rare && rare->exception ? &*rare->exception : nullptr;
    }
    // A try statement's parts; empty for every other step.
    const CompactVector<Handler> &handlers() const
    {
        return rare ? rare->handlers : noRareParts().handlers;
    }
    const Block &elseBody() const { return rare ? rare->elseBody : noRareParts().elseBody; }
    const Block &finallyBody() const
    {
        return rare ? rare->finallyBody : noRareParts().finallyBody;
    }
    // For the loader and for tests that build steps by hand.
    RareParts &rareParts()
    {
        if (!rare)
            rare = RareParts();
        return *rare;
    }

private:
    static const RareParts &noRareParts()
    {
        static const RareParts none;
        return none;
    }
};
static_assert(sizeof(void *) != 8 || sizeof(Step) == 64);

struct TraceRecording;

struct Scenario
{
    QString title;
    QString description;
    ExceptionTypes types; // built-ins plus the file's `exceptions`, in order
    std::vector<ResourceDef> resources;
    Block main;
    int mainSlotCount = 0;
    quint32 stepCount = 0; // ids run 0..stepCount-1
    // Set for a traced program (TraceScenario): ScenarioRun replays it, and `main` is empty.
    std::shared_ptr<const TraceRecording> trace;
    // Every name a with item binds, once each, as the loader met them: the exported program's
    // renames depend on them (PythonNamePlan::laneNames(), which scans the steps when this is
    // null, as for a scenario built by hand).
    std::shared_ptr<const QSet<QString>> variableNames;
};

// One problem found while loading: FILE:LINE:COLUMN: JSON.PATH: message.
struct Diagnostic
{
    QString file;
    int line = 0; // 1-based; 0 when unknown
    int column = 0; // 1-based, in characters
    QString path; // `main[0].with`, `$` for the document; empty for a trace file
    QString message;

    // FILE:LINE:COLUMN: PATH: message, with control characters escaped (escaped()).
    QString toString() const;
    // Text for a terminal: C0 and C1 control characters (from a file's names or a file name)
    // written as Python's repr() writes them, `\t`, `\n`, `\r` or `\xNN`, so a crafted file
    // cannot recolour, clear or retitle the terminal through a message about it.
    static QString escaped(const QString &text);
};

} // namespace Lifeline
