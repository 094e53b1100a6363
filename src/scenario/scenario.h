#pragma once
// The in-memory form of a format-v1 scenario (../shared/spec/scenario-format.md), as the loader
// builds it after validation: names resolved to indexes, templates pre-parsed, every function's
// local variables given slots. Plain data: the interpreter runs it, the exporter prints it.
// Nothing here validates; a Scenario that exists is valid.

#include "compactvector.h"
#include "exceptiontypes.h"
#include "heapoptional.h"
#include "sharedstring.h"

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

// A try statement's parts besides its try-block, kept apart: few steps are try statements.
struct TryParts
{
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
// bits (the format allows at most 1e9 ms), the rarely set exception and try parts kept on the
// heap and the strings shared: 80 bytes, and a million-task scenario holds millions of Steps,
// most in one-step blocks.
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
    // execute: the variable and query; print: text
    SharedString variable;
    SharedString query;
    Template text;
    HeapOptional<ExceptionSpec> exception; // raise; execute's `fail`
    HeapOptional<TryParts> tryParts; // try: set even when it has no handlers or else
    // gather, task_group, spawn (one task)
    CompactVector<TaskDef> tasks;

    // A try statement's parts; empty for every other step.
    const CompactVector<Handler> &handlers() const
    {
        return tryParts ? tryParts->handlers : noTryParts().handlers;
    }
    const Block &elseBody() const { return tryParts ? tryParts->elseBody : noTryParts().elseBody; }
    const Block &finallyBody() const
    {
        return tryParts ? tryParts->finallyBody : noTryParts().finallyBody;
    }

private:
    static const TryParts &noTryParts()
    {
        static const TryParts none;
        return none;
    }
};
static_assert(sizeof(void *) != 8 || sizeof(Step) == 80);

struct Scenario
{
    QString title;
    QString description;
    ExceptionTypes types; // built-ins plus the file's `exceptions`, in order
    std::vector<ResourceDef> resources;
    Block main;
    int mainSlotCount = 0;
    quint32 stepCount = 0; // ids run 0..stepCount-1
};

// One problem found while loading: FILE:LINE:COLUMN: JSON.PATH: message.
struct Diagnostic
{
    QString file;
    int line = 0; // 1-based; 0 when unknown
    int column = 0; // 1-based, in characters
    QString path; // `main[0].with`, `$` for the document
    QString message;

    QString toString() const;
};

} // namespace Lifeline
