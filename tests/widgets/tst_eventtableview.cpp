// SPDX-License-Identifier: MIT
// EventTableView: the event table that keeps nothing per row. What a user relies on: rows
// appear and go as the model changes, one row is current (click, keys), the current row can be
// brought into view, a double click or Return asks to seek there, Shift extends a selection
// that Ctrl+C copies as tab-separated text.
#include "eventtabledelegate.h"
#include "eventtableview.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QtTest>

using namespace Lifeline;

class tst_EventTableView : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void scrollRangeFollowsRows();
    void clickMakesRowCurrent();
    void aPlainClickIsReported();
    void keysMoveTheCurrentRowAndKeepItInView();
    void doubleClickAndReturnAskToSeek();
    void currentRowDropsWhenItsRowGoes();
    void paintsVisibleRowsOnly();
    void columnWidthsSurviveAModelSwap();
    void shiftExtendsTheSelectionAndCopyCopiesIt();
    void copyRefusesAHugeSelection();

private:
    void appendRows(int n);
    QStandardItemModel *m_model = nullptr;
    EventTableView *m_view = nullptr;
};

void tst_EventTableView::appendRows(int n)
{
    const int from = m_model->rowCount();
    for (int r = from; r < from + n; ++r)
        m_model->appendRow({ new QStandardItem(QString::number(r)),
                             new QStandardItem(QStringLiteral("event %1").arg(r)) });
}

void tst_EventTableView::init()
{
    m_model = new QStandardItemModel(0, 2);
    m_view = new EventTableView;
    m_view->setItemDelegate(new EventTableDelegate(m_view));
    m_view->setModel(m_model);
    m_view->resize(400, 300);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void tst_EventTableView::cleanup()
{
    delete m_view;
    delete m_model;
}

void tst_EventTableView::scrollRangeFollowsRows()
{
    QScrollBar *bar = m_view->verticalScrollBar();
    QCOMPARE(bar->maximum(), 0);
    appendRows(1000);
    const int viewport = m_view->viewport()->height();
    QCOMPARE(bar->maximum(), 1000 * m_view->rowHeight() - viewport);
    m_model->removeRows(500, 500);
    QCOMPARE(bar->maximum(), 500 * m_view->rowHeight() - viewport);
    QCOMPARE(m_view->header()->count(), 2);
}

void tst_EventTableView::clickMakesRowCurrent()
{
    appendRows(50);
    QSignalSpy changed(m_view, &EventTableView::currentRowChanged);
    const int y = 3 * m_view->rowHeight() + m_view->rowHeight() / 2;
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(20, y));
    QCOMPARE(m_view->currentIndex().row(), 3);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 3);
    QCOMPARE(m_view->rowAt(y), 3);
    QCOMPARE(m_view->rowAt(1000 * m_view->rowHeight()), -1); // below the last row
}

// A plain click says which row it hit, every time (a click on the current row again too: the
// window goes there again); a Shift-click extends the selection and says nothing.
void tst_EventTableView::aPlainClickIsReported()
{
    appendRows(50);
    QSignalSpy clicked(m_view, &EventTableView::clicked);
    const int y = 3 * m_view->rowHeight() + m_view->rowHeight() / 2;
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(20, y));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(20, y));
    QCOMPARE(clicked.count(), 2);
    QCOMPARE(clicked.last().at(0).value<QModelIndex>().row(), 3);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::ShiftModifier,
                      QPoint(20, y + 2 * m_view->rowHeight()));
    QCOMPARE(clicked.count(), 2);
    QCOMPARE(m_view->selectedRows(), std::make_pair(3, 5));
}

void tst_EventTableView::keysMoveTheCurrentRowAndKeepItInView()
{
    appendRows(1000);
    m_view->setFocus();
    m_view->setCurrentIndex(m_model->index(0, 0));
    QTest::keyClick(m_view, Qt::Key_Down);
    QCOMPARE(m_view->currentIndex().row(), 1);
    QTest::keyClick(m_view, Qt::Key_End);
    QCOMPARE(m_view->currentIndex().row(), 999);
    QScrollBar *bar = m_view->verticalScrollBar();
    QCOMPARE(bar->value(), bar->maximum()); // the last row is in view
    QTest::keyClick(m_view, Qt::Key_Home);
    QCOMPARE(m_view->currentIndex().row(), 0);
    QCOMPARE(bar->value(), 0);
    QTest::keyClick(m_view, Qt::Key_PageDown);
    QVERIFY(m_view->currentIndex().row() > 5);
}

