// SPDX-License-Identifier: MIT
// GuiModule's lookup: the module beside the executable in a build tree, under the installed
// module directory (../lib/lifeline from bin/) once installed, the build tree's first when
// both exist, and nothing when neither does (load() then names both paths).
#include "guimodule.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

class tst_GuiModule : public QObject
{
    Q_OBJECT
private slots:
    void installedModuleIsUnderLibLifeline();
    void finds_data();
    void finds();
};

void tst_GuiModule::installedModuleIsUnderLibLifeline()
{
    // GNUInstallDirs' default layout, which the .deb and `cmake --install` use.
    const QStringList paths = GuiModule::candidates(QStringLiteral("/usr/bin"));
    QCOMPARE(paths.size(), 2);
    QCOMPARE(paths.at(0), QStringLiteral("/usr/bin/lifeline-gui.so"));
    if (QLatin1String(LIFELINE_INSTALLED_MODULE_DIR) != QLatin1String("../lib/lifeline"))
        QSKIP("configured with a CMAKE_INSTALL_LIBDIR other than lib");
    QCOMPARE(paths.at(1), QStringLiteral("/usr/lib/lifeline/lifeline-gui.so"));
}

void tst_GuiModule::finds_data()
{
    QTest::addColumn<QStringList>("present"); // relative to the prefix
    QTest::addColumn<QString>("found");

    const QString beside = QStringLiteral("bin/lifeline-gui.so");
    const QString installed
        = QDir::cleanPath(QStringLiteral("bin/" LIFELINE_INSTALLED_MODULE_DIR "/lifeline-gui.so"));
    QTest::newRow("build tree: beside the executable") << QStringList { beside } << beside;
    QTest::newRow("installed: the module directory") << QStringList { installed } << installed;
    QTest::newRow("both: the build tree's wins") << QStringList { installed, beside } << beside;
    QTest::newRow("neither") << QStringList {} << QString();
    QTest::newRow("a directory of its name is not the module")
        << QStringList { beside + QStringLiteral("/x") } << QString();
}

void tst_GuiModule::finds()
{
    QFETCH(QStringList, present);
    QFETCH(QString, found);
    QTemporaryDir prefix;
    QVERIFY(prefix.isValid());
    const QDir root(prefix.path());
    QVERIFY(root.mkpath(QStringLiteral("bin")));
    for (const QString &file : present) {
        QVERIFY(root.mkpath(QFileInfo(root.filePath(file)).path()));
        QFile f(root.filePath(file));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const QString expected = found.isEmpty() ? QString() : root.filePath(found);
    QCOMPARE(GuiModule::find(root.filePath(QStringLiteral("bin"))), expected);
}

QTEST_GUILESS_MAIN(tst_GuiModule)
#include "tst_guimodule.moc"
