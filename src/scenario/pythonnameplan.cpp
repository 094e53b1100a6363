// SPDX-License-Identifier: MIT
#include "pythonnameplan.h"

#include "pythonnames.h"

namespace Lifeline {

namespace {

const QString kContextManagerDecorator = QStringLiteral("asynccontextmanager");

bool isReserved(const QString &name)
{
    return PythonNames::isReservedName(name) || name == u"asyncio" || name == u"contextlib";
}

} // namespace

PythonNamePlan::PythonNamePlan(const Scenario &scenario)
    : m_scenario(scenario)
{
    // 1. The user's variables, which never change: those of each function (main and every
    //    TASK body).
    QSet<QString> mainLocals;
    collectLocals(scenario.main, mainLocals);
    m_locals.insert(nullptr, mainLocals);
    for (const QSet<QString> &locals : std::as_const(m_locals))
        m_allLocals.unite(locals);

    // 2. to 4. Module level: exception classes, their aliases, the resources and main.
    ModuleNames module = moduleNames(scenario, m_allLocals);
    m_moduleNames = std::move(module.names);
    m_aliases = std::move(module.aliases);
    m_resources = std::move(module.resources);
    m_main = std::move(module.main);
    m_contextlibModule = module.contextlibModule;

    // 5. The other names the exporter invents step aside from all of the above.
    const auto globalTaken = [this](const QString &n) {
        return isReserved(n) || m_moduleNames.contains(n) || m_allLocals.contains(n)
            || (!m_contextlibModule && n == kContextManagerDecorator);
    };
    for (const TaskDef *task : m_tasks) {
        QString base = identifierFrom(task->name);
        if (isReserved(base))
            base += u'_'; // `class` -> class_, `print` -> print_
        const QString name = fresh(base, globalTaken, Style::Numbered);
        m_taskFunctions.insert(task, name);
        m_moduleNames.insert(name);
    }
    m_backgroundTasks = fresh(QStringLiteral("background_tasks"), globalTaken, Style::Underscore);
    m_moduleNames.insert(m_backgroundTasks);

    // Inside resource code only exception classes and `asyncio` are looked up globally.
    QSet<QString> internalTaken;
    const auto internal = [&](const char *base) {
        const QString name = fresh(
            QString::fromLatin1(base),
            [&](const QString &n) {
                return isReserved(n) || m_moduleNames.contains(n) || internalTaken.contains(n);
            },
            Style::Underscore);
        internalTaken.insert(name);
        return name;
    };
    m_internals.self = internal("self");
    m_internals.arg = internal("arg");
    m_internals.query = internal("query");
    m_internals.ms = internal("ms");
    m_internals.fail = internal("fail");
    m_internals.excType = internal("exc_type");
    m_internals.exc = internal("exc");
    m_internals.tb = internal("tb");
    m_internals.resource = internal("resource");
}

PythonNamePlan::ModuleNames PythonNamePlan::moduleNames(const Scenario &scenario,
                                                        const QSet<QString> &allLocals)
{
    ModuleNames out;
    // The user's exception classes keep their names.
    for (int type = ExceptionTypes::BuiltinCount; type < scenario.types.count(); ++type)
        out.names.insert(scenario.types.name(type));
    const auto taken = [&](const QString &n) {
        return isReserved(n) || out.names.contains(n) || allLocals.contains(n);
    };

    // An exception class that a variable shadows somewhere is also bound under an alias, and
    // code refers to it by the alias (its __name__, which reprs show, stays the same).
    for (int type = ExceptionTypes::BuiltinCount; type < scenario.types.count(); ++type) {
        const QString name = scenario.types.name(type);
        if (!allLocals.contains(name))
            continue;
        const QString alias = fresh(name, taken, Style::Underscore);
        out.aliases.insert(type, alias);
        out.names.insert(alias);
    }

    // Resource classes and functions keep their `name` unless it is taken; a local variable
    // anywhere counts, since `async with db(...) as db` makes `db` local to the whole function.
    for (const ResourceDef &resource : scenario.resources) {
        const QString name = fresh(resource.name.isEmpty() ? resource.id : resource.name, taken,
                                   Style::Underscore);
        out.resources.push_back(name);
        out.names.insert(name);
    }
    out.contextlibModule = out.names.contains(kContextManagerDecorator);

    // Names the exporter invents step aside from all of the above, main's first.
    out.main = fresh(
        QStringLiteral("main"),
        [&](const QString &n) {
            return taken(n) || (!out.contextlibModule && n == kContextManagerDecorator);
        },
        Style::Underscore);
    out.names.insert(out.main);
    return out;
}

namespace {

// Every variable of every function into one set: the names with items bind (an execute's
// variable is one of them). Equal names from one file share a payload, so a small cache of
// payloads already added skips hashing the same name a million times.
struct VariableCollector
{
    QSet<QString> names;
    const void *recent[8] = {};

