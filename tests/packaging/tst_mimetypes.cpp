// SPDX-License-Identifier: MIT
// packaging/lifeline-mime.xml as a desktop sees it (Qt reads shared-mime-info's files as file
// managers do): a scenario by its `.lifeline.json` suffix, or by the "lifeline" key near its
// start when its name says nothing, never every .json; a trace by `.lltrace` or by its magic
// bytes whatever its name. The build tree's share/, where packaging/CMakeLists.txt copies the
// file, comes first in XDG_DATA_DIRS.
#include <QDir>
#include <QFile>
#include <QMimeDatabase>
#include <QTemporaryDir>
#include <QTest>

class tst_MimeTypes : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void recognises_data();
    void recognises();
    void desktopEntryOpensBothTypes();

private:
    QTemporaryDir m_home;
};

namespace {

const QString Scenario = QStringLiteral("application/x-lifeline-scenario");
const QString Trace = QStringLiteral("application/x-lifeline-trace");

} // namespace

void tst_MimeTypes::initTestCase()
{
    // Before the first QMimeDatabase reads them; no user's own types either.
    QVERIFY(m_home.isValid());
    qputenv("XDG_DATA_DIRS", LIFELINE_BUILD_DATA_DIR ":/usr/local/share:/usr/share");
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path()));
    QVERIFY(QFile::exists(QStringLiteral(LIFELINE_BUILD_DATA_DIR "/mime/packages/lifeline.xml")));
}

void tst_MimeTypes::recognises_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("type");

    const QByteArray seed = R"({
  "lifeline": 1,
  "title": "Seed example",
  "resources": [], "main": []
})";
    const QByteArray trace = QByteArray("\x89LLTRACE\x01\0\0\0", 12);
    QTest::newRow("the .lifeline.json suffix") << "a.lifeline.json" << QByteArray("{}") << Scenario;
    QTest::newRow("a scenario with no suffix") << "scenario" << seed << Scenario;
    QTest::newRow("a scenario with a suffix no type claims") << "seed.scenario" << seed << Scenario;
    QTest::newRow("the lifeline key after another")
        << "b" << QByteArray(R"({"title": "t", "lifeline" : 1})") << Scenario;
    // A name's one matching glob decides before content does, in Qt as in GIO: a scenario
    // named .json stays JSON (rename it .lifeline.json), and no other JSON becomes one.
    QTest::newRow("a scenario named .json")
        << "seed.json" << seed << QStringLiteral("application/json");
    QTest::newRow("JSON naming lifeline as a value")
        << "package" << QByteArray(R"({"name": "lifeline", "version": "1"})")
        << QStringLiteral("text/plain");
    QTest::newRow("the .lltrace suffix") << "prog.lltrace" << trace << Trace;
    QTest::newRow("a trace with no suffix") << "recording" << trace << Trace;
    QTest::newRow("a trace renamed .dat") << "prog.dat" << trace << Trace;
    QTest::newRow("the magic bytes not at the start")
        << "junk" << QByteArray("x") + trace << QStringLiteral("application/octet-stream");
}

void tst_MimeTypes::recognises()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, type);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(name));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    QCOMPARE(QMimeDatabase().mimeTypeForFile(file.fileName()).name(), type);
}

void tst_MimeTypes::desktopEntryOpensBothTypes()
{
    QFile desktop(QStringLiteral(LIFELINE_SOURCE_DIR "/packaging/lifeline.desktop"));
    QVERIFY(desktop.open(QIODevice::ReadOnly | QIODevice::Text));
    QStringList types;
    while (!desktop.atEnd()) {
        const QString line = QString::fromUtf8(desktop.readLine()).trimmed();
        if (line.startsWith(QLatin1String("MimeType=")))
            types = line.mid(9).split(u';', Qt::SkipEmptyParts);
    }
    QCOMPARE(types, QStringList({ Scenario, Trace }));
    for (const QString &type : types)
        QVERIFY2(QMimeDatabase().mimeTypeForName(type).isValid(), qPrintable(type));
}

QTEST_GUILESS_MAIN(tst_MimeTypes)
#include "tst_mimetypes.moc"
