// SPDX-License-Identifier: MIT
// The window's Printed dock, offscreen: View > Printed shows and hides it; it lists what the run
// printed (time, task, text) with the lines after the playhead dimmed, and a click on a line
// takes the playhead to its print and marks that print's line in the code view.
#include "codeview.h"
#include "eventtabledelegate.h"
#include "eventtableview.h"
#include "mainwindow.h"
#include "printedlinesmodel.h"
#include "runcontroller.h"
#include "scenariorun.h"
#include "windowtest.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Lifeline;

class tst_PrintedDock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void viewMenuTogglesIt();
    void clickingALineGoesToItsPrint_data();
    void clickingALineGoesToItsPrint();

private:
    bool openAndWait(const QString &source);
    EventTableView *table() const
    {
        return m_window->findChild<EventTableView *>(QStringLiteral("printedTable"));
    }

    MainWindow *m_window = nullptr;
};

void tst_PrintedDock::initTestCase()
{
    WindowTest::useTestSettings("tst_printeddock");
}

void tst_PrintedDock::init()
{
    m_window = WindowTest::shownWindow(QSize(1400, 900));
    QVERIFY(m_window);
}

void tst_PrintedDock::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

bool tst_PrintedDock::openAndWait(const QString &source)
{
    return WindowTest::openAndWait(m_window, source);
}

void tst_PrintedDock::viewMenuTogglesIt()
{
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("printedDock"));
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    QAction *toggle = nullptr;
    for (QMenu *menu : m_window->menuBar()->findChildren<QMenu *>())
        if (menu->title().contains(QStringLiteral("View")))
            for (QAction *a : menu->actions())
                if (a == dock->toggleViewAction())
                    toggle = a;
    QVERIFY2(toggle, "View has no Printed entry");
    QCOMPARE(toggle->text(), QStringLiteral("Printed"));
    toggle->trigger();
    QVERIFY(!dock->isVisible());
    toggle->trigger();
    QVERIFY(dock->isVisible());
}

void tst_PrintedDock::clickingALineGoesToItsPrint_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<int>("row"); // the line clicked
    QTest::addColumn<QString>("code"); // the line the code view marks then
    // A print step's own line; a phase's print (in `__aenter__`) marks the `async with` it
    // runs for, as stepping to it does.
    QTest::newRow("a print step in the middle of a TaskGroup run")
        << QStringLiteral("gather-vs-taskgroup") << 5
        << QStringLiteral("print(\"--- TaskGroup ---\")");
    QTest::newRow("the seed's first line, printed by __aenter__")
        << QStringLiteral("seed") << 0 << QStringLiteral("async with AsyncDatabaseConnection(");
}

void tst_PrintedDock::clickingALineGoesToItsPrint()
{
    QFETCH(QString, example);
    QFETCH(int, row);
    QFETCH(QString, code);
    QVERIFY(openAndWait(example));
    RunController *c = m_window->controller();
    c->seek(1000000); // the whole run
    QVERIFY(c->isFinished());
    EventTableView *view = table();
    QVERIFY(view);
    QAbstractItemModel *model = view->model();
    QTRY_COMPARE(model->rowCount(), int(c->run()->output().size()));
    for (int r = 0; r < model->rowCount(); ++r) {
        QCOMPARE(model->index(r, PrintedLinesModel::TextColumn).data().toString(),
                 c->run()->output()[r]);
        QVERIFY(!model->index(r, 0).data(EventTableDelegate::DimmedRole).toBool());
    }

    // Click the line: the playhead goes to its print, the code view marks the print.
    view->scrollTo(model->index(row, 0));
    const int y
        = view->rowHeight() * row - view->verticalScrollBar()->value() + view->rowHeight() / 2;
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(20, y));
    const qsizetype event
        = model->index(row, 0).data(PrintedLinesModel::EventIndexRole).toLongLong();
    QCOMPARE(c->position(), event + 1);
    QCOMPARE(c->log()->at(size_t(event)).kind(), EventKind::Printed);
    const MainWindow::ViewState s = m_window->viewState();
    QVERIFY(s.codeLine > 0);
    const QString marked = m_window->findChild<CodeView *>()->lineText(s.codeLine);
    QVERIFY2(marked.trimmed().startsWith(code), qPrintable(marked));
    // The lines after it are dimmed now; it and those before are not.
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, 0).data(EventTableDelegate::DimmedRole).toBool(), r > row);

    // Clicked again after the playhead moved on: it goes back there.
    c->step();
    c->step();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(20, y));
    QCOMPARE(c->position(), event + 1);
}

QTEST_MAIN(tst_PrintedDock)
#include "tst_printeddock.moc"
