// SPDX-License-Identifier: MIT
#include "loadcontext.h"

#include "pythonnames.h"
#include "templateparser.h"

#include <algorithm>

namespace Lifeline {

namespace {

constexpr qint64 kMaxDuration = 1'000'000'000;
constexpr size_t kMaxSharedStrings = 4096;

// Long values are cut in messages: the location already says where the whole one is.
QString shorten(const QString &text)
{
    constexpr qsizetype limit = 40;
    return text.size() <= limit ? text : text.left(limit) + QStringLiteral("...");
}

QString quoted(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QLatin1String("\\\\")).replace(u'"', QLatin1String("\\\""));
    escaped.replace(u'\n', QLatin1String("\\n")).replace(u'\t', QLatin1String("\\t"));
    return u'"' + escaped + u'"';
}

QString joinKeys(LoadContext::Keys keys)
{
    QString list;
    for (std::string_view key : keys) {
        if (!list.isEmpty())
            list += QLatin1String(", ");
        list += QLatin1String(key.data(), qsizetype(key.size()));
    }
    return list;
}

} // namespace

LoadContext::LoadContext(const JsonDocument &document, ExceptionTypes *types)
    : m_document(document)
    , m_types(types)
{
    for (const QString &name : ExceptionTypes::nameableBuiltins())
        m_typeIds.insert(name, m_types->find(name));
}

LoadContext::~LoadContext()
{
    // Before the table lets go of its own references, and before a scenario that failed to
    // load drops its steps' copies (it is destroyed after this context).
    for (auto &[bytes, entry] : m_shared)
        countReferences(entry.string, entry.uncounted);
    for (auto &[key, entry] : m_calls)
        countReferences(entry.call, entry.uncounted);
}

void LoadContext::error(const JsonValue &value, const QString &message)
{
    m_problems.push_back({ value.offset(), m_path.toString(), message });
}

void LoadContext::errorAtKey(const JsonValue &member, const QString &message)
{
    QByteArray scratch;
    m_path.pushKey(m_document.key(member, &scratch));
    m_problems.push_back({ m_document.keyOffset(member), m_path.toString(), message });
    m_path.pop();
}

std::vector<Diagnostic> LoadContext::diagnostics(const QString &fileName) const
{
    // Stable: problems found at one offset keep the order they were found in.
    std::vector<const Problem *> sorted;
    sorted.reserve(m_problems.size());
    for (const Problem &p : m_problems)
        sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Problem *a, const Problem *b) { return a->offset < b->offset; });
    std::vector<quint32> offsets;
    offsets.reserve(sorted.size());
    for (const Problem *p : sorted)
        offsets.push_back(p->offset);
    const auto positions = JsonDocument::lineColumns(m_document.source(), offsets);
    std::vector<Diagnostic> result;
    result.reserve(sorted.size());
    for (size_t i = 0; i < sorted.size(); ++i) {
        result.push_back({ fileName, positions[i].first, positions[i].second, sorted[i]->path,
                           sorted[i]->message });
    }
    return result;
}

void LoadContext::readObject(const JsonValue &object, Keys keys, const JsonValue **found,
                             QLatin1StringView what, Keys quiet)
{
    std::fill(found, found + keys.size(), nullptr);
    for (const JsonValue &member : object) {
        bool known = false;
        for (size_t i = 0; i < keys.size() && !known; ++i) {
            if (m_document.keyEquals(member, keys[i])) {
                found[i] = &member;
                known = true;
            }
        }
        for (size_t i = 0; i < quiet.size() && !known; ++i)
            known = m_document.keyEquals(member, quiet[i]);
        if (!known) {
            errorAtKey(member,
                       QStringLiteral("unknown key %1 in %2 (allowed: %3)")
                           .arg(quoted(m_document.keyString(member)), what, joinKeys(keys)));
        }
    }
}

void LoadContext::missingKey(const JsonValue &object, std::string_view key, QLatin1StringView what)
{
    error(object,
          QStringLiteral("missing required key \"%1\" in %2")
              .arg(QLatin1String(key.data(), qsizetype(key.size())), what));
}

