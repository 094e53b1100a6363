// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: the Writer prints one program top to bottom, and every
// construct's shape shares its indentation, its step lines and the one name plan; the names
// are PythonNamePlan's, the calls PythonCall's, the literals PythonLiteral's.
#include "pythonexporter.h"

#include "pythoncall.h"
#include "pythonliteral.h"
#include "pythonnameplan.h"

#include <QStringList>
#include <functional>

// One idea in one file (past 500 lines for that reason): the spec's construct-by-construct
// mapping, written by the private Writer below. The shapes it prints are the spec's; change them
// only together with the spec.

namespace Lifeline {

namespace {

constexpr int kIndentWidth = 4;
constexpr int kLineLimit = 88;

// Writes one program. Holds the function being written, so that templates know which
// handler variable `{exc}` means.
class Writer
{
public:
    explicit Writer(const Scenario &scenario)
        : m_scenario(scenario)
        , m_names(scenario)
        , m_self(m_names.internals())
    {
        m_stepLines.assign(scenario.stepCount, 0);
    }

    PythonExporter::Result run();

private:
    enum class Scope { ClassMethod, Generator, Function };

    int line(const QString &text);
    void topLevelGap();
    void indent() { ++m_indent; }
    void dedent() { --m_indent; }

    void writeHeader();
    // Whether a step of `kind` is anywhere in `block`, its handlers and its tasks included.
    static bool uses(const Block &block, StepKind kind);
    void writeExceptions();
    void writeClassResource(const ResourceDef &resource, const QString &name);
    void writeGeneratorResource(const ResourceDef &resource, const QString &name);
    void writePhasePrintAndSleep(const PhaseSpec &phase, Scope scope);
    void writeFunction(const QString &name, const Block &body, const TaskDef *function);
    void writeBlock(const Block &block);
    void writeStep(const Step &step);
    void writeWith(const Step &step);
    void writeTry(const Step &step);
    void writeTasks(const Step &step);

    QString print(const Template &text, Scope scope) const;
    QString exception(const ExceptionSpec &spec) const;
    QString typeTuple(const std::vector<int> &types) const;
    QString taskCall(const TaskDef &task, const QString &creator) const;
    QString argParameter(const ResourceDef &resource) const;

