// SPDX-License-Identifier: MIT
// The window's Problems dock, offscreen: View > Problems shows and hides it; it lists what a
// reviewer would flag in the open run, names escaped; a click on a problem takes the playhead
// to its event and marks that event's line in the code view; a trace's dock says its checks
// come from the run alone.
#include "../scenario/tracebuilder.h"
#include "codeview.h"
#include "mainwindow.h"
#include "problemsview.h"
#include "runcontroller.h"
#include "windowtest.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

class tst_ProblemsDock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void viewMenuTogglesIt();
    void clickingAProblemGoesToItsEvent_data();
    void clickingAProblemGoesToItsEvent();
    void namesAreShownEscaped();
    void aLongListIsCut();
    void aTraceSaysItsChecksComeFromTheRun();

private:
    ProblemsView *view() const { return m_window->findChild<ProblemsView *>(); }
    QListWidget *list() const
    {
        return m_window->findChild<QListWidget *>(QStringLiteral("problemsList"));
    }

    MainWindow *m_window = nullptr;
};

void tst_ProblemsDock::initTestCase()
{
    WindowTest::useTestSettings("tst_problemsdock");
}

void tst_ProblemsDock::init()
{
    m_window = WindowTest::shownWindow(QSize(1400, 900));
    QVERIFY(m_window);
}

void tst_ProblemsDock::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

void tst_ProblemsDock::viewMenuTogglesIt()
{
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("problemsDock"));
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    QAction *toggle = nullptr;
    for (QMenu *menu : m_window->menuBar()->findChildren<QMenu *>())
        if (menu->title().contains(QStringLiteral("View")))
            for (QAction *a : menu->actions())
                if (a == dock->toggleViewAction())
                    toggle = a;
    QVERIFY2(toggle, "View has no Problems entry");
    QCOMPARE(toggle->text(), QStringLiteral("Problems"));
    toggle->trigger();
    QVERIFY(!dock->isVisible());
    toggle->trigger();
    QVERIFY(dock->isVisible());
}

void tst_ProblemsDock::clickingAProblemGoesToItsEvent_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<int>("row"); // the problem clicked
    QTest::addColumn<QString>("says"); // part of its line
    QTest::addColumn<int>("eventKind"); // where the playhead goes
    QTest::addColumn<QString>("code"); // the line the code view marks then, as for a click on
                                       // that event's row in the event log
    QTest::newRow("a gather leaving a task running")
        << QStringLiteral("gather-vs-taskgroup") << 0
        << QStringLiteral("left `fetch-users` running") << int(EventKind::ExceptionHop)
        << QStringLiteral("raise ValueError(\"orders service down\")");
    QTest::newRow("a spawned task cancelled by asyncio.run")
        << QStringLiteral("spawn-cancelled-at-exit") << 0
        << QStringLiteral("task `heartbeat` was never awaited") << int(EventKind::ExceptionRaised)
        << QStringLiteral("print(\"main returns\")");
    QTest::newRow("a lint goes to where its resource is first entered")
        << QStringLiteral("exit-swallows-cancellation") << 0
        << QStringLiteral("`guard`'s exit returns True") << int(EventKind::PhaseBegan)
        << QStringLiteral("async with Guard(");
}

void tst_ProblemsDock::clickingAProblemGoesToItsEvent()
{
    QFETCH(QString, example);
    QFETCH(int, row);
    QFETCH(QString, says);
    QFETCH(int, eventKind);
    QFETCH(QString, code);
    QVERIFY(WindowTest::openAndWait(m_window, example));
    RunController *c = m_window->controller();
    QListWidget *problems = list();
    QVERIFY(problems);
    // Listed from the whole recorded run, whatever the playhead.
    c->seek(1000000);
    QTRY_VERIFY(problems->count() > row
                && problems->item(row)->data(ProblemsView::EventRole).toLongLong() >= 0);
    QListWidgetItem *item = problems->item(row);
    QVERIFY2(item->text().contains(says), qPrintable(item->text()));
    c->seek(0);

    problems->scrollToItem(item);
    const QRect rect = problems->visualItemRect(item);
    QTest::mouseClick(problems->viewport(), Qt::LeftButton, {}, rect.center());
    const qsizetype event = item->data(ProblemsView::EventRole).toLongLong();
    QVERIFY(event >= 0);
    QCOMPARE(c->position(), event + 1);
    QCOMPARE(int(c->log()->at(size_t(event)).kind()), eventKind);
    const MainWindow::ViewState s = m_window->viewState();
    QVERIFY(s.codeLine > 0);
    const QString marked = m_window->findChild<CodeView *>()->lineText(s.codeLine);
    QVERIFY2(marked.trimmed().startsWith(code), qPrintable(marked));
}

void tst_ProblemsDock::namesAreShownEscaped()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bell.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"lifeline": 1, "resources": [],
      "main": [{"spawn": {"name": "beat\u001b[2J", "body": [{"sleep": 100}]}}, {"sleep": 5}]})");
    f.close();
    QVERIFY(WindowTest::openAndWait(m_window, path));
    m_window->controller()->seek(1000000);
    QTRY_COMPARE(list()->count(), 1);
    const QString text = list()->item(0)->text();
    QVERIFY2(text.contains(QLatin1String("`beat\\x1b[2J`")), qPrintable(text));
    QVERIFY(!text.contains(QChar(0x1b)));
    QVERIFY(view()->note().isEmpty());
}

void tst_ProblemsDock::aLongListIsCut()
{
    // More tasks left to asyncio.run than the dock lists: it lists the first, says how many
    // there are, and its title counts them all.
    const int tasks = ProblemsView::MaxShown + 200;
    QByteArray json = R"({"lifeline": 1, "resources": [], "main": [)";
    for (int i = 0; i < tasks; ++i)
        json += R"({"spawn": {"name": "t)" + QByteArray::number(i)
            + R"(", "body": [{"sleep": 100}]}},)";
    json += R"({"sleep": 5}]})";
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("many.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(json);
    f.close();
    QVERIFY(WindowTest::openAndWait(m_window, path));
    QTRY_COMPARE(view()->count(), tasks);
    QCOMPARE(list()->count(), ProblemsView::MaxShown);
    QVERIFY2(
        view()->note().startsWith(
            QStringLiteral("The first %1 of %2 problems").arg(ProblemsView::MaxShown).arg(tasks)),
        qPrintable(view()->note()));
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("problemsDock"));
    QCOMPARE(dock->windowTitle(), QStringLiteral("Problems (%1)").arg(tasks));
}

void tst_ProblemsDock::aTraceSaysItsChecksComeFromTheRun()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("prog.lltrace"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(Test::sampleTrace().bytes());
    f.close();
    QVERIFY(WindowTest::openAndWait(m_window, path));
    QTRY_VERIFY(view()->note().contains(QLatin1String("need a scenario")));
}

QTEST_MAIN(tst_ProblemsDock)
#include "tst_problemsdock.moc"
