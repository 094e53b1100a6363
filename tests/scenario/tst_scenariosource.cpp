// SPDX-License-Identifier: MIT
// ScenarioSource: what a user names on the command line or in the app. A file wins over an
// example of the same name, an example loads under its own name, and a bare word that is
// neither says so and names the example it most likely meant.
#include "examples.h"
#include "scenariosource.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

class tst_ScenarioSource : public QObject
{
    Q_OBJECT
private slots:
    void loadsAnExampleByName();
    void anExistingFileWinsOverAnExample();
    void unknownWordNamesTheLikeliestExample_data();
    void unknownWordNamesTheLikeliestExample();
    void missingPathIsAFileError();
    void aDirectoryIsNeitherFileNorExample();
};

void tst_ScenarioSource::loadsAnExampleByName()
{
    std::vector<Diagnostic> diagnostics;
    for (const ExampleInfo &e : Examples::all()) {
        QVERIFY2(ScenarioSource::load(e.name, &diagnostics), qPrintable(e.name));
        QCOMPARE(ScenarioSource::resolve(e.name), e.resourcePath);
    }
    QVERIFY(diagnostics.empty());
}

void tst_ScenarioSource::anExistingFileWinsOverAnExample()
{
    QTemporaryDir dir;
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(dir.path()));
    QFile file(QStringLiteral("seed"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"lifeline": 1, "title": "local seed", "resources": [], "main": []})");
    file.close();
    std::vector<Diagnostic> diagnostics;
    auto scenario = ScenarioSource::load(QStringLiteral("seed"), &diagnostics);
    QDir::setCurrent(previous);
    QVERIFY(scenario);
    QCOMPARE(scenario->title, QStringLiteral("local seed"));
}

void tst_ScenarioSource::unknownWordNamesTheLikeliestExample_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("suggested"); // empty: none is close
    QTest::newRow("typo") << QStringLiteral("sed") << QStringLiteral("seed");
    QTest::newRow("capitals") << QStringLiteral("Seed") << QStringLiteral("seed");
    QTest::newRow("missing letter")
        << QStringLiteral("exit-supresses") << QStringLiteral("exit-suppresses");
    QTest::newRow("same first word")
        << QStringLiteral("timeout-something") << QStringLiteral("timeout-cancels-through-exits");
    QTest::newRow("nothing close") << QStringLiteral("qwerty") << QString();
}

void tst_ScenarioSource::unknownWordNamesTheLikeliestExample()
{
    QFETCH(QString, typed);
    QFETCH(QString, suggested);
    QVERIFY(suggested.isEmpty() || Examples::find(suggested));
    std::vector<Diagnostic> diagnostics;
    QVERIFY(!ScenarioSource::load(typed, &diagnostics));
    QCOMPARE(diagnostics.size(), size_t(1));
    const QString text = diagnostics.front().toString();
    QVERIFY2(text.startsWith(typed + QStringLiteral(": $: no such file, and no built-in example")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("lifeline examples")), qPrintable(text));
    if (suggested.isEmpty())
        QVERIFY2(!text.contains(QStringLiteral("did you mean")), qPrintable(text));
    else
        QVERIFY2(text.contains(QStringLiteral("did you mean \"%1\"?").arg(suggested)),
                 qPrintable(text));
}

void tst_ScenarioSource::missingPathIsAFileError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("absent.json"));
    std::vector<Diagnostic> diagnostics;
    QVERIFY(!ScenarioSource::load(path, &diagnostics));
    QCOMPARE(diagnostics.size(), size_t(1));
    QCOMPARE(diagnostics.front().toString(),
             path + QStringLiteral(": $: cannot read the file: No such file or directory"));
}

void tst_ScenarioSource::aDirectoryIsNeitherFileNorExample()
{
    // A folder named like an example does not hide the example, and one given by path is
    // reported as what it is.
    QTemporaryDir dir;
    const QString previous = QDir::currentPath();
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("seed")));
    QVERIFY(QDir::setCurrent(dir.path()));
    std::vector<Diagnostic> diagnostics;
    const bool exampleLoads = ScenarioSource::load(QStringLiteral("seed"), &diagnostics) != nullptr;
    std::vector<Diagnostic> byPath;
    const bool pathLoads = ScenarioSource::load(QStringLiteral("./seed"), &byPath) != nullptr;
    std::vector<Diagnostic> withExtension;
    ScenarioSource::load(QStringLiteral("seed.json"), &withExtension);
    QDir::setCurrent(previous);
    QVERIFY(exampleLoads);
    QVERIFY(diagnostics.empty());
    QVERIFY(!pathLoads);
    QCOMPARE(byPath.size(), size_t(1));
    QCOMPARE(byPath.front().toString(),
             QStringLiteral("./seed: $: a directory, not a scenario file"));
    // `seed.json` where there is no such file names the example.
    QCOMPARE(withExtension.size(), size_t(1));
    QVERIFY2(withExtension.front().message.contains(
                 QStringLiteral("did you mean the built-in example \"seed\"?")),
             qPrintable(withExtension.front().toString()));
}

QTEST_GUILESS_MAIN(tst_ScenarioSource)
#include "tst_scenariosource.moc"
