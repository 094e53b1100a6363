// SPDX-License-Identifier: MIT
// Examples: every built-in scenario is listed, loads without a diagnostic, explains itself,
// and can be found by name.

#include "examples.h"
#include "scenarioloader.h"

#include <QFile>
#include <QTest>

using namespace Lifeline;

class tst_Examples : public QObject
{
    Q_OBJECT

private slots:
    void seedComesFirst();
    void atLeastThirteen();
    void example_data();
    void example();
    void findUnknown();
};

void tst_Examples::seedComesFirst()
{
    const QList<ExampleInfo> examples = Examples::all();
    QVERIFY(!examples.isEmpty());
    QCOMPARE(examples.front().name, QStringLiteral("seed"));
    QCOMPARE(examples.front().title, QStringLiteral("Seed example"));
}

void tst_Examples::atLeastThirteen()
{
    // The seed plus one per edge case the app teaches.
    QVERIFY2(Examples::all().size() >= 13, qPrintable(QString::number(Examples::all().size())));
}

void tst_Examples::example_data()
{
    QTest::addColumn<QString>("name");
    for (const ExampleInfo &example : Examples::all())
        QTest::newRow(qPrintable(example.name)) << example.name;
}

void tst_Examples::example()
{
    QFETCH(QString, name);
    const std::optional<ExampleInfo> info = Examples::find(name);
    QVERIFY(info);
    QCOMPARE(info->name, name);
    QCOMPARE(info->resourcePath, QStringLiteral(":/examples/%1.json").arg(name));
    QVERIFY(QFile::exists(info->resourcePath));
    QVERIFY(!info->title.isEmpty());
    QVERIFY(!info->description.isEmpty());
    // kebab-case file names
    for (const QChar c : name)
        QVERIFY2(c.isDigit() || (c >= u'a' && c <= u'z') || c == u'-', qPrintable(name));

    std::vector<Diagnostic> diagnostics;
    const std::shared_ptr<Scenario> scenario
        = ScenarioLoader::fromFile(info->resourcePath, &diagnostics);
    QStringList messages;
    for (const Diagnostic &diagnostic : diagnostics)
        messages << diagnostic.toString();
    QVERIFY2(diagnostics.empty(), qPrintable(messages.join(u'\n')));
    QVERIFY(scenario);
    QCOMPARE(scenario->title, info->title);
    QCOMPARE(scenario->description, info->description);
}

void tst_Examples::findUnknown()
{
    QVERIFY(!Examples::find(QStringLiteral("no-such-example")));
    QVERIFY(!Examples::find(QStringLiteral("seed.json")));
    QVERIFY(!Examples::find(QString()));
}

QTEST_GUILESS_MAIN(tst_Examples)
#include "tst_examples.moc"