    void add(const SharedString &name)
    {
        const void *id = name.identity();
        const void *&slot = recent[(quintptr(id) >> 4) & 7];
        if (slot == id)
            return;
        slot = id;
        names.insert(name);
    }
    void collect(const Block &block)
    {
        for (const Step &step : block) {
            for (const WithItem &item : step.items)
                add(item.as);
            collect(step.body);
            if (step.rare) {
                for (const Handler &handler : step.handlers())
                    collect(handler.body);
                collect(step.elseBody());
                collect(step.finallyBody());
            }
            for (const TaskDef &task : step.tasks)
                collect(task.body);
        }
    }
};

} // namespace

PythonNamePlan::LaneNames PythonNamePlan::laneNames(const Scenario &scenario)
{
    // Only a with item binds a variable: without resources there are none. The loader lists
    // them as it meets them; a scenario built by hand is scanned.
    if (scenario.variableNames) {
        ModuleNames module = moduleNames(scenario, *scenario.variableNames);
        return { std::move(module.resources), std::move(module.main) };
    }
    VariableCollector variables;
    if (!scenario.resources.empty())
        variables.collect(scenario.main);
    ModuleNames module = moduleNames(scenario, variables.names);
    return { std::move(module.resources), std::move(module.main) };
}

QString PythonNamePlan::exceptionRef(int type) const
{
    if (type == ExceptionTypes::CancelledError)
        return QStringLiteral("asyncio.CancelledError");
    const auto alias = m_aliases.constFind(type);
    return alias != m_aliases.cend() ? *alias : m_scenario.types.name(type);
}

QString PythonNamePlan::decorator() const
{
    return m_contextlibModule ? QStringLiteral("contextlib.") + kContextManagerDecorator
                              : kContextManagerDecorator;
}

QString PythonNamePlan::freshLocal(const QString &base, const TaskDef *function,
                                   const QSet<QString> &alsoTaken, Style style) const
{
    const QSet<QString> locals = m_locals.value(function);
    return fresh(
        base,
        [&](const QString &n) {
            return isReserved(n) || m_moduleNames.contains(n) || locals.contains(n)
                || alsoTaken.contains(n) || n == kContextManagerDecorator;
        },
        style);
}

void PythonNamePlan::collectLocals(const Block &block, QSet<QString> &locals)
{
    for (const Step &step : block) {
        for (const WithItem &item : step.items)
            locals.insert(item.as);
        if (step.kind == StepKind::Execute)
            locals.insert(step.variable());
        collectLocals(step.body, locals);
        for (const Handler &handler : step.handlers())
            collectLocals(handler.body, locals);
        collectLocals(step.elseBody(), locals);
        collectLocals(step.finallyBody(), locals);
        for (const TaskDef &task : step.tasks) {
            // A task comes before the tasks in its own body: file order.
            // (Filled in a local set: inserting into m_locals may rehash it.)
            m_tasks.push_back(&task);
            QSet<QString> taskLocals;
            collectLocals(task.body, taskLocals);
            m_locals.insert(&task, taskLocals);
        }
    }
}

QString PythonNamePlan::fresh(const QString &base,
                              const std::function<bool(const QString &)> &taken, Style style)
{
    if (!taken(base))
        return base;
    if (style == Style::Underscore && !taken(base + u'_'))
        return base + u'_';
    for (int n = 2;; ++n) {
        const QString candidate = style == Style::Counter ? base + QString::number(n)
                                                          : base + u'_' + QString::number(n);
        if (!taken(candidate))
            return candidate;
    }
}

// "worker-1" -> worker_1, "Fetch users!" -> Fetch_users, "1st" -> task_1st, "" -> task.
QString PythonNamePlan::identifierFrom(const QString &text)
{
    QString id;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool keep
            = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
        if (keep)
            id += c;
        else if (!id.isEmpty() && !id.endsWith(u'_'))
            id += u'_';
    }
    while (id.endsWith(u'_'))
        id.chop(1);
    if (id.isEmpty())
        return QStringLiteral("task");
    if (id.front().isDigit())
        id.prepend(QStringLiteral("task_"));
    return id;
}

} // namespace Lifeline
