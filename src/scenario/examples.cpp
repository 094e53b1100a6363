// SPDX-License-Identifier: MIT
#include "examples.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

// Resources compiled into a static library are not linked in unless something refers to them;
// this reference is that something. Q_INIT_RESOURCE must be used outside any namespace.
static void initExampleResources()
{
    Q_INIT_RESOURCE(examples);
}

namespace Lifeline {

namespace {

const QString kRoot = QStringLiteral(":/examples");

// From a single resource to concurrency; files not listed follow in alphabetical order.
const char *const kTeachingOrder[] = {
    "seed",
    "execute-fails",
    "use-after-release",
    "enter-fails",
    "exit-suppresses",
    "exit-raises-during-propagation",
    "generator-setup-fails",
    "cleanup-after-yield-leak",
    "generator-yields-twice",
    "multi-item-reverse",
    "nested-middle-suppresses",
    "timeout-cancels-through-exits",
    "exit-swallows-cancellation",
    "gather-vs-taskgroup",
    "spawn-cancelled-at-exit",
};

ExampleInfo readInfo(const QString &name)
{
    ExampleInfo info;
    info.name = name;
    info.resourcePath = kRoot + u'/' + name + QStringLiteral(".json");
    QFile file(info.resourcePath);
    if (file.open(QIODevice::ReadOnly)) {
        const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
        info.title = object.value(QStringLiteral("title")).toString();
        info.description = object.value(QStringLiteral("description")).toString();
    }
    return info;
}

QList<ExampleInfo> readAll()
{
    initExampleResources();
    QStringList names;
    for (const QString &file :
         QDir(kRoot).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name))
        names << file.chopped(5); // ".json"
    QList<ExampleInfo> examples;
    for (const char *name : kTeachingOrder) {
        if (names.removeOne(QString::fromLatin1(name)))
            examples << readInfo(QString::fromLatin1(name));
    }
    for (const QString &name : std::as_const(names))
        examples << readInfo(name);
    return examples;
}

} // namespace

QList<ExampleInfo> Examples::all()
{
    // Built-in data never changes while the program runs: read it once.
    static const QList<ExampleInfo> examples = readAll();
    return examples;
}

std::optional<ExampleInfo> Examples::find(const QString &name)
{
    for (const ExampleInfo &example : all()) {
        if (example.name == name)
            return example;
    }
    return std::nullopt;
}

} // namespace Lifeline
