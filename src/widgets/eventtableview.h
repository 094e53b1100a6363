// SPDX-License-Identifier: MIT
#pragma once
// A table for millions of rows: it paints only the rows in view, straight from the model, and
// keeps nothing per row. QTableView keeps a header section per row (and a proxy keeps a
// mapping entry), so adding or removing one row of a 3.5M-event log cost it ~8 ms and its next
// paint ~10 ms; stepping must stay inside a frame. Rows have one height; one row is current
// (click, arrow keys), and Shift extends a selection of consecutive rows from there, which
// Ctrl+C or the context menu copies as tab-separated text; the columns are a horizontal
// QHeaderView the user can resize.

#include <QAbstractScrollArea>
#include <QPersistentModelIndex>
#include <QPointer>

#include <utility>

class QAbstractItemModel;
class QAbstractItemDelegate;
class QHeaderView;

namespace Lifeline {

class EventTableView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit EventTableView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model);
    QAbstractItemModel *model() const { return m_model; }
    // Paints the cells; the view does not take ownership.
    void setItemDelegate(QAbstractItemDelegate *delegate) { m_delegate = delegate; }
    QHeaderView *header() const { return m_header; }
    int rowHeight() const { return m_rowHeight; }

    QModelIndex currentIndex() const;
    void setCurrentIndex(const QModelIndex &index);
    // Scrolls the least that shows the row (nothing if it is in view).
    void scrollTo(const QModelIndex &index);
    // The row at a viewport y, or -1.
    int rowAt(int y) const;

    // The selected rows, first and last (the current row alone when nothing was extended);
    // {-1, -1} when there is none.
    std::pair<int, int> selectedRows() const;
    // The selected rows' cells as the view shows them, a tab between columns and a line per
    // row; empty when more than MaxCopiedRows are selected (a clipboard of hundreds of
    // megabytes helps nobody).
    QString selectedText() const;
    static constexpr int MaxCopiedRows = 100000;
    void copy() const;

Q_SIGNALS:
    void currentRowChanged(const QModelIndex &current, const QModelIndex &previous);
    void doubleClicked(const QModelIndex &index);
    // A plain left click on a row (not one that extends the selection with Shift).
    void clicked(const QModelIndex &index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    int rowCount() const;
    // Moves the current row; `extend` keeps the selection's anchor where it was.
    void setCurrentRow(int row, bool extend = false);
    void updateGeometries();

    QPointer<QAbstractItemModel> m_model;
    QAbstractItemDelegate *m_delegate = nullptr;
    QHeaderView *m_header;
    int m_rowHeight = 20;
    int m_current = -1;
    int m_anchor = -1; // the selection's other end
};

} // namespace Lifeline