QString LoadContext::describe(const JsonValue &value) const
{
    switch (value.type()) {
    case JsonValue::Type::Null:
        return QStringLiteral("null");
    case JsonValue::Type::False:
        return QStringLiteral("false");
    case JsonValue::Type::True:
        return QStringLiteral("true");
    case JsonValue::Type::Number:
        return QStringLiteral("the number ")
            + shorten(QString::fromLatin1(m_document.numberText(value)));
    case JsonValue::Type::String:
        return QStringLiteral("the string ") + quoted(shorten(m_document.string(value)));
    case JsonValue::Type::Array:
        return value.count() ? QStringLiteral("an array") : QStringLiteral("an empty array");
    case JsonValue::Type::Object:
        return QStringLiteral("an object");
    }
    return {};
}

void LoadContext::expected(const JsonValue &value, QLatin1StringView what)
{
    error(value, QStringLiteral("expected %1, found %2").arg(what, describe(value)));
}

bool LoadContext::expectArray(const JsonValue &value, QLatin1StringView what)
{
    if (value.isArray())
        return true;
    expected(value, what);
    return false;
}

bool LoadContext::expectObject(const JsonValue &value, QLatin1StringView what)
{
    if (value.isObject())
        return true;
    expected(value, what);
    return false;
}

bool LoadContext::readString(const JsonValue &value, QString *out)
{
    if (!value.isString()) {
        expected(value, QLatin1String("a string"));
        return false;
    }
    *out = m_document.string(value);
    return true;
}

bool LoadContext::readSharedString(const JsonValue &value, QString *out)
{
    SharedEntry scratch;
    const SharedEntry *entry = sharedEntry(value, &scratch);
    if (entry)
        *out = entry->string.str();
    return entry;
}

bool LoadContext::readSharedString(const JsonValue &value, SharedString *out)
{
    SharedEntry scratch;
    SharedEntry *entry = sharedEntry(value, &scratch);
    if (entry)
        *out = keep(entry);
    return entry;
}

LoadContext::SharedEntry *LoadContext::sharedEntry(const JsonValue &value, SharedEntry *scratch)
{
    if (!value.isString() || m_document.isEscaped(value)) {
        QString text;
        if (!readString(value, &text))
            return nullptr;
        scratch->string = text; // never shared: no payload to make and drop
        return scratch;
    }
    const QByteArrayView raw = m_document.rawString(value);
    const std::string_view bytes(raw.data(), size_t(raw.size()));
    RecentShared &recent
        = m_recentShared[(bytes.size() * 7 + (bytes.empty() ? 0 : uchar(bytes.back())))
                         % m_recentShared.size()];
    if (recent.entry && recent.bytes == bytes)
        return recent.entry;
    const auto it = m_shared.find(bytes);
    if (it != m_shared.end()) {
        recent = { it->first, &it->second };
        return &it->second;
    }
    // A file of distinct strings gains nothing from the table; keep it small.
    if (m_shared.size() < kMaxSharedStrings) {
        const auto inserted = m_shared.try_emplace(bytes).first;
        SharedEntry &entry = inserted->second;
        entry.string = QString::fromUtf8(raw);
        entry.inTable = true;
        recent = { inserted->first, &entry };
        return &entry;
    }
    scratch->string = QString::fromUtf8(raw);
    return scratch;
}

void LoadContext::bindVariable(SharedEntry *entry)
{
    if (entry->inTable)
        entry->variable = true;
    else
        m_untabledVariables.insert(entry->string);
}

QSet<QString> LoadContext::variableNames() const
{
    QSet<QString> names = m_untabledVariables;
    for (const auto &[bytes, entry] : m_shared) {
        if (entry.variable)
            names.insert(entry.string);
    }
    return names;
}

SharedString LoadContext::keep(SharedEntry *entry)
{
    if (!entry->inTable)
        return entry->string;
    ++entry->uncounted;
    return uncountedCopy(entry->string);
}

ExecuteCall LoadContext::executeCall(const SharedString &variable, const SharedString &query)
{
    const CallKey key { variable.identity(), query.identity() };
    const auto it = m_calls.find(key);
    if (it != m_calls.end()) {
        ++it->second.uncounted;
        return uncountedCopy(it->second.call);
    }
    ExecuteCall call(variable, query);
    // The table keeps both payloads alive, so a key's addresses are never reused.
    if (m_calls.size() < kMaxSharedStrings)
        m_calls.emplace(key, CallEntry { call, 0 });
    return call;
}