void tst_EventTableView::doubleClickAndReturnAskToSeek()
{
    appendRows(20);
    QSignalSpy seek(m_view, &EventTableView::doubleClicked);
    const int y = 2 * m_view->rowHeight() + 2;
    QTest::mouseDClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(20, y));
    QCOMPARE(seek.count(), 1);
    QCOMPARE(seek.first().at(0).value<QModelIndex>().row(), 2);
    m_view->setFocus();
    m_view->setCurrentIndex(m_model->index(7, 0));
    QTest::keyClick(m_view, Qt::Key_Return);
    QCOMPARE(seek.count(), 2);
    QCOMPARE(seek.last().at(0).value<QModelIndex>().row(), 7);
}

void tst_EventTableView::currentRowDropsWhenItsRowGoes()
{
    appendRows(10);
    m_view->setCurrentIndex(m_model->index(9, 0));
    m_model->removeRows(5, 5); // stepping back past the selected event
    QVERIFY(!m_view->currentIndex().isValid());
}

void tst_EventTableView::paintsVisibleRowsOnly()
{
    // A million rows cost the view nothing per row: painting stays a screenful of cells.
    struct Counting : EventTableDelegate
    {
        using EventTableDelegate::EventTableDelegate;
        mutable int cells = 0;
        void paint(QPainter *p, const QStyleOptionViewItem &o, const QModelIndex &i) const override
        {
            ++cells;
            EventTableDelegate::paint(p, o, i);
        }
    };
    auto *counting = new Counting(m_view);
    m_view->setItemDelegate(counting);
    QStandardItemModel big(1'000'000, 2);
    m_view->setModel(&big);
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum() / 2);
    m_view->viewport()->repaint();
    const int rowsInView = m_view->viewport()->height() / m_view->rowHeight() + 2;
    QVERIFY(counting->cells > 0);
    QVERIFY2(counting->cells <= 2 * rowsInView, qPrintable(QString::number(counting->cells)));
    m_view->setModel(m_model);
}

void tst_EventTableView::columnWidthsSurviveAModelSwap()
{
    // The window swaps the filter proxy in and out as the user types: widths the user (or the
    // window) set must stay.
    appendRows(10);
    m_view->header()->resizeSection(0, 123);
    QStandardItemModel other(5, 2);
    m_view->setModel(&other);
    QCOMPARE(m_view->header()->sectionSize(0), 123);
    m_view->setModel(m_model);
    QCOMPARE(m_view->header()->sectionSize(0), 123);
}

void tst_EventTableView::shiftExtendsTheSelectionAndCopyCopiesIt()
{
    appendRows(50);
    auto yOf = [this](int row) { return row * m_view->rowHeight() + m_view->rowHeight() / 2; };
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(20, yOf(2)));
    QCOMPARE(m_view->selectedRows(), std::make_pair(2, 2));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(20, yOf(5)));
    QCOMPARE(m_view->selectedRows(), std::make_pair(2, 5));
    QCOMPARE(m_view->currentIndex().row(), 5);
    m_view->setFocus();
    QTest::keyClick(m_view, Qt::Key_Up, Qt::ShiftModifier); // shrinks from the moving end
    QCOMPARE(m_view->selectedRows(), std::make_pair(2, 4));

    // What the user sees, a tab between columns, in the header's order.
    QString expected;
    for (int r = 2; r <= 4; ++r)
        expected += QStringLiteral("%1\tevent %1\n").arg(r);
    QCOMPARE(m_view->selectedText(), expected);
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(m_view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), expected);
    m_view->header()->moveSection(1, 0);
    QVERIFY(m_view->selectedText().startsWith(QStringLiteral("event 2\t2\n")));

    // A plain click or key starts again from one row.
    QTest::keyClick(m_view, Qt::Key_Down);
    QCOMPARE(m_view->selectedRows(), std::make_pair(5, 5));
    // Stepping back past the current row drops the selection with it, as it drops the current row.
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(20, yOf(1)));
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(20, yOf(8)));
    m_model->removeRows(6, 44);
    QCOMPARE(m_view->selectedRows(), std::make_pair(-1, -1));
}

void tst_EventTableView::copyRefusesAHugeSelection()
{
    appendRows(EventTableView::MaxCopiedRows + 1);
    m_view->setCurrentIndex(m_model->index(0, 0));
    m_view->setFocus();
    QTest::keyClick(m_view, Qt::Key_End, Qt::ShiftModifier);
    QCOMPARE(m_view->selectedRows(), std::make_pair(0, EventTableView::MaxCopiedRows));
    QVERIFY(m_view->selectedText().isEmpty());
    QTest::keyClick(m_view, Qt::Key_Up, Qt::ShiftModifier); // one row fewer is fine
    QCOMPARE(m_view->selectedText().count(u'\n'), EventTableView::MaxCopiedRows);
}

QTEST_MAIN(tst_EventTableView)
#include "tst_eventtableview.moc"
