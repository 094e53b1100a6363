// SPDX-License-Identifier: MIT
// RecentFiles: File > Open Recent keeps the last eight files, newest first, without repeats,
// survives a restart through QSettings, and its actions ask for the file they name.
#include "recentfiles.h"

#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Lifeline;

class tst_RecentFiles : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void keepsTheNewestWithoutRepeats();
    void survivesARestart();
    void actionsAskForTheirFile();
    void emptyListDisablesTheMenu();

private:
    static QStringList menuPaths(const QMenu &menu)
    {
        QStringList out;
        for (const QAction *a : menu.actions())
            out << a->toolTip();
        return out;
    }
};

void tst_RecentFiles::initTestCase()
{
    // Settings go to a test location, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LifelineTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_recentfiles"));
}

void tst_RecentFiles::init()
{
    QSettings().clear();
}

void tst_RecentFiles::keepsTheNewestWithoutRepeats()
{
    QMenu menu;
    RecentFiles recent(&menu);
    QStringList added;
    for (int i = 0; i < RecentFiles::MaxFiles + 2; ++i) {
        added.prepend(QStringLiteral("/scenarios/s%1.json").arg(i));
        recent.add(added.front());
    }
    QCOMPARE(recent.files(), added.mid(0, RecentFiles::MaxFiles));
    QCOMPARE(menuPaths(menu), recent.files());
    QCOMPARE(menu.actions().front()->text(), QStringLiteral("s9.json"));

    // Opening one already listed moves it to the top instead of listing it twice.
    const QString again = recent.files().at(3);
    recent.add(again);
    QCOMPARE(recent.files().front(), again);
    QCOMPARE(recent.files().count(again), 1);
    QCOMPARE(recent.files().size(), RecentFiles::MaxFiles);
    QCOMPARE(recent.lastDirectory(), QStringLiteral("/scenarios"));
}

void tst_RecentFiles::survivesARestart()
{
    {
        QMenu menu;
        RecentFiles recent(&menu);
        recent.add(QStringLiteral("/a/first.json"));
        recent.add(QStringLiteral("/b/second.json"));
    } // written on the writer thread, which the destructor waits for
    QMenu menu;
    RecentFiles reopened(&menu);
    QCOMPARE(reopened.files(),
             QStringList({ QStringLiteral("/b/second.json"), QStringLiteral("/a/first.json") }));
    QCOMPARE(menuPaths(menu), reopened.files());
}

void tst_RecentFiles::actionsAskForTheirFile()
{
    QMenu menu;
    RecentFiles recent(&menu);
    recent.add(QStringLiteral("/a/one.json"));
    recent.add(QStringLiteral("/a/two.json"));
    QSignalSpy requested(&recent, &RecentFiles::openRequested);
    menu.actions().at(1)->trigger();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.front().front().toString(), QStringLiteral("/a/one.json"));
}

void tst_RecentFiles::emptyListDisablesTheMenu()
{
    QMenu menu;
    RecentFiles recent(&menu);
    QVERIFY(!menu.isEnabled());
    QVERIFY(recent.lastDirectory().isEmpty());
    recent.add(QStringLiteral("/a/one.json"));
    QVERIFY(menu.isEnabled());
}

QTEST_MAIN(tst_RecentFiles)
#include "tst_recentfiles.moc"
