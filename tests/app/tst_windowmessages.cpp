// SPDX-License-Identifier: MIT
// The window's messages show control characters escaped, as the command line does
// (Diagnostic::escaped): a file name that holds them, and a file's title and description, in
// the problems panel's heading and list, the status bar and the window title. Offscreen, read
// from the widgets' text.
#include "mainwindow.h"
#include "scenario.h"
#include "windowtest.h"

#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

namespace {

// Every C0 and C1 control character but NUL (no file name holds it).
QString everyControlCharacter()
{
    QString all;
    for (char16_t c = 1; c < 0x20; ++c)
        all += QChar(c);
    for (char16_t c = 0x7f; c <= 0x9f; ++c)
        all += QChar(c);
    return all;
}

bool hasControl(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f);
    });
}

QString jsonEscaped(const QString &text)
{
    QString out;
    for (const QChar c : text)
        out += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
    return out;
}

} // namespace

class tst_WindowMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aFileThatCannotBeOpened();
    void aFileWhoseTitleAndDescriptionHoldThem();

private:
    QTemporaryDir m_dir;
};

void tst_WindowMessages::initTestCase()
{
    WindowTest::useTestSettings("tst_windowmessages");
    QVERIFY(m_dir.isValid());
}

void tst_WindowMessages::aFileThatCannotBeOpened()
{
    const QString name = QStringLiteral("n") + everyControlCharacter() + QStringLiteral(".json");
    const QString path = m_dir.filePath(name);
    std::unique_ptr<MainWindow> window(WindowTest::shownWindow(QSize(1000, 700)));
    QVERIFY(window);
    QSignalSpy failed(window.get(), &MainWindow::openFailed);
    window->open(path);
    QVERIFY(failed.wait(10000));

    const QString escaped = Diagnostic::escaped(name);
    const auto *heading = window->findChild<QLabel *>(QStringLiteral("diagnosticsTitle"));
    QVERIFY(heading);
    QVERIFY2(!hasControl(heading->text()), qPrintable(heading->text()));
    QVERIFY2(heading->text().contains(escaped), qPrintable(heading->text()));
    const QString status = window->statusBar()->currentMessage();
    QVERIFY2(!hasControl(status), qPrintable(status));
    QVERIFY2(status.contains(escaped), qPrintable(status));
    const auto *list = window->findChild<QListWidget *>(QStringLiteral("diagnosticsList"));
    QVERIFY(list && list->count() > 0);
    for (int i = 0; i < list->count(); ++i)
        QVERIFY2(!hasControl(list->item(i)->text()), qPrintable(list->item(i)->text()));
    QVERIFY(list->item(0)->text().contains(escaped));
}

void tst_WindowMessages::aFileWhoseTitleAndDescriptionHoldThem()
{
    const QString controls = QChar(u'\0') + everyControlCharacter();
    const QString path = m_dir.filePath(QStringLiteral("titled.json"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral(R"({"lifeline": 1, "title": "t%1", "description": "d%1",)"
                               R"( "resources": [], "main": [{"print": "hi"}]})")
                    .arg(jsonEscaped(controls))
                    .toUtf8());
    }
    std::unique_ptr<MainWindow> window(WindowTest::shownWindow(QSize(1000, 700)));
    QVERIFY(window);
    QVERIFY(WindowTest::openAndWait(window.get(), path));

    QVERIFY2(!hasControl(window->windowTitle()), qPrintable(window->windowTitle()));
    QVERIFY(window->windowTitle().contains(QStringLiteral("t") + Diagnostic::escaped(controls)));
    const QString status = window->statusBar()->currentMessage();
    QVERIFY2(!hasControl(status), qPrintable(status));
    QCOMPARE(status, QStringLiteral("d") + Diagnostic::escaped(controls));
}

QTEST_MAIN(tst_WindowMessages)
#include "tst_windowmessages.moc"
