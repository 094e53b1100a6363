// SPDX-License-Identifier: MIT
#include "scenarioloader.h"

#include "jsonreader.h"
#include "loadcontext.h"
#include "pythonnames.h"
#include "steploader.h"
#include "templateparser.h"
#include "tracereader.h"
#include "tracescenario.h"

#include <QFile>

namespace Lifeline {

namespace {

using Scope = LoadContext::Scope;

constexpr std::string_view kDocumentKeys[]
    = { "lifeline", "title", "description", "exceptions", "resources", "main" };
constexpr std::string_view kExceptionKeys[] = { "name", "base" };
constexpr std::string_view kResourceKeys[]
    = { "id", "kind", "name", "arg", "enter", "execute", "exit", "cleanup", "yields" };
constexpr std::string_view kPhaseKeys[] = { "print", "ms", "raise" };
constexpr std::string_view kExitPhaseKeys[] = { "print", "ms", "raise", "suppress" };
constexpr std::string_view kSuppressKey[] = { "suppress" };

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

// Everything below the document: exceptions, then resources, then main, the order in which
// names become known, whatever order the keys have in the file.
class DocumentLoader
{
public:
    DocumentLoader(LoadContext &context, Scenario *scenario)
        : m_context(context)
        , m_scenario(*scenario)
    {
    }

    void load(const JsonValue &root);

private:
    void loadException(const JsonValue &value, qint64 index);
    void loadResource(const JsonValue &value, qint64 index, ResourceDef *resource);
    void loadPhase(const JsonValue &member, std::string_view key, int placeholders,
                   PhaseSpec *phase, ResourceDef *exitOf);
    void loadSuppress(const JsonValue &value, ResourceDef *resource);
    // Like `key`, but only for one kind: reports it at the key when the kind is the other one.
    bool kindAllows(const JsonValue &member, const ResourceDef &resource, bool knownKind,
                    ResourceDef::Kind kind, QLatin1StringView key);

