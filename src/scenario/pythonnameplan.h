// SPDX-License-Identifier: MIT
#pragma once
// Every identifier an exported Python program uses, chosen once before any line is written.
// The scenario's own names are observable (exception classes in reprs, `as` variables in
// UnboundLocalError, resource names in AttributeError) so they are kept; resource names are
// suffixed only when they would collide. Names the exporter invents (task functions, helper
// variables, method parameters) always step aside. It does not write code. A run's lanes are
// named from the same plan (laneNames(): the lane rule of docs/events.md, "Lanes").

#include "scenario.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <functional>
#include <vector>

namespace Lifeline {

class PythonNamePlan
{
public:
    explicit PythonNamePlan(const Scenario &scenario);

    // Index = resource index.
    const std::vector<QString> &resources() const { return m_resources; }
    // What a run's lanes are named after, as the whole plan picks it: each resource's class or
    // function (index = resource index) and main's function. One pass over the scenario's
    // variable names, about 1 ms per 100,000 tasks, where the whole plan takes a quarter of a
    // second.
    struct LaneNames
    {
        std::vector<QString> resources;
        QString mainFunction;
    };
    static LaneNames laneNames(const Scenario &scenario);
    // How code refers to exception type `type`: `ValueError`, `asyncio.CancelledError`, the
    // custom class name, or a module-level alias when a variable shadows that name somewhere.
    QString exceptionRef(int type) const;
    QString exceptionAlias(int type) const { return m_aliases.value(type); }

    // `asynccontextmanager`, or `contextlib.asynccontextmanager` when a scenario name takes it.
    QString decorator() const;
    bool importsContextlibModule() const { return m_contextlibModule; }
    QString mainFunction() const { return m_main; }
    QString backgroundTasks() const { return m_backgroundTasks; }
    QString taskFunction(const TaskDef *task) const { return m_taskFunctions.value(task); }
    // Every TASK of the scenario in file order (a task before the tasks inside its body).
    const std::vector<const TaskDef *> &tasks() const { return m_tasks; }

    // Parameter and local names inside the resource classes and generator functions; one set
    // for all resources, since `execute(..., ms=, fail=)` is called on whatever a variable holds.
    struct Internals
    {
        QString self, arg, query, ms, fail, excType, exc, tb, resource;
    };
    const Internals &internals() const { return m_internals; }

    enum class Style {
        Underscore, // db, db_, db_2, ...: PEP 8's way to step aside from a name
        Numbered, // worker, worker_2, worker_3, ...: several of one kind
        Counter // e, e2, e3, ...
    };
    // A name for a variable the exporter introduces in a function (main: nullptr) that is not
    // a user variable there, not module level, not reserved and not in `alsoTaken`.
    QString freshLocal(const QString &base, const TaskDef *function, const QSet<QString> &alsoTaken,
                       Style style = Style::Counter) const;

private:
    // What stands at module level: the scenario's exception classes, the aliases of those a
    // variable shadows, the resources' names and main's; given every function's variables.
    struct ModuleNames
    {
        QSet<QString> names;
        QHash<int, QString> aliases;
        std::vector<QString> resources;
        QString main;
        bool contextlibModule = false;
    };
    static ModuleNames moduleNames(const Scenario &scenario, const QSet<QString> &allLocals);
    void collectLocals(const Block &block, QSet<QString> &locals);
    static QString fresh(const QString &base, const std::function<bool(const QString &)> &taken,
                         Style style);
    static QString identifierFrom(const QString &text);

    const Scenario &m_scenario;
    std::vector<QString> m_resources;
    QHash<int, QString> m_aliases;
    QSet<QString> m_moduleNames; // everything bound at module level
    QSet<QString> m_allLocals; // user variables of every function
    QHash<const TaskDef *, QSet<QString>> m_locals; // per function; main is nullptr
    QHash<const TaskDef *, QString> m_taskFunctions;
    std::vector<const TaskDef *> m_tasks;
    Internals m_internals;
    QString m_main;
    QString m_backgroundTasks;
    bool m_contextlibModule = false;
};

} // namespace Lifeline