    const Scenario &m_scenario;
    const PythonNamePlan m_names;
    const PythonNamePlan::Internals &m_self;
    QStringList m_lines;
    std::vector<int> m_stepLines;
    int m_indent = 0;
    const TaskDef *m_function = nullptr; // the function being written; main is nullptr
    QStringList m_handlerVariables; // active `except ... as` names, innermost last
};

int Writer::line(const QString &text)
{
    m_lines << (text.isEmpty() ? QString() : QString(m_indent * kIndentWidth, u' ') + text);
    return int(m_lines.size());
}

// PEP 8: two blank lines around top-level definitions.
void Writer::topLevelGap()
{
    if (m_lines.isEmpty())
        return;
    while (m_lines.size() < 2 || !m_lines.last().isEmpty()
           || !m_lines[m_lines.size() - 2].isEmpty())
        m_lines << QString();
}

PythonExporter::Result Writer::run()
{
    writeHeader();
    line(QStringLiteral("import asyncio"));
    bool hasGenerator = false;
    for (const ResourceDef &resource : m_scenario.resources)
        hasGenerator = hasGenerator || resource.kind == ResourceDef::Kind::Generator;
    if (hasGenerator) {
        line(m_names.importsContextlibModule()
                 ? QStringLiteral("import contextlib")
                 : QStringLiteral("from contextlib import asynccontextmanager"));
    }
    writeExceptions();

    for (size_t i = 0; i < m_scenario.resources.size(); ++i) {
        const ResourceDef &resource = m_scenario.resources[i];
        const QString &name = m_names.resources()[i];
        topLevelGap();
        if (name != (resource.name.isEmpty() ? resource.id : resource.name)) {
            line(QStringLiteral("# Resource \"%1\": renamed from %2, a name this program also uses "
                                "for something else")
                     .arg(resource.id, resource.name.isEmpty() ? resource.id : resource.name));
        }
        if (resource.kind == ResourceDef::Kind::Class)
            writeClassResource(resource, name);
        else
            writeGeneratorResource(resource, name);
    }

    if (uses(m_scenario.main, StepKind::Spawn)) {
        topLevelGap();
        line(QStringLiteral(
            "# Spawned tasks are never awaited. asyncio keeps only weak references to tasks,"));
        line(QStringLiteral(
            "# so this list keeps each one alive until asyncio.run() cancels it at the end."));
        line(m_names.backgroundTasks() + QStringLiteral(" = []"));
    }

    for (const TaskDef *task : m_names.tasks())
        writeFunction(m_names.taskFunction(task), task->body, task);
    writeFunction(m_names.mainFunction(), m_scenario.main, nullptr);

    topLevelGap();
    line(QStringLiteral("if __name__ == \"__main__\":"));
    indent();
    line(QStringLiteral("asyncio.run(%1())").arg(m_names.mainFunction()));
    dedent();

    return { m_lines.join(u'\n') + u'\n', m_stepLines };
}

bool Writer::uses(const Block &block, StepKind kind)
{
    for (const Step &step : block) {
        if (step.kind == kind || uses(step.body, kind) || uses(step.elseBody(), kind)
            || uses(step.finallyBody(), kind))
            return true;
        for (const Handler &handler : step.handlers())
            if (uses(handler.body, kind))
                return true;
        for (const TaskDef &task : step.tasks)
            if (uses(task.body, kind))
                return true;
    }
    return false;
}

void Writer::writeHeader()
{
    if (!m_scenario.title.isEmpty())
        line(QStringLiteral("# ") + PythonLiteral::comment(m_scenario.title));
    if (!m_scenario.description.isEmpty()) {
        if (!m_scenario.title.isEmpty())
            line(QStringLiteral("#"));
        for (const QString &text : PythonLiteral::wrapped(m_scenario.description, 77))
            line(text.isEmpty() ? QStringLiteral("#")
                                : QStringLiteral("# ") + PythonLiteral::comment(text));
    }
    // Where CPython's order follows memory addresses, the program run by plain python3 may
    // print lines in another order than `lifeline run` (scenario-format.md, Virtual clock).
    const bool taskGroup = uses(m_scenario.main, StepKind::TaskGroup);
    if (taskGroup || uses(m_scenario.main, StepKind::Spawn)) {
        if (!m_lines.isEmpty())
            line(QStringLiteral("#"));
        const QString why = taskGroup
            ? QStringLiteral("CPython keeps a TaskGroup's tasks in a set, so a failing TaskGroup "
                             "cancels the others in an order that follows memory addresses, as "
                             "asyncio.run does with the tasks still running at its end.")
            : QStringLiteral("asyncio.run cancels the tasks still running at its end in an order "
                             "that follows memory addresses (CPython keeps them in a weak set).");
        const QString note
            = QStringLiteral("Run with plain python3, this program may print lines in another "
                             "order than `lifeline run`: %1 Lifeline cancels in creation "
                             "order; to run the program with that order pinned, on its "
                             "virtual clock:")
                  .arg(why);
        for (const QString &text : PythonLiteral::wrapped(note, 77))
            line(QStringLiteral("# ") + text);
        line(QStringLiteral("#     lifeline trace --virtual-clock PROGRAM.py"));
        line(QStringLiteral("#     python3 tests/python/vclock_runner.py PROGRAM.py  "
                            "(in Lifeline's source tree)"));
    }
    if (!m_lines.isEmpty())
        line(QString());
}

void Writer::writeExceptions()
{
    const ExceptionTypes &types = m_scenario.types;
    if (types.count() == ExceptionTypes::BuiltinCount)
        return;
    topLevelGap();
    for (int type = ExceptionTypes::BuiltinCount; type < types.count(); ++type) {
        // At module level no variable shadows a class: bases use real names, not aliases.
        const int base = types.base(type);
        const QString baseName = base == ExceptionTypes::CancelledError ? m_names.exceptionRef(base)
                                                                        : types.name(base);
        line(QStringLiteral("class %1(%2): pass").arg(types.name(type), baseName));
    }
    for (int type = ExceptionTypes::BuiltinCount; type < types.count(); ++type) {
        const QString alias = m_names.exceptionAlias(type);
        if (!alias.isEmpty()) {
            line(QStringLiteral("%1 = %2  # a variable is also called %2")
                     .arg(alias, types.name(type)));
        }
    }
}

QString Writer::argParameter(const ResourceDef &resource) const
{
    // `Lock()` reads better than `Lock("")` (PythonCall leaves an empty arg out of the call);
    // the default keeps `{arg}` working.
    return resource.arg.isEmpty() ? m_self.arg + QStringLiteral("=\"\"") : m_self.arg;
}

void Writer::writePhasePrintAndSleep(const PhaseSpec &phase, Scope scope)
{
    if (phase.print)
        line(print(*phase.print, scope));
    if (phase.ms >= 0)
        line(QStringLiteral("await asyncio.sleep(%1)").arg(PythonLiteral::seconds(phase.ms)));
}

void Writer::writeClassResource(const ResourceDef &resource, const QString &name)
{
    const QString &self = m_self.self;
    line(QStringLiteral("class %1:").arg(name));
    indent();

    line(QStringLiteral("def __init__(%1, %2):").arg(self, argParameter(resource)));
    indent();
    line(QStringLiteral("%1.arg = %2").arg(self, m_self.arg));
    line(QStringLiteral("%1.connected = False").arg(self));
    dedent();

    line(QString());
    line(QStringLiteral("async def __aenter__(%1):").arg(self));
    indent();
    writePhasePrintAndSleep(resource.enter, Scope::ClassMethod);
    if (resource.enter.raise) {
        line(QStringLiteral("raise ") + exception(*resource.enter.raise));
    } else {
        line(QStringLiteral("%1.connected = True").arg(self));
        line(QStringLiteral("return %1").arg(self));
    }
    dedent();

    line(QString());
    line(QStringLiteral("async def __aexit__(%1, %2, %3, %4):")
             .arg(self, m_self.excType, m_self.exc, m_self.tb));
    indent();
    writePhasePrintAndSleep(resource.exit, Scope::ClassMethod);
    line(QStringLiteral("%1.connected = False").arg(self));
    if (resource.exit.raise) {
        line(QStringLiteral("raise ") + exception(*resource.exit.raise));
    } else {
        switch (resource.suppress) {
        case ResourceDef::Suppress::Nothing:
            line(QStringLiteral("return False"));
            break;
        case ResourceDef::Suppress::Everything:
            line(QStringLiteral("return True"));
            break;
        case ResourceDef::Suppress::Types:
            line(QStringLiteral("return %1 is not None and issubclass(%1, %2)")
                     .arg(m_self.excType, typeTuple(resource.suppressTypes)));
            break;
        }
    }
    dedent();

    if (resource.hasExecute) {
        const PhaseSpec &phase = resource.execute;
        const QString ms
            = phase.ms >= 0 ? PythonLiteral::seconds(phase.ms) : QStringLiteral("None");
        line(QString());
        line(QStringLiteral("async def execute(%1, %2, %3=%4, %5=None):")
                 .arg(self, m_self.query, m_self.ms, ms, m_self.fail));
        indent();
        line(QStringLiteral("if not %1.connected:").arg(self));
        indent();
        line(QStringLiteral("raise RuntimeError(\"Not connected\")"));
        dedent();
        if (phase.print)
            line(print(*phase.print, Scope::ClassMethod));
        if (phase.ms >= 0) {
            line(QStringLiteral("await asyncio.sleep(%1)").arg(m_self.ms));
        } else {
            // No wait of its own; a call may still ask for one.
            line(QStringLiteral("if %1 is not None:").arg(m_self.ms));
            indent();
            line(QStringLiteral("await asyncio.sleep(%1)").arg(m_self.ms));
            dedent();
        }
        line(QStringLiteral("if %1 is not None:").arg(m_self.fail));
        indent();
        line(QStringLiteral("raise ") + m_self.fail);
        dedent();
        if (phase.raise)
            line(QStringLiteral("raise ") + exception(*phase.raise));
        else
            line(QStringLiteral("return {\"result\": \"success\"}"));
        dedent();
    }
    dedent();
}

// The spec's generator shape. Code after an enter `raise` is kept: the yields must stay for
// the function to remain an async generator, and the shape reads the same in every variant.
void Writer::writeGeneratorResource(const ResourceDef &resource, const QString &name)
{
    const QString &value = m_self.resource;
    const bool finallyCleanup = resource.cleanup == ResourceDef::Cleanup::Finally;
    const bool suppresses = resource.suppress != ResourceDef::Suppress::Nothing;
    const PhaseSpec &exit = resource.exit;
    const bool hasFinally = resource.yieldInTryFinally();

    const auto writeEnterRest = [&] {
        if (resource.enter.ms >= 0)
            line(QStringLiteral("await asyncio.sleep(%1)")
                     .arg(PythonLiteral::seconds(resource.enter.ms)));
        if (resource.enter.raise)
            line(QStringLiteral("raise ") + exception(*resource.enter.raise));
        line(QStringLiteral("%1[\"status\"] = \"ready\"").arg(value));
    };
    const auto writeYields = [&] {
        if (resource.yields == 0) {
            line(QStringLiteral("if False:"));
            indent();
            line(QStringLiteral("yield  # never runs; it keeps this function a generator"));
            dedent();
        }
        for (int i = 0; i < resource.yields; ++i)
            line(QStringLiteral("yield ") + value);
    };
    const auto writeExcept = [&] {
        line(resource.suppress == ResourceDef::Suppress::Everything
                 ? QStringLiteral("except BaseException:")
                 : QStringLiteral("except %1:").arg(typeTuple(resource.suppressTypes)));
        indent();
        line(QStringLiteral("pass"));
        dedent();
    };
    const auto writeExit = [&] {
        writePhasePrintAndSleep(exit, Scope::Generator);
        if (exit.raise)
            line(QStringLiteral("raise ") + exception(*exit.raise));
    };

    line(QStringLiteral("@") + m_names.decorator());
    line(QStringLiteral("async def %1(%2):").arg(name, argParameter(resource)));
    indent();
    line(QStringLiteral("%1 = {\"id\": %2, \"status\": \"initialized\"}").arg(value, m_self.arg));
    if (resource.enter.print)
        line(print(*resource.enter.print, Scope::Generator));
    if (finallyCleanup) {
        const bool useTry = suppresses || hasFinally;
        if (useTry) {
            line(QStringLiteral("try:"));
            indent();
        }
        writeEnterRest();
        writeYields();
        if (useTry)
            dedent();
        if (suppresses)
            writeExcept();
        if (hasFinally) {
            line(QStringLiteral("finally:"));
            indent();
            writeExit();
            dedent();
        }
    } else {
        writeEnterRest();
        if (suppresses) {
            line(QStringLiteral("try:"));
            indent();
            writeYields();
            dedent();
            writeExcept();
        } else {
            writeYields();
        }
        writeExit();
    }
    dedent();
}

void Writer::writeFunction(const QString &name, const Block &body, const TaskDef *function)
{
    m_function = function;
    m_handlerVariables.clear();
    topLevelGap();
    line(QStringLiteral("async def %1():").arg(name));
    indent();
    writeBlock(body);
    dedent();
}

void Writer::writeBlock(const Block &block)
{
    if (block.empty()) {
        line(QStringLiteral("pass"));
        return;
    }
    for (const Step &step : block)
        writeStep(step);
}

void Writer::writeStep(const Step &step)
{
    const int first = int(m_lines.size()) + 1;
    switch (step.kind) {
    case StepKind::With:
        writeWith(step);
        break;
    case StepKind::Execute: {
        QString args = PythonLiteral::string(step.query());
        if (step.duration >= 0)
            args += QStringLiteral(", %1=%2").arg(m_self.ms, PythonLiteral::seconds(step.duration));
        if (step.exception())
            args += QStringLiteral(", %1=%2").arg(m_self.fail, exception(*step.exception()));
        line(QStringLiteral("await %1.execute(%2)").arg(step.variable(), args));
        break;
    }
    case StepKind::Sleep:
        line(QStringLiteral("await asyncio.sleep(%1)").arg(PythonLiteral::seconds(step.duration)));
        break;
    case StepKind::Print:
        line(print(step.text, Scope::Function));
        break;
    case StepKind::Raise:
        line(QStringLiteral("raise ") + exception(*step.exception()));
        break;
    case StepKind::Reraise:
        line(QStringLiteral("raise"));
        break;
    case StepKind::Try:
        writeTry(step);
        break;
    case StepKind::Gather:
    case StepKind::TaskGroup:
    case StepKind::Spawn:
        writeTasks(step);
        break;
    case StepKind::Timeout:
        line(QStringLiteral("async with asyncio.%1:").arg(PythonCall::timeout(step.duration)));
        indent();
        writeBlock(step.body);
        dedent();
        break;
    }
    // Ids are dense below stepCount in a loaded Scenario; a hand-built one may forget stepCount.
    if (step.id >= m_stepLines.size())
        m_stepLines.resize(step.id + 1, 0);
    m_stepLines[step.id] = first;
}

void Writer::writeWith(const Step &step)
{
    QStringList items;
    for (const WithItem &item : step.items) {
        const ResourceDef &resource = m_scenario.resources[size_t(item.resource)];
        const QString call
            = PythonCall::resourceSource(m_names.resources()[size_t(item.resource)], resource.arg);
        items << QStringLiteral("%1 as %2").arg(call, item.as);
    }
    const QString oneLine = QStringLiteral("async with %1:").arg(items.join(QStringLiteral(", ")));
    if (items.size() > 1 && m_indent * kIndentWidth + oneLine.size() > kLineLimit) {
        // Parenthesized context managers (Python 3.10+): one item per line.
        line(QStringLiteral("async with ("));
        indent();
        for (const QString &item : std::as_const(items))
            line(item + u',');
        dedent();
        line(QStringLiteral("):"));
    } else {
        line(oneLine);
    }
    indent();
    writeBlock(step.body);
    dedent();
}

void Writer::writeTry(const Step &step)
{
    line(QStringLiteral("try:"));
    indent();
    writeBlock(step.body);
    dedent();
    for (const Handler &handler : step.handlers()) {
        // Nested handlers need distinct names: leaving a handler deletes its variable.
        const QString variable = m_names.freshLocal(
            QStringLiteral("e"), m_function,
            QSet<QString>(m_handlerVariables.cbegin(), m_handlerVariables.cend()));
        line(QStringLiteral("except %1 as %2:").arg(typeTuple(handler.types), variable));
        indent();
        m_handlerVariables << variable;
        writeBlock(handler.body);
        m_handlerVariables.removeLast();
        dedent();
    }
    if (step.hasElse) {
        line(QStringLiteral("else:"));
        indent();
        writeBlock(step.elseBody());
        dedent();
    }
    if (step.hasFinally) {
        line(QStringLiteral("finally:"));
        indent();
        writeBlock(step.finallyBody());
        dedent();
    }
}

QString Writer::taskCall(const TaskDef &task, const QString &creator) const
{
    return QStringLiteral("%1(%2(), name=%3)")
        .arg(creator, m_names.taskFunction(&task), PythonLiteral::string(task.name));
}

void Writer::writeTasks(const Step &step)
{
    QSet<QString> taken(m_handlerVariables.cbegin(), m_handlerVariables.cend());
    const auto taskVariable = [&](size_t index) {
        const QString name = m_names.freshLocal(QStringLiteral("t%1").arg(index + 1), m_function,
                                                taken, PythonNamePlan::Style::Underscore);
        taken.insert(name);
        return name;
    };
    const auto cancelLater = [&](const TaskDef &task, const QString &variable) {
        line(QStringLiteral("asyncio.get_running_loop().call_later(%1, %2.cancel)")
                 .arg(PythonLiteral::seconds(task.cancelAfter), variable));
    };

    switch (step.kind) {
    case StepKind::Gather: {
        QStringList variables;
        for (size_t i = 0; i < step.tasks.size(); ++i) {
            const TaskDef &task = step.tasks[i];
            const QString variable = taskVariable(i);
            variables << variable;
            line(QStringLiteral("%1 = %2").arg(
                variable, taskCall(task, QStringLiteral("asyncio.create_task"))));
            if (task.cancelAfter >= 0)
                cancelLater(task, variable);
        }
        line(QStringLiteral("await asyncio.gather(%1, return_exceptions=%2)")
                 .arg(variables.join(QStringLiteral(", ")),
                      step.returnExceptions ? QStringLiteral("True") : QStringLiteral("False")));
        break;
    }
    case StepKind::TaskGroup: {
        const QString group = m_names.freshLocal(QStringLiteral("tg"), m_function, taken,
                                                 PythonNamePlan::Style::Underscore);
        taken.insert(group);
        line(QStringLiteral("async with asyncio.%1 as %2:").arg(PythonCall::taskGroup(), group));
        indent();
        for (size_t i = 0; i < step.tasks.size(); ++i) {
            const TaskDef &task = step.tasks[i];
            const QString call = taskCall(task, group + QStringLiteral(".create_task"));
            if (task.cancelAfter >= 0) {
                const QString variable = taskVariable(i);
                line(QStringLiteral("%1 = %2").arg(variable, call));
                cancelLater(task, variable);
            } else {
                line(call);
            }
        }
        dedent();
        break;
    }
    case StepKind::Spawn: {
        const TaskDef &task = step.tasks.front();
        const QString call = taskCall(task, QStringLiteral("asyncio.create_task"));
        if (task.cancelAfter >= 0) {
            const QString variable = taskVariable(0);
            line(QStringLiteral("%1 = %2").arg(variable, call));
            cancelLater(task, variable);
            line(QStringLiteral("%1.append(%2)").arg(m_names.backgroundTasks(), variable));
        } else {
            line(QStringLiteral("%1.append(%2)").arg(m_names.backgroundTasks(), call));
        }
        break;
    }
    default:
        break;
    }
}

// A template as print(...): a plain literal when it has no placeholder (no brace doubling to
// read past), an f-string otherwise.
QString Writer::print(const Template &text, Scope scope) const
{
    QString body;
    QString plain;
    bool hasField = false;
    const QString handler = m_handlerVariables.isEmpty() ? QString() : m_handlerVariables.last();
    for (const TemplatePart &part : text) {
        QString field;
        switch (part.kind) {
        case TemplatePart::Kind::Text:
            break;
        case TemplatePart::Kind::Arg:
            if (scope == Scope::ClassMethod)
                field = m_self.self + QStringLiteral(".arg");
            else if (scope == Scope::Generator)
                field = m_self.arg;
            break;
        case TemplatePart::Kind::Query:
            if (scope == Scope::ClassMethod)
                field = m_self.query;
            break;
        case TemplatePart::Kind::Exc:
            if (scope == Scope::Function && !handler.isEmpty())
                field = handler;
            break;
        case TemplatePart::Kind::ExcType:
            if (scope == Scope::Function && !handler.isEmpty())
                field = QStringLiteral("type(%1).__name__").arg(handler);
            break;
        }
        if (!field.isEmpty()) {
            hasField = true;
            body += u'{' + field + u'}';
        } else {
            // Text, or a placeholder a valid scenario never has here: printed as written.
            static const char *const kPlaceholders[]
                = { "", "{arg}", "{query}", "{exc}", "{exc_type}" };
            const QString literal = part.kind == TemplatePart::Kind::Text
                ? part.text
                : QString::fromLatin1(kPlaceholders[int(part.kind)]);
            body += PythonLiteral::fstringText(literal);
            plain += literal;
        }
    }
    if (hasField)
        return QStringLiteral("print(f\"%1\")").arg(body);
    return QStringLiteral("print(%1)").arg(PythonLiteral::string(plain));
}

QString Writer::exception(const ExceptionSpec &spec) const
{
    return QStringLiteral("%1(%2)").arg(m_names.exceptionRef(spec.type),
                                        spec.hasMessage ? PythonLiteral::string(spec.message)
                                                        : QString());
}

QString Writer::typeTuple(const std::vector<int> &types) const
{
    QStringList names;
    for (int type : types)
        names << m_names.exceptionRef(type);
    return names.size() == 1 ? u'(' + names.front() + QStringLiteral(",)")
                             : u'(' + names.join(QStringLiteral(", ")) + u')';
}

} // namespace

PythonExporter::Result PythonExporter::exportScenario(const Scenario &scenario)
{
    return Writer(scenario).run();
}

} // namespace Lifeline
