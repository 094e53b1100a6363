// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: the loader of one recursive grammar (a step's bodies hold steps,
// a task's body is a function of its own), whose parts call each other and share the slot
// tables, the id counter and the kinds' table at the top.
#include "steploader.h"

#include "templateparser.h"

#include <array>
#include <optional>

namespace Lifeline {

namespace {

using Scope = LoadContext::Scope;

// The step kinds, one row each in StepKind's order (checked below): the keys a step of the kind
// may have, the one that names it first, and how messages call it. Every list of kinds a
// message prints, and the lookup by a key's first letter, are read from here.
constexpr size_t MaxStepKeys = 4;
struct StepKindRow
{
    StepKind kind;
    std::array<std::string_view, MaxStepKeys> keys; // unused ones empty
    const char *what;

    constexpr std::string_view name() const { return keys[0]; }
    constexpr LoadContext::Keys allowed() const
    {
        size_t n = 0;
        while (n < keys.size() && !keys[n].empty())
            ++n;
        return { keys.data(), n };
    }
};
constexpr StepKindRow kStepKinds[] = {
    // async with R as v, ...: body
    { StepKind::With, { "with", "body" }, "a \"with\" step" },
    // await v.execute(query, ms=, fail=)
    { StepKind::Execute, { "execute", "query", "ms", "fail" }, "an \"execute\" step" },
    // await asyncio.sleep(s)
    { StepKind::Sleep, { "sleep" }, "a \"sleep\" step" },
    // print(f"...")
    { StepKind::Print, { "print" }, "a \"print\" step" },
    // raise E("...")
    { StepKind::Raise, { "raise" }, "a \"raise\" step" },
    // a bare `raise` inside an except body
    { StepKind::Reraise, { "reraise" }, "a \"reraise\" step" },
    // try: ... except ...: ... else: ... finally: ...
    { StepKind::Try, { "try", "except", "else", "finally" }, "a \"try\" step" },
    // await asyncio.gather(*tasks, return_exceptions=)
    { StepKind::Gather, { "gather", "return_exceptions" }, "a \"gather\" step" },
    // async with asyncio.TaskGroup() as tg: tg.create_task(...) for each task
    { StepKind::TaskGroup, { "task_group" }, "a \"task_group\" step" },
    // async with asyncio.timeout(s): body
    { StepKind::Timeout, { "timeout", "body" }, "a \"timeout\" step" },
    // asyncio.create_task(...), a reference kept and never awaited
    { StepKind::Spawn, { "spawn" }, "a \"spawn\" step" },
};
constexpr int kKindCount = int(std::size(kStepKinds));
static_assert(kKindCount == int(StepKind::Spawn) + 1, "a row per StepKind");
constexpr bool rowsInKindOrder()
{
    for (int k = 0; k < kKindCount; ++k) {
        if (kStepKinds[k].kind != StepKind(k) || kStepKinds[k].name().empty())
            return false;
    }
    return true;
}
static_assert(rowsInKindOrder(), "kStepKinds is indexed by StepKind");

// Every kind's naming key, for readObject()'s keys that are not reported as unknown.
constexpr std::array<std::string_view, kKindCount> kKindNames = [] {
    std::array<std::string_view, kKindCount> names {};
    for (int k = 0; k < kKindCount; ++k)
        names[size_t(k)] = kStepKinds[k].name();
    return names;
}();

// Items, handlers and tasks, which are no steps.
constexpr std::string_view kItemKeys[] = { "resource", "as" };
constexpr std::string_view kHandlerKeys[] = { "types", "body" };
constexpr std::string_view kTaskKeys[] = { "name", "body", "cancel_after" };

// The kinds whose key starts with each ASCII letter, -1 after the last: most keys of a step
// start with no kind's letter ("body", "query", "ms") and need no comparison at all.
constexpr std::array<std::array<qint8, 4>, 128> kKindsByFirstByte = [] {
    std::array<std::array<qint8, 4>, 128> table {};
    for (auto &kinds : table)
        kinds.fill(-1);
    for (int k = 0; k < kKindCount; ++k) {
        auto &kinds = table[size_t(kKindNames[size_t(k)][0])];
        size_t n = 0;
        while (kinds[n] >= 0)
            ++n;
        kinds[n] = qint8(k);
    }
    return table;
}();

const StepKindRow &row(StepKind kind)
{
    return kStepKinds[int(kind)];
}

QString kindName(int kind)
{
    const std::string_view name = kStepKinds[kind].name();
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

// "with, execute, ..., spawn", for the message of an object that is no step.
QString kindList()
{
    QStringList names;
    for (int k = 0; k < kKindCount; ++k)
        names << kindName(k);
    return names.join(QLatin1String(", "));
}

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

} // namespace

void StepLoader::readDuration(const JsonValue &value, qint32 *out)
{
    qint64 ms = 0;
    if (m_context.readDuration(value, &ms))
        *out = qint32(ms); // readDuration() allows at most 1e9
}

StepLoader::StepLoader(LoadContext &context, const std::vector<ResourceDef> &resources,
                       const QHash<QString, int> &resourceIds, bool resourcesKnown)
    : m_context(context)
    , m_resources(resources)
    , m_resourceIds(resourceIds)
    , m_resourcesKnown(resourcesKnown)
{
}

Block StepLoader::loadMain(const JsonValue &steps, int *slotCount)
{
    Function function;
    Block block;
    if (m_context.expectArray(steps, QLatin1String("a list of steps")))
        loadBlock(steps, &block, function, 0, false);
    *slotCount = function.slotCount;
    return block;
}

void StepLoader::loadBlock(const JsonValue &steps, Block *out, Function &function, int level,
                           bool inExcept)
{
    out->resize(steps.count());
    qint64 index = 0;
    for (const JsonValue &value : steps) {
        Scope scope(m_context, index);
        loadStep(value, &(*out)[size_t(index)], function, level, inExcept);
        ++index;
    }
}

void StepLoader::loadBody(const JsonValue &member, std::string_view key, Block *out,
                          Function &function, int level, bool inExcept)
{
    if (level > MaxLevel) {
        // Reported once, here: the steps inside would only repeat it.
        m_context.errorAtKey(member,
                             QStringLiteral("blocks nest too deep: these steps would be %1 levels "
                                            "deep, and at most %2 are allowed within one function "
                                            "(each with item, timeout, task_group, try body and "
                                            "except body counts one)")
                                 .arg(level)
                                 .arg(MaxLevel));
        return;
    }
    Scope scope(m_context, key);
    if (m_context.expectArray(member, QLatin1String("a list of steps")))
        loadBlock(member, out, function, level, inExcept);
}

void StepLoader::loadStep(const JsonValue &value, Step *step, Function &function, int level,
                          bool inExcept)
{
    if (!value.isObject()) {
        m_context.expected(value, QLatin1String("a step (an object such as {\"print\": \"...\"})"));
        return;
    }
    const int kind = readKind(value);
    if (kind < 0)
        return;

    step->kind = StepKind(kind);
    step->id = m_nextId++; // before any child: ids are pre-order
    const StepKindRow &kindRow = row(step->kind);
    const JsonValue *found[MaxStepKeys];
    m_context.readObject(value, kindRow.allowed(), found, QLatin1String(kindRow.what), kKindNames);

    // A step's other keys, in the order their problems have always been reported: a with's
    // items before its body, a timeout's body before its duration.
    switch (step->kind) {
    case StepKind::With:
        loadWith(value, found, step, function, level, inExcept);
        return;
    case StepKind::Execute:
        loadExecute(value, found, step, function);
        return;
    case StepKind::Try:
        loadTry(value, found, step, function, level, inExcept);
        return;
    case StepKind::Timeout:
        if (!found[1])
            m_context.missingKey(value, "body", QLatin1String(kindRow.what));
        else
            loadBody(*found[1], "body", &step->body, function, level + 1, inExcept);
        break;
    case StepKind::Gather:
        if (found[1]) {
            const Scope scope(m_context, "return_exceptions");
            m_context.readBool(*found[1], &step->returnExceptions);
        }
        break;
    default:
        break;
    }
    loadKindValue(*found[0], step, inExcept);
}

int StepLoader::readKind(const JsonValue &value)
{
    const JsonDocument &document = m_context.document();
    int kind = -1;
    for (const JsonValue &member : value) {
        // A key that starts with an escape can spell any kind: it is compared with all of them.
        const auto first = uchar(document.source()[document.keyOffset(member) + 1]);
        const bool byFirstByte = first != '\\' && first < 128;
        const std::array<qint8, 4> &candidates = kKindsByFirstByte[first & 127];
        for (int c = 0; c < (byFirstByte ? 4 : kKindCount); ++c) {
            const int k = byFirstByte ? candidates[size_t(c)] : c;
            if (k < 0)
                break;
            if (!document.keyEquals(member, kKindNames[size_t(k)]))
                continue;
            if (kind < 0) {
                kind = k;
            } else {
                m_context.errorAtKey(member,
                                     QStringLiteral("a step has exactly one kind: this one is "
                                                    "already a \"%1\" step, so \"%2\" needs a step "
                                                    "of its own")
                                         .arg(kindName(kind), kindName(k)));
            }
            break;
        }
    }
    if (kind < 0) {
        QStringList keys;
        for (const JsonValue &member : value)
            keys << u'"' + document.keyString(member) + u'"';
        m_context.error(value,
                        QStringLiteral("expected a step: an object with one of the keys %1 "
                                       "(found %2)")
                            .arg(kindList(),
                                 keys.isEmpty()
                                     ? QStringLiteral("no keys")
                                     : QStringLiteral("keys ") + keys.join(QLatin1String(", "))));
    }
    return kind;
}

void StepLoader::loadKindValue(const JsonValue &main, Step *step, bool inExcept)
{
    const Scope scope(m_context, row(step->kind).name());
    switch (step->kind) {
    case StepKind::Sleep:
    case StepKind::Timeout:
        readDuration(main, &step->duration);
        break;
    case StepKind::Print:
        m_context.readTemplate(main, inExcept ? TemplateParser::AllowExc : 0, &step->text);
        break;
    case StepKind::Raise: {
        ExceptionSpec exception;
        if (m_context.readRaise(main, &exception))
            step->rareParts().exception = exception;
        break;
    }
    case StepKind::Reraise:
        if (main.type() != JsonValue::Type::True) {
            m_context.expected(main, QLatin1String("true (a bare `raise`)"));
        } else if (!inExcept) {
            m_context.error(main,
                            QStringLiteral("\"reraise\" is only allowed inside an except body "
                                           "of the same function (a task's body is a "
                                           "function of its own)"));
        }
        break;
    case StepKind::Gather:
    case StepKind::TaskGroup:
        loadTasks(main, &step->tasks);
        break;
    case StepKind::Spawn:
        step->tasks.resize(1);
        loadTask(main, &step->tasks[0]);
        break;
    case StepKind::With:
    case StepKind::Execute:
    case StepKind::Try:
        break; // their own loaders read it
    }
}

void StepLoader::loadWith(const JsonValue &value, const JsonValue **found, Step *step,
                          Function &function, int level, bool inExcept)
{
    {
        const Scope scope(m_context, "with");
        const JsonValue &with = *found[0];
        if (with.isString()) {
            step->items.resize(1);
            loadWithItem(with, &step->items[0], function);
        } else if (!with.isArray() || with.count() == 0) {
            m_context.expected(with,
                               QLatin1String("a resource id or a non-empty list of resources"));
        } else {
            step->items.resize(with.count());
            qint64 index = 0;
            for (const JsonValue &item : with) {
                const Scope itemScope(m_context, index);
                loadWithItem(item, &step->items[size_t(index)], function);
                ++index;
            }
        }
    }
    if (!found[1]) {
        m_context.missingKey(value, "body", QLatin1String(row(StepKind::With).what));
        return;
    }
    // Each item is one `async with` block in CPython's count.
    const int items = qMax(1, int(step->items.size()));
    loadBody(*found[1], "body", &step->body, function, level + items, inExcept);
}

void StepLoader::loadWithItem(const JsonValue &value, WithItem *item, Function &function)
{
    const JsonValue *resource = &value;
    const JsonValue *as = nullptr;
    if (value.isObject()) {
        const JsonValue *found[2];
        m_context.readObject(value, kItemKeys, found, QLatin1String("a with item"));
        resource = found[0];
        as = found[1];
        if (!resource)
            m_context.missingKey(value, "resource", QLatin1String("a with item"));
    } else if (!value.isString()) {
        m_context.expected(value,
                           QLatin1String("a resource id or {\"resource\": ..., \"as\": ...}"));
        return;
    }

    // Read without copies; the item keeps one of the name it binds (LoadContext::keep()).
    bool executable = false;
    LoadContext::SharedEntry idScratch, asScratch;
    LoadContext::SharedEntry *id = nullptr;
    if (resource) {
        std::optional<Scope> scope;
        if (value.isObject())
            scope.emplace(m_context, "resource");
        id = m_context.sharedEntry(*resource, &idScratch);
        if (id) {
            if (id->lookup == -2)
                id->lookup = m_resourceIds.value(id->string, -1);
            const int index = id->lookup;
            if (index < 0 && !m_resourcesKnown) {
                executable = true; // unknowable: do not report its executes either
            } else if (index < 0) {
                m_context.error(*resource,
                                QStringLiteral("unknown resource %1").arg(quoted(id->string)));
            } else {
                item->resource = index;
                const ResourceDef &def = m_resources[size_t(index)];
                executable = def.kind == ResourceDef::Kind::Class && def.hasExecute;
            }
        }
    }
    LoadContext::SharedEntry *name = id;
    if (as) {
        const Scope scope(m_context, "as");
        if (LoadContext::SharedEntry *read = m_context.sharedEntry(*as, &asScratch)) {
            name = read;
            m_context.checkName(*as, read->string, QLatin1String("variable"));
        }
    }
    if (name) {
        item->as = m_context.keep(name);
        m_context.bindVariable(name);
    }
    if (!item->as.isEmpty())
        item->slot = bind(function, item->as, executable);
}

void StepLoader::loadExecute(const JsonValue &value, const JsonValue **found, Step *step,
                             Function &function)
{
    // Read without copies: the step keeps only the call (LoadContext::executeCall()).
    LoadContext::SharedEntry nameScratch, queryScratch;
    const SharedString *name = &nameScratch.string;
    const SharedString *query = &queryScratch.string;
    {
        const Scope scope(m_context, "execute");
        const JsonValue &variable = *found[0];
        if (const LoadContext::SharedEntry *read = m_context.sharedEntry(variable, &nameScratch)) {
            name = &read->string;
            const Variable *it = function.find(*name);
            if (!it) {
                m_context.error(variable,
                                QStringLiteral("\"execute\" on %1, which no earlier \"with\" in "
                                               "this function binds (execute needs a variable "
                                               "bound to a class resource with an \"execute\" "
                                               "phase)")
                                    .arg(quoted(*name)));
            } else if (!it->executable) {
                m_context.error(variable,
                                QStringLiteral("\"execute\" on %1, which no earlier \"with\" in "
                                               "this function binds to a class resource with an "
                                               "\"execute\" phase")
                                    .arg(quoted(*name)));
            } else {
                step->slot = it->slot;
            }
        }
    }
    if (!found[1]) {
        m_context.missingKey(value, "query", QLatin1String(row(StepKind::Execute).what));
    } else {
        const Scope scope(m_context, "query");
        // Plain text, never a template.
        if (const LoadContext::SharedEntry *read = m_context.sharedEntry(*found[1], &queryScratch))
            query = &read->string;
    }
    step->call = m_context.executeCall(*name, *query);
    if (found[2]) {
        const Scope scope(m_context, "ms");
        readDuration(*found[2], &step->duration);
    }
    if (found[3]) {
        const Scope scope(m_context, "fail");
        ExceptionSpec exception;
        if (m_context.readRaise(*found[3], &exception))
            step->rareParts().exception = exception;
    }
}

void StepLoader::loadTry(const JsonValue &value, const JsonValue **found, Step *step,
                         Function &function, int level, bool inExcept)
{
    const JsonValue *tryBody = found[0];
    const JsonValue *handlers = found[1];
    const JsonValue *elseBody = found[2];
    const JsonValue *finallyBody = found[3];
    // Children in pre-order: try body, handlers in order, else, finally.
    loadBody(*tryBody, "try", &step->body, function, level + 1, inExcept);
    RareParts &parts = step->rareParts();
    if (handlers) {
        const Scope scope(m_context, "except");
        if (!handlers->isArray() || handlers->count() == 0) {
            m_context.expected(*handlers, QLatin1String("a non-empty list of except handlers"));
        } else {
            parts.handlers.resize(handlers->count());
            qint64 index = 0;
            for (const JsonValue &handler : *handlers) {
                const Scope handlerScope(m_context, index);
                loadHandler(handler, &parts.handlers[size_t(index)], function, level);
                ++index;
            }
        }
    }
    if (elseBody) {
        step->hasElse = true;
        if (!handlers) {
            m_context.errorAtKey(*elseBody,
                                 QStringLiteral("\"else\" is only allowed with "
                                                "\"except\" (as in Python)"));
        }
        loadBody(*elseBody, "else", &parts.elseBody, function, level + 1, inExcept);
    }
    if (finallyBody) {
        step->hasFinally = true;
        loadBody(*finallyBody, "finally", &parts.finallyBody, function, level + 1, inExcept);
    }
    if (!handlers && !finallyBody) {
        m_context.error(value,
                        QStringLiteral("a \"try\" step needs \"except\" (a non-empty list "
                                       "of handlers), \"finally\", or both"));
    }
}

void StepLoader::loadHandler(const JsonValue &value, Handler *handler, Function &function,
                             int level)
{
    if (!m_context.expectObject(value,
                                QLatin1String("an except handler: {\"types\": [...], \"body\": "
                                              "[...]}"))) {
        return;
    }
    const JsonValue *found[2];
    m_context.readObject(value, kHandlerKeys, found, QLatin1String("an except handler"));
    if (found[0]) {
        const Scope scope(m_context, "types");
        const JsonValue &types = *found[0];
        if (!types.isArray() || types.count() == 0) {
            m_context.expected(types,
                               QLatin1String("a non-empty list of exception type names "
                                             "(leave \"types\" out to catch Exception)"));
        } else {
            handler->types.reserve(types.count());
            qint64 index = 0;
            for (const JsonValue &type : types) {
                const Scope typeScope(m_context, index++);
                const int id = m_context.readExceptionType(type);
                if (id >= 0)
                    handler->types.push_back(id); // groups may be caught
            }
        }
    } else {
        handler->types = { ExceptionTypes::Exception };
    }
    // An except body sits two levels below its try: the try block and the handler.
    const int bodyLevel = level + 2;
    if (found[1]) {
        loadBody(*found[1], "body", &handler->body, function, bodyLevel, true);
    } else if (bodyLevel > MaxLevel) {
        m_context.error(value,
                        QStringLiteral("blocks nest too deep: this handler's body would be "
                                       "%1 levels deep, and at most %2 are allowed within "
                                       "one function")
                            .arg(bodyLevel)
                            .arg(MaxLevel));
    }
}

void StepLoader::loadTasks(const JsonValue &value, CompactVector<TaskDef> *tasks)
{
    if (!value.isArray() || value.count() == 0) {
        m_context.expected(value, QLatin1String("a non-empty list of tasks"));
        return;
    }
    tasks->resize(value.count());
    qint64 index = 0;
    for (const JsonValue &task : value) {
        const Scope scope(m_context, index);
        loadTask(task, &(*tasks)[size_t(index)]);
        ++index;
    }
}

void StepLoader::loadTask(const JsonValue &value, TaskDef *task)
{
    if (!m_context.expectObject(value, QLatin1String("a task: {\"name\": ..., \"body\": [...]}"))) {
        return;
    }
    const JsonValue *found[3];
    m_context.readObject(value, kTaskKeys, found, QLatin1String("a task"));
    if (!found[0]) {
        m_context.missingKey(value, "name", QLatin1String("a task"));
    } else {
        const Scope scope(m_context, "name");
        m_context.readString(*found[0], &task->name);
    }
    if (found[2]) {
        const Scope scope(m_context, "cancel_after");
        readDuration(*found[2], &task->cancelAfter);
    }
    if (!found[1]) {
        m_context.missingKey(value, "body", QLatin1String("a task"));
        return;
    }
    // A task is a function of its own: fresh variables, nesting from 0, outside any except.
    Function function;
    loadBody(*found[1], "body", &task->body, function, 0, false);
    task->slotCount = function.slotCount;
}

StepLoader::Variable *StepLoader::Function::find(const QString &name)
{
    if (!index.isEmpty()) {
        const auto it = index.constFind(name);
        return it == index.cend() ? nullptr : &variables[size_t(it.value())].second;
    }
    for (auto &v : variables) {
        if (v.first == name)
            return &v.second;
    }
    return nullptr;
}

int StepLoader::bind(Function &function, const QString &name, bool executable)
{
    if (Variable *v = function.find(name)) {
        if (executable)
            v->executable = true;
        return v->slot;
    }
    function.variables.push_back({ name, { function.slotCount++, executable } });
    if (!function.index.isEmpty() || function.variables.size() > 16) {
        if (function.index.isEmpty()) {
            for (size_t i = 0; i < function.variables.size(); ++i)
                function.index.insert(function.variables[i].first, int(i));
        } else {
            function.index.insert(name, int(function.variables.size() - 1));
        }
    }
    return function.variables.back().second.slot;
}

} // namespace Lifeline