    LoadContext &m_context;
    Scenario &m_scenario;
    QHash<QString, qint64> m_exceptionIndexes; // custom name -> index in `exceptions`
    QHash<QString, int> m_resourceIds;
};

void DocumentLoader::load(const JsonValue &root)
{
    if (!root.isObject()) {
        m_context.expected(root,
                           QLatin1String("the scenario: a JSON object such as "
                                         "{\"lifeline\": 1, \"resources\": [...], "
                                         "\"main\": [...]}"));
        return;
    }
    const JsonValue *found[6];
    m_context.readObject(root, kDocumentKeys, found, QLatin1String("the scenario"));
    const auto &[lifeline, title, description, exceptions, resources, main] = found;

    if (!lifeline) {
        m_context.missingKey(root, "lifeline",
                             QLatin1String("the scenario (the format version, 1)"));
    } else if (!lifeline->fitsInt64() || lifeline->integer() != 1) {
        const Scope scope(m_context, "lifeline");
        if (lifeline->fitsInt64()) {
            m_context.error(*lifeline,
                            QStringLiteral("unsupported format version %1: this program reads "
                                           "version 1")
                                .arg(lifeline->integer()));
        } else {
            m_context.expected(*lifeline, QLatin1String("the format version, the number 1"));
        }
    }
    if (title) {
        const Scope scope(m_context, "title");
        m_context.readString(*title, &m_scenario.title);
    }
    if (description) {
        const Scope scope(m_context, "description");
        m_context.readString(*description, &m_scenario.description);
    }
    if (exceptions) {
        const Scope scope(m_context, "exceptions");
        if (m_context.expectArray(*exceptions, QLatin1String("a list of exception classes"))) {
            qint64 index = 0;
            for (const JsonValue &exception : *exceptions) {
                const Scope itemScope(m_context, index);
                loadException(exception, index++);
            }
        }
    }
    bool resourcesKnown = false;
    if (!resources) {
        m_context.missingKey(root, "resources", QLatin1String("the scenario"));
    } else {
        const Scope scope(m_context, "resources");
        resourcesKnown = m_context.expectArray(*resources, QLatin1String("a list of resources"));
        if (resourcesKnown) {
            m_scenario.resources.resize(resources->count());
            qint64 index = 0;
            for (const JsonValue &resource : *resources) {
                const Scope itemScope(m_context, index);
                loadResource(resource, index, &m_scenario.resources[size_t(index)]);
                ++index;
            }
        }
    }
    if (!main) {
        m_context.missingKey(root, "main", QLatin1String("the scenario"));
    } else {
        const Scope scope(m_context, "main");
        StepLoader steps(m_context, m_scenario.resources, m_resourceIds, resourcesKnown);
        m_scenario.main = steps.loadMain(*main, &m_scenario.mainSlotCount);
        m_scenario.stepCount = steps.stepCount();
        m_scenario.variableNames = std::make_shared<const QSet<QString>>(m_context.variableNames());
    }
}

void DocumentLoader::loadException(const JsonValue &value, qint64 index)
{
    if (!m_context.expectObject(value,
                                QLatin1String("an exception class: {\"name\": ..., "
                                              "\"base\": ...}"))) {
        return;
    }
    const JsonValue *found[2];
    m_context.readObject(value, kExceptionKeys, found, QLatin1String("an exception class"));
    int base = ExceptionTypes::Exception;
    if (found[1]) {
        const Scope scope(m_context, "base");
        QString baseName;
        if (m_context.readString(*found[1], &baseName)) {
            base = m_context.findExceptionType(baseName);
            if (base < 0) {
                m_context.error(*found[1],
                                QStringLiteral("unknown base %1: a base must be a built-in "
                                               "exception or a class defined earlier in "
                                               "\"exceptions\"")
                                    .arg(quoted(baseName)));
                base = ExceptionTypes::Exception;
            }
        }
    }
    if (!found[0]) {
        m_context.missingKey(value, "name", QLatin1String("an exception class"));
        return;
    }
    const Scope scope(m_context, "name");
    QString name;
    if (!m_context.readString(*found[0], &name))
        return;
    const int existing = m_context.findExceptionType(name);
    if (existing >= 0 && m_context.types().isBuiltin(existing)) {
        m_context.error(*found[0],
                        QStringLiteral("%1 is a built-in exception; a custom class "
                                       "needs a name of its own")
                            .arg(quoted(name)));
        return;
    }
    if (existing >= 0) {
        m_context.error(*found[0],
                        QStringLiteral("exception class %1 is defined twice (first in "
                                       "exceptions[%2])")
                            .arg(quoted(name), QString::number(m_exceptionIndexes.value(name))));
        return;
    }
    const QString why = PythonNames::whyNotName(name);
    if (!why.isEmpty()) {
        m_context.error(
            *found[0],
            QStringLiteral("exception name %1 is not a valid name: %2").arg(quoted(name), why));
    }
    // Added even when the name is invalid, so later uses of it do not each report it again.
    m_context.addExceptionType(name, base);
    m_exceptionIndexes.insert(name, index);
}

void DocumentLoader::loadResource(const JsonValue &value, qint64 index, ResourceDef *resource)
{
    if (!m_context.expectObject(value, QLatin1String("a resource: {\"id\": ..., \"kind\": ...}")))
        return;
    const JsonValue *found[9];
    m_context.readObject(value, kResourceKeys, found, QLatin1String("a resource"));
    const auto &[id, kind, name, arg, enter, execute, exit, cleanup, yields] = found;

    if (!id) {
        m_context.missingKey(value, "id", QLatin1String("a resource"));
    } else {
        const Scope scope(m_context, "id");
        m_context.readName(*id, &resource->id, QLatin1String("resource id"));
        if (id->isString()) {
            const int first = m_resourceIds.value(resource->id, -1);
            if (first >= 0) {
                m_context.error(*id,
                                QStringLiteral("duplicate resource id %1 (already used by "
                                               "resources[%2])")
                                    .arg(quoted(resource->id), QString::number(first)));
            } else {
                m_resourceIds.insert(resource->id, int(index));
            }
        }
    }
    bool knownKind = false;
    if (!kind) {
        m_context.missingKey(value, "kind", QLatin1String("a resource"));
    } else {
        const Scope scope(m_context, "kind");
        const QString text = kind->isString() ? m_context.document().string(*kind) : QString();
        if (text == u"class") {
            resource->kind = ResourceDef::Kind::Class;
            knownKind = true;
        } else if (text == u"generator") {
            resource->kind = ResourceDef::Kind::Generator;
            knownKind = true;
        } else {
            m_context.expected(*kind, QLatin1String("\"class\" or \"generator\""));
        }
    }
    resource->name = resource->id;
    if (name) {
        const Scope scope(m_context, "name");
        m_context.readString(*name, &resource->name);
    }
    if (arg) {
        const Scope scope(m_context, "arg");
        m_context.readString(*arg, &resource->arg);
    }
    const int phasePlaceholders = TemplateParser::AllowArg;
    if (enter)
        loadPhase(*enter, "enter", phasePlaceholders, &resource->enter, nullptr);
    if (execute) {
        kindAllows(*execute, *resource, knownKind, ResourceDef::Kind::Class,
                   QLatin1String("an \"execute\" phase"));
        loadPhase(*execute, "execute", phasePlaceholders | TemplateParser::AllowQuery,
                  &resource->execute, nullptr);
        // With an unknown kind, keep the method so `execute` steps do not report it again.
        resource->hasExecute = !knownKind || resource->kind == ResourceDef::Kind::Class;
    }
    if (exit)
        loadPhase(*exit, "exit", phasePlaceholders, &resource->exit, resource);
    if (cleanup) {
        kindAllows(*cleanup, *resource, knownKind, ResourceDef::Kind::Generator,
                   QLatin1String("\"cleanup\""));
        const Scope scope(m_context, "cleanup");
        const QString text
            = cleanup->isString() ? m_context.document().string(*cleanup) : QString();
        if (text == u"finally")
            resource->cleanup = ResourceDef::Cleanup::Finally;
        else if (text == u"after_yield")
            resource->cleanup = ResourceDef::Cleanup::AfterYield;
        else
            m_context.expected(*cleanup, QLatin1String("\"finally\" or \"after_yield\""));
    }
    if (yields) {
        kindAllows(*yields, *resource, knownKind, ResourceDef::Kind::Generator,
                   QLatin1String("\"yields\""));
        const Scope scope(m_context, "yields");
        if (yields->fitsInt64() && yields->integer() >= 0 && yields->integer() <= 2)
            resource->yields = int(yields->integer());
        else
            m_context.expected(*yields, QLatin1String("0, 1 or 2 (how many yield statements)"));
    }
}

bool DocumentLoader::kindAllows(const JsonValue &member, const ResourceDef &resource,
                                bool knownKind, ResourceDef::Kind kind, QLatin1StringView key)
{
    if (!knownKind || resource.kind == kind)
        return true;
    const bool forClass = kind == ResourceDef::Kind::Class;
    m_context.errorAtKey(
        member,
        QStringLiteral("%1 is only for %2 resources, and this one is %3")
            .arg(key, forClass ? QLatin1String("class") : QLatin1String("generator"),
                 forClass ? QLatin1String("a generator") : QLatin1String("a class")));
    return false;
}

void DocumentLoader::loadPhase(const JsonValue &member, std::string_view key, int placeholders,
                               PhaseSpec *phase, ResourceDef *exitOf)
{
    const Scope scope(m_context, key);
    if (!m_context.expectObject(member,
                                QLatin1String("a phase: {\"print\": ..., \"ms\": ..., "
                                              "\"raise\": ...}"))) {
        return;
    }
    phase->present = true;
    const QByteArray what = QStringLiteral("the \"%1\" phase")
                                .arg(QLatin1String(key.data(), qsizetype(key.size())))
                                .toLatin1();
    const JsonValue *found[4] = {};
    if (exitOf) {
        m_context.readObject(member, kExitPhaseKeys, found, QLatin1String(what));
    } else {
        m_context.readObject(member, kPhaseKeys, found, QLatin1String(what), kSuppressKey);
        for (const JsonValue &child : member) {
            if (m_context.document().keyEquals(child, "suppress")) {
                m_context.errorAtKey(child,
                                     QStringLiteral("\"suppress\" is only allowed in the "
                                                    "\"exit\" phase"));
            }
        }
    }
    if (found[0]) {
        const Scope keyScope(m_context, "print");
        Template text;
        if (m_context.readTemplate(*found[0], placeholders, &text))
            phase->print = std::move(text);
    }
    if (found[1]) {
        const Scope keyScope(m_context, "ms");
        m_context.readDuration(*found[1], &phase->ms);
    }
    if (found[2]) {
        const Scope keyScope(m_context, "raise");
        ExceptionSpec exception;
        if (m_context.readRaise(*found[2], &exception))
            phase->raise = exception;
    }
    if (found[3]) {
        const Scope keyScope(m_context, "suppress");
        loadSuppress(*found[3], exitOf);
    }
}

void DocumentLoader::loadSuppress(const JsonValue &value, ResourceDef *resource)
{
    if (value.type() == JsonValue::Type::True) {
        resource->suppress = ResourceDef::Suppress::Everything;
        return;
    }
    if (!value.isArray() || value.count() == 0) {
        m_context.expected(value,
                           QLatin1String("true or a non-empty list of exception type "
                                         "names"));
        return;
    }
    resource->suppress = ResourceDef::Suppress::Types;
    qint64 index = 0;
    for (const JsonValue &type : value) {
        const Scope scope(m_context, index++);
        const int id = m_context.readExceptionType(type); // groups may be suppressed
        if (id >= 0)
            resource->suppressTypes.push_back(id);
    }
}

} // namespace

std::shared_ptr<Scenario> ScenarioLoader::fromData(const QByteArray &utf8, const QString &fileName,
                                                   std::vector<Diagnostic> *diagnostics)
{
    // A traced program's recording, whatever the file is called: its 8 magic bytes say so.
    if (TraceReader::isTrace(utf8))
        return TraceScenario::fromData(utf8, fileName, diagnostics);
    JsonDocument document;
    JsonReader::Error error;
    if (!JsonReader::parse(utf8, &document, &error)) {
        if (diagnostics) {
            const auto position = JsonDocument::lineColumns(utf8, { error.offset }).front();
            diagnostics->push_back(
                { fileName, position.first, position.second, error.path, error.message });
        }
        return nullptr;
    }
    auto scenario = std::make_shared<Scenario>();
    LoadContext context(document, &scenario->types);
    DocumentLoader(context, scenario.get()).load(document.root());
    if (!context.hasErrors())
        return scenario;
    if (diagnostics) {
        std::vector<Diagnostic> found = context.diagnostics(fileName);
        diagnostics->insert(diagnostics->end(), std::make_move_iterator(found.begin()),
                            std::make_move_iterator(found.end()));
    }
    return nullptr;
}

std::shared_ptr<Scenario> ScenarioLoader::fromFile(const QString &path,
                                                   std::vector<Diagnostic> *diagnostics)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (diagnostics) {
            diagnostics->push_back(
                { path, 0, 0, QStringLiteral("$"),
                  QStringLiteral("cannot read the file: ") + file.errorString() });
        }
        return nullptr;
    }
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        if (diagnostics) {
            diagnostics->push_back(
                { path, 0, 0, QStringLiteral("$"),
                  QStringLiteral("cannot read the file: ") + file.errorString() });
        }
        return nullptr;
    }
    return fromData(data, path, diagnostics);
}

} // namespace Lifeline
