// SPDX-License-Identifier: MIT
#pragma once
// Terse builders for Scenario structs, so exporter tests can describe a program without the
// loader. finish() numbers steps in file order, as the loader does. Test-only: nothing checks
// that what is built is valid.

#include "scenario.h"

#include <initializer_list>

namespace Lifeline::Build {

// "Connecting to {arg}" -> parts; {{ and }} are literal braces.
inline Template text(const QString &source)
{
    Template parts;
    QString literal;
    const auto flush = [&] {
        if (!literal.isEmpty())
            parts.push_back({ TemplatePart::Kind::Text, literal });
        literal.clear();
    };
    for (qsizetype i = 0; i < source.size(); ++i) {
        if (source.mid(i, 2) == u"{{" || source.mid(i, 2) == u"}}") {
            literal += source[i];
            ++i;
            continue;
        }
        if (source[i] != u'{') {
            literal += source[i];
            continue;
        }
        const qsizetype close = source.indexOf(u'}', i);
        const QString field = source.mid(i + 1, close - i - 1);
        flush();
        TemplatePart part;
        part.kind = field == u"arg" ? TemplatePart::Kind::Arg
            : field == u"query"     ? TemplatePart::Kind::Query
            : field == u"exc"       ? TemplatePart::Kind::Exc
                                    : TemplatePart::Kind::ExcType;
        parts.push_back(part);
        i = close;
    }
    flush();
    return parts;
}

inline ExceptionSpec exc(int type)
{
    return { type, false, {} };
}

inline ExceptionSpec exc(int type, const QString &message)
{
    return { type, true, message };
}

inline PhaseSpec phase(const QString &print, qint64 ms = -1,
                       std::optional<ExceptionSpec> raise = {})
{
    PhaseSpec p;
    p.present = true;
    if (!print.isNull())
        p.print = text(print);
    p.ms = ms;
    p.raise = raise;
    return p;
}

inline ResourceDef classResource(const QString &id, const QString &name, const QString &arg,
                                 PhaseSpec enter, PhaseSpec exit,
                                 std::optional<PhaseSpec> execute = {})
{
    ResourceDef r;
    r.id = id;
    r.kind = ResourceDef::Kind::Class;
    r.name = name.isEmpty() ? id : name;
    r.arg = arg;
    r.enter = enter;
    r.exit = exit;
    if (execute) {
        r.hasExecute = true;
        r.execute = *execute;
    }
    return r;
}

inline ResourceDef generator(const QString &id, const QString &name, const QString &arg,
                             PhaseSpec enter, PhaseSpec exit)
{
    ResourceDef r = classResource(id, name, arg, enter, exit);
    r.kind = ResourceDef::Kind::Generator;
    return r;
}

inline WithItem item(int resource, const QString &as)
{
    return { resource, as, 0 };
}

inline Step with(std::vector<WithItem> items, Block body)
{
    Step s;
    s.kind = StepKind::With;
    s.items = std::move(items);
    s.body = std::move(body);
    return s;
}

inline Step execute(const QString &variable, const QString &query, qint64 ms = -1,
                    std::optional<ExceptionSpec> fail = {})
{
    Step s;
    s.kind = StepKind::Execute;
    s.call = ExecuteCall(variable, query);
    s.duration = ms;
    if (fail)
        s.rareParts().exception = fail;
    return s;
}

inline Step sleepFor(qint64 ms)
{
    Step s;
    s.kind = StepKind::Sleep;
    s.duration = ms;
    return s;
}

inline Step print(const QString &source)
{
    Step s;
    s.kind = StepKind::Print;
    s.text = text(source);
    return s;
}

inline Step raise(ExceptionSpec e)
{
    Step s;
    s.kind = StepKind::Raise;
    s.rareParts().exception = e;
    return s;
}

inline Step reraise()
{
    Step s;
    s.kind = StepKind::Reraise;
    return s;
}

inline Step tryStep(Block body, std::vector<Handler> handlers, std::optional<Block> elseBody = {},
                    std::optional<Block> finallyBody = {})
{
    Step s;
    s.kind = StepKind::Try;
    s.body = std::move(body);
    RareParts &parts = s.rareParts();
    parts.handlers = std::move(handlers);
    s.hasElse = elseBody.has_value();
    if (elseBody)
        parts.elseBody = *elseBody;
    s.hasFinally = finallyBody.has_value();
    if (finallyBody)
        parts.finallyBody = *finallyBody;
    return s;
}

inline TaskDef task(const QString &name, Block body, qint64 cancelAfter = -1)
{
    TaskDef t;
    t.name = name;
    t.body = std::move(body);
    t.cancelAfter = cancelAfter;
    return t;
}

inline Step tasks(StepKind kind, std::vector<TaskDef> list, bool returnExceptions = false)
{
    Step s;
    s.kind = kind;
    s.tasks = std::move(list);
    s.returnExceptions = returnExceptions;
    return s;
}

inline Step timeout(qint64 ms, Block body)
{
    Step s;
    s.kind = StepKind::Timeout;
    s.duration = ms;
    s.body = std::move(body);
    return s;
}

namespace Detail {
inline void number(Block &block, quint32 &next)
{
    for (Step &step : block) {
        step.id = next++;
        number(step.body, next);
        if (step.rare) {
            for (Handler &handler : step.rare->handlers)
                number(handler.body, next);
            number(step.rare->elseBody, next);
            number(step.rare->finallyBody, next);
        }
        for (TaskDef &task : step.tasks)
            number(task.body, next);
    }
}
} // namespace Detail

inline Scenario finish(Scenario s)
{
    quint32 next = 0;
    Detail::number(s.main, next);
    s.stepCount = next;
    return s;
}

// The spec's seed program.
inline Scenario seed()
{
    Scenario s;
    s.title = QStringLiteral("Seed example");
    s.description
        = QStringLiteral("A database connection and a managed GPU resource, one after the other.");
    s.resources.push_back(classResource(QStringLiteral("db"),
                                        QStringLiteral("AsyncDatabaseConnection"),
                                        QStringLiteral("postgresql://localhost/mydb"),
                                        phase(QStringLiteral("Connecting to {arg}"), 100),
                                        phase(QStringLiteral("Closing connection"), 100),
                                        phase(QStringLiteral("Executing: {query}"), 50)));
    s.resources.push_back(generator(QStringLiteral("gpu"), QStringLiteral("managed_resource"),
                                    QStringLiteral("GPU-001"),
                                    phase(QStringLiteral("Acquiring resource {arg}"), 100),
                                    phase(QStringLiteral("Releasing resource {arg}"))));
    s.main = {
        with({ item(0, QStringLiteral("db")) },
             { execute(QStringLiteral("db"), QStringLiteral("SELECT * FROM users")),
               print(QStringLiteral("Query result: {{'result': 'success'}}")) }),
        with({ item(1, QStringLiteral("gpu")) },
             { print(QStringLiteral("Using resource: {{'id': 'GPU-001', 'status': 'ready'}}")),
               sleepFor(200) }),
    };
    return finish(s);
}

} // namespace Lifeline::Build