bool LoadContext::readBool(const JsonValue &value, bool *out)
{
    if (!value.isBool()) {
        expected(value, QLatin1String("true or false"));
        return false;
    }
    *out = value.type() == JsonValue::Type::True;
    return true;
}

bool LoadContext::readDuration(const JsonValue &value, qint64 *out)
{
    if (!value.fitsInt64() || value.integer() < 0 || value.integer() > kMaxDuration) {
        expected(value, QLatin1String("a whole number of milliseconds from 0 to 1000000000"));
        return false;
    }
    *out = value.integer();
    return true;
}

bool LoadContext::readName(const JsonValue &value, QString *out, QLatin1StringView what)
{
    return readSharedString(value, out) && checkName(value, *out, what);
}

bool LoadContext::checkName(const JsonValue &value, const QString &name, QLatin1StringView what)
{
    const QString why = PythonNames::whyNotName(name);
    if (why.isEmpty())
        return true;
    error(value, QStringLiteral("%1 %2 is not a valid name: %3").arg(what, quoted(name), why));
    return false;
}

int LoadContext::readExceptionType(const JsonValue &value)
{
    QString name;
    if (!readSharedString(value, &name))
        return -1;
    const int type = findExceptionType(name);
    if (type < 0)
        error(value, QStringLiteral("unknown exception type %1").arg(quoted(name)));
    return type;
}

bool LoadContext::readRaise(const JsonValue &value, ExceptionSpec *out)
{
    if (!expectObject(value, QLatin1String("an exception: {\"type\": ..., \"message\": ...}")))
        return false;
    static constexpr std::string_view keys[] = { "type", "message" };
    const JsonValue *found[2];
    readObject(value, keys, found, QLatin1String("an exception"));
    bool ok = true;
    if (!found[0]) {
        missingKey(value, "type", QLatin1String("an exception"));
        ok = false;
    } else {
        Scope scope(*this, "type");
        const int type = readExceptionType(*found[0]);
        if (type < 0) {
            ok = false;
        } else if (m_types->isGroup(type)) {
            const QString name = m_types->name(type);
            error(*found[0],
                  QStringLiteral("%1 cannot be raised: %2 needs a list of exceptions that this "
                                 "format cannot give (exception groups may only be caught, "
                                 "suppressed or used as a base)")
                      .arg(quoted(name),
                           type == ExceptionTypes::ExceptionGroup
                               ? QStringLiteral("an ExceptionGroup")
                               : QStringLiteral("a class derived from ExceptionGroup")));
            ok = false;
        } else {
            out->type = type;
        }
    }
    if (found[1]) {
        Scope scope(*this, "message");
        // Plain text, never a template.
        out->hasMessage = readSharedString(*found[1], &out->message);
        ok = ok && out->hasMessage;
    }
    return ok;
}

bool LoadContext::readTemplate(const JsonValue &value, int allowedPlaceholders, Template *out)
{
    QString text;
    if (!readSharedString(value, &text))
        return false;
    // A template a file repeats per task is parsed once; only clean ones are kept, so every
    // occurrence of a bad one still reports its problems.
    const bool cacheable = !m_document.isEscaped(value);
    const QByteArrayView raw = m_document.rawString(value);
    const std::string_view bytes(raw.data(), size_t(raw.size()));
    if (cacheable) {
        const auto it = m_templates.find(bytes);
        if (it != m_templates.end() && it->second.allowed == allowedPlaceholders) {
            *out = it->second.parts;
            return true;
        }
    }
    QStringList problems;
    *out = TemplateParser::parse(text, allowedPlaceholders, &problems);
    for (const QString &problem : std::as_const(problems))
        error(value, problem);
    if (cacheable && problems.isEmpty() && m_templates.size() < kMaxSharedStrings)
        m_templates.insert_or_assign(bytes, ParsedTemplate { allowedPlaceholders, *out });
    return problems.isEmpty();
}

int LoadContext::addExceptionType(const QString &name, int base)
{
    const int type = m_types->addCustom(name, base);
    m_typeIds.insert(name, type);
    return type;
}

} // namespace Lifeline
