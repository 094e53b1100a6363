// SPDX-License-Identifier: MIT
// The window's Legend dock, offscreen: View > Legend shows and hides it, and it lists what the
// timeline draws of the run shown, growing as the playhead moves and starting over with a new
// run. Read from the legend's items, not its pixels.
#include "mainwindow.h"
#include "runcontroller.h"
#include "timelinelegendview.h"
#include "windowtest.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Lifeline;

class tst_LegendDock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void viewMenuTogglesIt();
    void listsWhatTheRunShows();
    void growsToShowEveryRow();

private:
    bool openAndWait(const QString &source);
    QStringList listed() const;
    void settle();

    MainWindow *m_window = nullptr;
};

void tst_LegendDock::initTestCase()
{
    WindowTest::useTestSettings("tst_legenddock");
}

void tst_LegendDock::init()
{
    m_window = WindowTest::shownWindow(QSize(1400, 860));
    QVERIFY(m_window);
}

void tst_LegendDock::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

bool tst_LegendDock::openAndWait(const QString &source)
{
    return WindowTest::openAndWait(m_window, source);
}

QStringList tst_LegendDock::listed() const
{
    QStringList out;
    for (const TimelineLegend::PlacedItem &p :
         m_window->findChild<TimelineLegendView *>()->currentLayout().items)
        out << p.item.text;
    return out;
}

// The timeline reads the log when it paints: let it paint what the playhead shows.
void tst_LegendDock::settle()
{
    QTest::qWait(50); // the views' refresh timer, then a paint
    QCoreApplication::processEvents();
}

void tst_LegendDock::viewMenuTogglesIt()
{
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("legendDock"));
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    QAction *toggle = nullptr;
    for (QMenu *menu : m_window->menuBar()->findChildren<QMenu *>())
        for (QAction *a : menu->actions())
            if (a == dock->toggleViewAction() && menu->title().contains(QStringLiteral("View")))
                toggle = a;
    QVERIFY2(toggle, "View has no Legend entry");
    QCOMPARE(toggle->text(), QStringLiteral("Legend"));
    toggle->trigger();
    QVERIFY(!dock->isVisible());
    toggle->trigger();
    QVERIFY(dock->isVisible());
}

void tst_LegendDock::listsWhatTheRunShows()
{
    // The whole run is drawn from the moment it opens (faint after the playhead), so the legend
    // lists all of it before the playhead has moved.
    QVERIFY(openAndWait(QStringLiteral("gather-vs-taskgroup")));
    RunController *c = m_window->controller();
    QTRY_VERIFY(!c->isRecording());
    QTRY_VERIFY(listed().contains(QStringLiteral("grouped")));
    for (const char *t :
         { "task running", "raised", "propagated", "caught", "escaped", "task cancelled" })
        QVERIFY2(listed().contains(QLatin1String(t)), t);
    QCOMPARE(c->position(), 0);

    // Stepping moves the playhead, not what is drawn.
    const QStringList all = listed();
    for (int i = 0; i < 6; ++i)
        c->step();
    settle();
    QCOMPARE(listed(), all);

    // Another scenario: its own legend, no badges left over.
    QVERIFY(openAndWait(QStringLiteral("seed")));
    QTRY_VERIFY(listed().contains(QStringLiteral("execute")));
    QVERIFY(!listed().contains(QStringLiteral("grouped")));
}

void tst_LegendDock::growsToShowEveryRow()
{
    // gather-vs-taskgroup lists more than two rows' worth at this width: the dock, which
    // starts two rows high, grows to show them all rather than hiding a row behind a scroll bar.
    auto *view = m_window->findChild<TimelineLegendView *>();
    QVERIFY(openAndWait(QStringLiteral("gather-vs-taskgroup")));
    QTRY_VERIFY(listed().contains(QStringLiteral("grouped")));
    const int rows = int(view->currentLayout().size.height() / TimelineLegend::RowHeight);
    QVERIFY2(rows > 2, qPrintable(QString::number(rows)));
    QTRY_VERIFY2(
        view->height() >= view->contentHeight(),
        qPrintable(QStringLiteral("%1 < %2").arg(view->height()).arg(view->contentHeight())));
}

QTEST_MAIN(tst_LegendDock)
#include "tst_legenddock.moc"
