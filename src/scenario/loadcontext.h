// SPDX-License-Identifier: MIT
#pragma once
// The state of one scenario load shared by ScenarioLoader and StepLoader: the parsed document,
// the JSON path being walked, the problems found so far, and the value checks every part of the
// format uses (types, durations, names, exception specs, templates, an object's keys). Checks
// report and carry on, so one load finds every problem; nothing here knows about steps.

#include "jsondocument.h"
#include "jsonpath.h"
#include "scenario.h"

#include <QHash>
#include <QLatin1StringView>

#include <array>
#include <span>
#include <string_view>
#include <unordered_map>

namespace Lifeline {

class LoadContext
{
public:
    using Keys = std::span<const std::string_view>;

    LoadContext(const JsonDocument &document, ExceptionTypes *types);
    // Adds the references of the copies it handed out (see readSharedString()).
    ~LoadContext();
    LoadContext(const LoadContext &) = delete;
    LoadContext &operator=(const LoadContext &) = delete;

    const JsonDocument &document() const { return m_document; }
    ExceptionTypes &types() { return *m_types; }

    // Pushes a path segment for its lifetime.
    class Scope
    {
    public:
        Scope(LoadContext &context, std::string_view key)
            : m_path(context.m_path)
        {
            m_path.pushKey(QByteArrayView(key.data(), qsizetype(key.size())));
        }
        Scope(LoadContext &context, qint64 index)
            : m_path(context.m_path)
        {
            m_path.pushIndex(index);
        }
        ~Scope() { m_path.pop(); }
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

    private:
        JsonPath &m_path;
    };

    // A problem at `value`, whose path is the current one.
    void error(const JsonValue &value, const QString &message);
    // A problem with `member`'s key; the current path is the object's, the key is appended.
    void errorAtKey(const JsonValue &member, const QString &message);
    bool hasErrors() const { return !m_problems.empty(); }
    // Every problem in file order, with line and column.
    std::vector<Diagnostic> diagnostics(const QString &fileName) const;

    // Finds `keys` among `object`'s members (found[i]: value or nullptr) and reports any other
    // key as unknown, except the `quiet` ones, which the caller reports itself. `what` names
    // the object in messages ("a resource").
    void readObject(const JsonValue &object, Keys keys, const JsonValue **found,
                    QLatin1StringView what, Keys quiet = {});
    // "missing required key" at `object`.
    void missingKey(const JsonValue &object, std::string_view key, QLatin1StringView what);

    // `a string "x"`, `the number 5.0`, `an array`, ... for "found ..." in messages.
    QString describe(const JsonValue &value) const;
    void expected(const JsonValue &value, QLatin1StringView what);

    // Each check reports at `value` and returns false when it is not what was asked for.
    bool expectArray(const JsonValue &value, QLatin1StringView what);
    bool expectObject(const JsonValue &value, QLatin1StringView what);
    bool readString(const JsonValue &value, QString *out);
    // Like readString(), but equal strings share one payload. For the strings a large file
    // repeats once per task (resource ids, variable names, queries, print texts): one
    // allocation instead of millions.
    bool readSharedString(const JsonValue &value, QString *out);
    // The SharedStrings and ExecuteCalls this gives are for the scenario to keep: their
    // references are added to the payloads when the load ends (~LoadContext()), so none may be
    // destroyed or overwritten before then; copying or moving them is fine.
    bool readSharedString(const JsonValue &value, SharedString *out);
    // A string read without taking a copy: where the table keeps it, or in a scratch entry.
    struct SharedEntry
    {
        SharedString string;
        int uncounted = 0; // copies handed out whose references the payload does not count yet
        // What a caller looked this string up as, cached for the next time (StepLoader: the
        // resource index of an id, -2 until looked up).
        int lookup = -2;
        bool inTable = false;
        bool variable = false; // a with item binds it (bindVariable())
    };
    // The entry for `value`, which is `scratch` (filled) when the table does not keep it; null
    // when `value` is not a string.
    SharedEntry *sharedEntry(const JsonValue &value, SharedEntry *scratch);
    // A copy of an entry's string for the scenario to keep.
    SharedString keep(SharedEntry *entry);
    // A with item binds the entry's string as a variable; variableNames() has every such name
    // once. A flag on the entry, so a million with items of one name cost no hashing.
    void bindVariable(SharedEntry *entry);
    QSet<QString> variableNames() const;
    // An execute's variable and query, one payload for each pair of shared strings.
    ExecuteCall executeCall(const SharedString &variable, const SharedString &query);
    bool readBool(const JsonValue &value, bool *out);
    bool readDuration(const JsonValue &value, qint64 *out);
    // A string obeying the *name* rule (docs/scenario-format.md).
    bool readName(const JsonValue &value, QString *out, QLatin1StringView what);
    // Whether `name` obeys the rule; reports at `value` when not.
    bool checkName(const JsonValue &value, const QString &name, QLatin1StringView what);
    // An exception class name known so far; -1 when it is not.
    int readExceptionType(const JsonValue &value);
    // {"type": ..., "message": ...}, raised by the scenario, so never an exception group.
    bool readRaise(const JsonValue &value, ExceptionSpec *out);
    bool readTemplate(const JsonValue &value, int allowedPlaceholders, Template *out);

    // Custom exception classes become known to readExceptionType() as they are added.
    int findExceptionType(const QString &name) const { return m_typeIds.value(name, -1); }
    int addExceptionType(const QString &name, int base);

private:
    // A SharedString's or ExecuteCall's copy holding a reference its payload does not count
    // yet, and the counting of such copies (~LoadContext()).
    template <typename T> static T uncountedCopy(const T &value)
    {
        T copy;
        copy.m_d = decltype(copy.m_d)(value.m_d.data(), QAdoptSharedDataTag {});
        return copy;
    }
    template <typename T> static void countReferences(const T &value, int count)
    {
        if (value.m_d)
            value.m_d->ref.fetchAndAddRelaxed(count);
    }

    struct Problem
    {
        quint32 offset;
        QString path;
        QString message;
    };

    const JsonDocument &m_document;
    ExceptionTypes *m_types;
    QHash<QString, int> m_typeIds;
    JsonPath m_path;
    std::vector<Problem> m_problems;
    // readSharedString()'s strings and readTemplate()'s templates by their bytes in the source
    // (which outlives the load).
    std::unordered_map<std::string_view, SharedEntry> m_shared;
    // In front of m_shared: most lookups repeat one of a few strings (a resource id, a query,
    // a variable), which one comparison here answers instead of hashing. Direct-mapped by
    // length and last byte; the keys point into the source, and entries never move.
    struct RecentShared
    {
        std::string_view bytes;
        SharedEntry *entry = nullptr;
    };
    std::array<RecentShared, 16> m_recentShared {};
    QSet<QString> m_untabledVariables; // bindVariable()'s names the table does not keep
    struct CallKey
    {
        const void *variable, *query;
        bool operator==(const CallKey &o) const
        {
            return variable == o.variable && query == o.query;
        }
    };
    struct CallKeyHash
    {
        size_t operator()(const CallKey &k) const
        {
            return std::hash<const void *>()(k.variable) * 31 + std::hash<const void *>()(k.query);
        }
    };
    struct CallEntry
    {
        ExecuteCall call;
        int uncounted = 0;
    };
    std::unordered_map<CallKey, CallEntry, CallKeyHash> m_calls;
    struct ParsedTemplate
    {
        int allowed; // the placeholders it was checked against
        Template parts;
    };
    std::unordered_map<std::string_view, ParsedTemplate> m_templates;
};

} // namespace Lifeline
