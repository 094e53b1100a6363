// SPDX-License-Identifier: MIT
#include "scenariolocator.h"

#include "jsondocument.h"
#include "jsonreader.h"
#include "problemfinder.h"

#include <algorithm>
#include <unordered_map>

namespace Lifeline {

namespace {

struct Spot
{
    quint32 offset = 0;
    QString path;
};

// One walk over the steps, numbering them as StepLoader does, keeping the spots asked for.
class StepWalk
{
public:
    StepWalk(const JsonDocument &document, std::unordered_map<qint32, Spot> *wanted)
        : m_document(document)
        , m_wanted(wanted)
    {
    }

    void block(const JsonValue *steps, const QString &path)
    {
        if (!steps || !steps->isArray())
            return;
        qint64 index = 0;
        for (const JsonValue &value : *steps)
            step(value, path + u'[' + QString::number(index++) + u']');
    }

private:
    const JsonValue *member(const JsonValue &object, std::string_view key) const
    {
        if (!object.isObject())
            return nullptr;
        for (const JsonValue &m : object)
            if (m_document.keyEquals(m, key))
                return &m;
        return nullptr;
    }

    void step(const JsonValue &value, const QString &path)
    {
        if (!value.isObject())
            return;
        const auto id = qint32(m_next++);
        if (const auto it = m_wanted->find(id); it != m_wanted->end())
            it->second = { value.offset(), path };
        // Children in the loader's order: bodies, then handlers, else, finally, then tasks.
        if (member(value, "with") || member(value, "timeout"))
            block(member(value, "body"), path + QLatin1String(".body"));
        if (const JsonValue *tryBody = member(value, "try")) {
            block(tryBody, path + QLatin1String(".try"));
            if (const JsonValue *handlers = member(value, "except");
                handlers && handlers->isArray()) {
                qint64 h = 0;
                for (const JsonValue &handler : *handlers) {
                    const QString at = path + QLatin1String(".except[") + QString::number(h++)
                        + QLatin1String("].body");
                    block(member(handler, "body"), at);
                }
            }
            block(member(value, "else"), path + QLatin1String(".else"));
            block(member(value, "finally"), path + QLatin1String(".finally"));
        }
        for (const char *key : { "gather", "task_group" }) {
            const JsonValue *tasks = member(value, key);
            if (!tasks || !tasks->isArray())
                continue;
            qint64 t = 0;
            for (const JsonValue &task : *tasks) {
                const QString at = path + u'.' + QLatin1String(key) + u'[' + QString::number(t++)
                    + QLatin1String("].body");
                block(member(task, "body"), at);
            }
        }
        if (const JsonValue *task = member(value, "spawn"))
            block(member(*task, "body"), path + QLatin1String(".spawn.body"));
    }

    const JsonDocument &m_document;
    std::unordered_map<qint32, Spot> *m_wanted;
    quint32 m_next = 0;

public:
    // A resource definition, or the value of its dotted key ("exit.suppress") when written.
    Spot resource(const JsonValue *resources, int index, const char *key) const
    {
        if (!resources || !resources->isArray() || index < 0
            || quint32(index) >= resources->count())
            return {};
        const JsonValue *value = &*resources->begin();
        for (int i = 0; i < index; ++i)
            value = value->next();
        Spot spot { value->offset(), QStringLiteral("resources[%1]").arg(index) };
        if (!key)
            return spot;
        for (const QByteArray &part : QByteArray(key).split('.')) {
            const JsonValue *inner = member(*value, std::string_view(part.data(), part.size()));
            if (!inner)
                break;
            value = inner;
            spot = { value->offset(), spot.path + u'.' + QString::fromLatin1(part) };
        }
        return spot;
    }
    const JsonValue *top(std::string_view key) const { return member(m_document.root(), key); }
};

} // namespace

std::vector<Diagnostic> ScenarioLocator::locate(const QByteArray &source, const QString &fileName,
                                                const std::vector<Problem> &problems)
{
    std::vector<Diagnostic> out;
    out.reserve(problems.size());
    JsonDocument document;
    JsonReader::Error error;
    if (!JsonReader::parse(source, &document, &error) || !document.root().isObject()) {
        for (const Problem &p : problems)
            out.push_back({ fileName, 0, 0, QString(), p.message });
        return out;
    }
    std::unordered_map<qint32, Spot> steps;
    for (const Problem &p : problems)
        if (p.step >= 0)
            steps.emplace(p.step, Spot {});
    StepWalk walk(document, &steps);
    walk.block(walk.top("main"), QStringLiteral("main"));
    std::vector<Spot> spots;
    for (const Problem &p : problems) {
        const auto it = p.step >= 0 ? steps.find(p.step) : steps.end();
        if (it != steps.end() && !it->second.path.isEmpty())
            spots.push_back(it->second);
        else
            spots.push_back(walk.resource(walk.top("resources"), p.resource, p.key));
    }
    // lineColumns wants ascending offsets: one pass over the text for all of them.
    std::vector<size_t> order(spots.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return spots[a].offset < spots[b].offset; });
    std::vector<quint32> offsets;
    for (size_t i : order)
        offsets.push_back(spots[i].offset);
    const auto positions = JsonDocument::lineColumns(document.source(), offsets);
    out.resize(problems.size());
    for (size_t k = 0; k < order.size(); ++k) {
        const size_t i = order[k];
        const bool located = !spots[i].path.isEmpty();
        out[i] = { fileName, located ? positions[k].first : 0, located ? positions[k].second : 0,
                   spots[i].path, problems[i].message };
    }
    return out;
}

} // namespace Lifeline
