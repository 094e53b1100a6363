// SPDX-License-Identifier: MIT
// Every input a libFuzzer target once failed on (tests/fuzz/regressions), and every seed of their
// corpora, loaded in the normal test run with the targets' own checks (FuzzCheck): each is loaded
// or refused with a diagnostic, never a crash, and a trace reads the same whole and in chunks.
// A sanitizer build (LIFELINE_SANITIZE) runs them under ASan and UBSan as the fuzzers did.

#include "fuzzcheck.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>

using namespace Lifeline;

class tst_FuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void everyInputIsHandledCleanly_data();
    void everyInputIsHandledCleanly();
};

void tst_FuzzRegressions::everyInputIsHandledCleanly_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("trace"); // read by fuzz_tracereader (else fuzz_scenarioloader)
    // The fuzzers' seeds too: resources/examples for the loader, corpus/trace for the reader.
    const QDir source(QStringLiteral(LIFELINE_SOURCE_DIR));
    const struct
    {
        const char *dir;
        bool trace;
    } dirs[] = { { "tests/fuzz/regressions/scenario", false },
                 { "tests/fuzz/regressions/trace", true },
                 { "tests/fuzz/corpus/trace", true },
                 { "resources/examples", false } };
    int rows = 0;
    for (const auto &d : dirs) {
        QDirIterator it(source.filePath(QLatin1String(d.dir)), QDir::Files);
        QStringList files;
        while (it.hasNext())
            files << it.next();
        files.sort();
        for (const QString &file : files) {
            if (file.endsWith(QLatin1String(".md")))
                continue;
            const QString tag = source.relativeFilePath(file);
            QTest::newRow(qPrintable(tag)) << file << d.trace;
            ++rows;
        }
    }
    QVERIFY2(rows > 0, "no inputs found under tests/fuzz and resources/examples");
}

void tst_FuzzRegressions::everyInputIsHandledCleanly()
{
    QFETCH(QString, path);
    QFETCH(bool, trace);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const QString asScenario = FuzzCheck::scenario(bytes);
    QVERIFY2(asScenario.isEmpty(), qPrintable(asScenario));
    if (trace) {
        const QString asTrace = FuzzCheck::trace(bytes);
        QVERIFY2(asTrace.isEmpty(), qPrintable(asTrace));
    }
}

QTEST_GUILESS_MAIN(tst_FuzzRegressions)
#include "tst_fuzzregressions.moc"
