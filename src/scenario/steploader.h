// SPDX-License-Identifier: MIT
#pragma once
// Builds the Blocks of `main` and of every task body from JSON: each step's kind and options,
// resource and variable resolution (one slot table per function), step ids in depth-first
// pre-order, the nesting limit, and where {exc}/{exc_type} and `reraise` may appear. Reports
// through LoadContext and never stops at the first problem; knows nothing about running.

#include "loadcontext.h"
#include "scenario.h"

#include <QHash>

namespace Lifeline {

class StepLoader
{
public:
    static constexpr int MaxLevel = 10; // blocks nest at most this deep within one function

    // Without `resourcesKnown` (the file's resource list was unusable), resource names are not
    // checked, so one broken list does not make every `with` report too.
    StepLoader(LoadContext &context, const std::vector<ResourceDef> &resources,
               const QHash<QString, int> &resourceIds, bool resourcesKnown = true);

    // `main`'s steps (the current path must be `main`'s); sets the function's slot count.
    Block loadMain(const JsonValue &steps, int *slotCount);
    // Ids handed out so far: after loadMain(), the scenario's step count.
    quint32 stepCount() const { return m_nextId; }

private:
    struct Variable
    {
        int slot = 0;
        bool executable = false; // some earlier `with` bound it to a class with `execute`
    };
    // A function's variables, by slot. Most functions bind a handful of names, so a linear scan
    // beats hashing every `with`; past 16 names a hash index takes over.
    struct Function
    {
        std::vector<std::pair<QString, Variable>> variables;
        QHash<QString, int> index;
        int slotCount = 0;
        Variable *find(const QString &name);
    };

    void loadBlock(const JsonValue &steps, Block *out, Function &function, int level,
                   bool inExcept);
    // A body under `key` of the current object, whose steps sit at `level`.
    void loadBody(const JsonValue &member, std::string_view key, Block *out, Function &function,
                  int level, bool inExcept);
    void loadStep(const JsonValue &value, Step *step, Function &function, int level, bool inExcept);
    // The kind of the step `value` (the index of its row in steploader.cpp's table), reporting
    // a second kind's key and an object that has none; -1 for none.
    int readKind(const JsonValue &value);
    // The value of the key that names the step (a sleep's duration, a gather's tasks), for the
    // kinds whose other keys were read before it.
    void loadKindValue(const JsonValue &main, Step *step, bool inExcept);
    void loadWith(const JsonValue &value, const JsonValue **found, Step *step, Function &function,
                  int level, bool inExcept);
    void loadWithItem(const JsonValue &value, WithItem *item, Function &function);
    void loadExecute(const JsonValue &value, const JsonValue **found, Step *step,
                     Function &function);
    void loadTry(const JsonValue &value, const JsonValue **found, Step *step, Function &function,
                 int level, bool inExcept);
    void loadHandler(const JsonValue &value, Handler *handler, Function &function, int level);
    void loadTasks(const JsonValue &value, CompactVector<TaskDef> *tasks);
    void loadTask(const JsonValue &value, TaskDef *task);
    int bind(Function &function, const QString &name, bool executable);
    // LoadContext::readDuration() into a Step's 32-bit field.
    void readDuration(const JsonValue &value, qint32 *out);

    LoadContext &m_context;
    const std::vector<ResourceDef> &m_resources;
    const QHash<QString, int> &m_resourceIds;
    bool m_resourcesKnown = true;
    quint32 m_nextId = 0;
};

} // namespace Lifeline
