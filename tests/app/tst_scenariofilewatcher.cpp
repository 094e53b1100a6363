// SPDX-License-Identifier: MIT
// ScenarioFileWatcher: one signal per save, whether the editor writes in place or renames a new
// file over the old one, a file deleted and written again is picked up, and watching something
// else (or nothing) stops the old reports.
#include "scenariofilewatcher.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>

using namespace Lifeline;

class tst_ScenarioFileWatcher : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void saveInPlaceIsOneChange();
    void renameOverTheFileKeepsWatching();
    void deletedThenWrittenAgain();
    void otherFilesInTheDirectoryAreIgnored();
    void watchingNothingStopsReports();
    void twoFilesAreWatchedApart();

private:
    QString write(const QString &name, const QByteArray &data);
    // No further signal within twice the settling time.
    static bool staysQuiet(QSignalSpy &spy)
    {
        const qsizetype before = spy.size();
        QTest::qWait(3 * ScenarioFileWatcher::SettleMs);
        return spy.size() == before;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ScenarioFileWatcher::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_ScenarioFileWatcher::write(const QString &name, const QByteArray &data)
{
    const QString path = m_dir->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(data);
    return path;
}

void tst_ScenarioFileWatcher::saveInPlaceIsOneChange()
{
    const QString path = write(QStringLiteral("s.json"), "{}");
    ScenarioFileWatcher watcher;
    watcher.watch({ path });
    QCOMPARE(watcher.paths(), QStringList { QFileInfo(path).absoluteFilePath() });
    QSignalSpy changed(&watcher, &ScenarioFileWatcher::changed);
    {
        // An editor writing in a few chunks.
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"lifeline\"");
        f.flush();
        f.write(": 1}");
    }
    QVERIFY(changed.wait(5000));
    QVERIFY(staysQuiet(changed));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.front().front().toString(), watcher.paths().front());
}

void tst_ScenarioFileWatcher::renameOverTheFileKeepsWatching()
{
    const QString path = write(QStringLiteral("s.json"), "{}");
    ScenarioFileWatcher watcher;
    watcher.watch({ path });
    QSignalSpy changed(&watcher, &ScenarioFileWatcher::changed);
    for (int save = 1; save <= 2; ++save) {
        // Write a new file and rename it over the old one, as many editors save.
        const QString temp = write(QStringLiteral(".s.json.tmp"), QByteArray::number(save));
        QCOMPARE(
            std::rename(QFile::encodeName(temp).constData(), QFile::encodeName(path).constData()),
            0);
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), save, 5000);
        QVERIFY(staysQuiet(changed));
    }
}

void tst_ScenarioFileWatcher::deletedThenWrittenAgain()
{
    const QString path = write(QStringLiteral("s.json"), "{}");
    ScenarioFileWatcher watcher;
    watcher.watch({ path });
    QSignalSpy changed(&watcher, &ScenarioFileWatcher::changed);
    QVERIFY(QFile::remove(path));
    QVERIFY(staysQuiet(changed)); // gone: nothing to reload
    write(QStringLiteral("s.json"), "{\"again\": 1}");
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
}

void tst_ScenarioFileWatcher::otherFilesInTheDirectoryAreIgnored()
{
    const QString path = write(QStringLiteral("s.json"), "{}");
    ScenarioFileWatcher watcher;
    watcher.watch({ path });
    QSignalSpy changed(&watcher, &ScenarioFileWatcher::changed);
    write(QStringLiteral("other.json"), "{}");
    write(QStringLiteral(".s.json.swp"), "swap");
    QVERIFY(staysQuiet(changed));
    QCOMPARE(changed.size(), 0);
}

void tst_ScenarioFileWatcher::watchingNothingStopsReports()
{
    const QString first = write(QStringLiteral("a.json"), "{}");
    const QString second = write(QStringLiteral("b.json"), "{}");
    ScenarioFileWatcher watcher;
    watcher.watch({ first });
    watcher.watch({ second });
    QSignalSpy changed(&watcher, &ScenarioFileWatcher::changed);
    write(QStringLiteral("a.json"), "{\"x\": 1}");
    QVERIFY(staysQuiet(changed));
    write(QStringLiteral("b.json"), "{\"x\": 1}");
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
    QCOMPARE(changed.front().front().toString(), QFileInfo(second).absoluteFilePath());
    watcher.watch({});
    QVERIFY(watcher.paths().isEmpty());
    write(QStringLiteral("b.json"), "{\"x\": 2}");
    QVERIFY(staysQuiet(changed));
    QCOMPARE(changed.size(), 1);
}

void tst_ScenarioFileWatcher::twoFilesAreWatchedApart()
{
    // The file shown and one that failed to open, in two directories.
    QTemporaryDir other;
    const QString shown = write(QStringLiteral("shown.json"), "{}");
    const QString failed = other.filePath(QStringLiteral("failed.json"));
    {
        QFile f(failed);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{");
    }
    ScenarioFileWatcher watcher;
    watcher.watch({ shown, failed });
    QCOMPARE(watcher.paths().size(), 2);
    QSignalSpy changed(&watcher, &ScenarioFileWatcher::changed);
    write(QStringLiteral("shown.json"), "{\"a\": 1}");
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
    QCOMPARE(changed.last().front().toString(), QFileInfo(shown).absoluteFilePath());
    {
        QFile f(failed);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{}");
    }
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 5000);
    QCOMPARE(changed.last().front().toString(), QFileInfo(failed).absoluteFilePath());
    QVERIFY(staysQuiet(changed));
}

QTEST_GUILESS_MAIN(tst_ScenarioFileWatcher)
#include "tst_scenariofilewatcher.moc"
