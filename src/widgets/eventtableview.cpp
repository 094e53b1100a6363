// SPDX-License-Identifier: MIT
#include "eventtableview.h"

#include <QAbstractItemDelegate>
#include <QAbstractItemModel>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QStyleOptionViewItem>
#include <QToolTip>

namespace Lifeline {

EventTableView::EventTableView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_header(new QHeaderView(Qt::Horizontal, this))
{
    m_header->setStretchLastSection(true);
    m_header->setSectionsClickable(false);
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setBackgroundRole(QPalette::Base);
    connect(m_header, &QHeaderView::sectionResized, this, [this] {
        updateGeometries();
        viewport()->update();
    });
    m_rowHeight = fontMetrics().height() + 6;
    updateGeometries();
}

void EventTableView::setModel(QAbstractItemModel *model)
{
    if (m_model == model)
        return;
    if (m_model)
        m_model->disconnect(this);
    m_model = model;
    m_header->setModel(model);
    m_current = m_anchor = -1;
    if (model) {
        // Rows come and go at the end as the playhead moves: only the scroll range changes.
        auto changed = [this] {
            if (m_current >= rowCount())
                m_current = -1;
            if (m_anchor >= rowCount() || m_current < 0)
                m_anchor = m_current;
            updateGeometries();
            viewport()->update();
        };
        connect(model, &QAbstractItemModel::rowsInserted, this, changed);
        connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
        connect(model, &QAbstractItemModel::modelReset, this, changed);
        connect(model, &QAbstractItemModel::layoutChanged, this, changed);
        connect(model, &QAbstractItemModel::dataChanged, viewport(), qOverload<>(&QWidget::update));
    }
    updateGeometries();
    viewport()->update();
}

int EventTableView::rowCount() const
{
    return m_model ? m_model->rowCount() : 0;
}

QModelIndex EventTableView::currentIndex() const
{
    return m_model && m_current >= 0 && m_current < rowCount() ? m_model->index(m_current, 0)
                                                               : QModelIndex();
}

void EventTableView::setCurrentIndex(const QModelIndex &index)
{
    setCurrentRow(index.isValid() && index.model() == m_model ? index.row() : -1);
}

void EventTableView::setCurrentRow(int row, bool extend)
{
    if (row >= rowCount())
        row = rowCount() - 1;
    const int anchor = extend && m_anchor >= 0 ? m_anchor : row;
    if (row == m_current && anchor == m_anchor)
        return;
    m_anchor = anchor;
    const QModelIndex previous = currentIndex();
    const bool moved = row != m_current;
    m_current = row;
    viewport()->update();
    if (moved)
        Q_EMIT currentRowChanged(currentIndex(), previous);
}

std::pair<int, int> EventTableView::selectedRows() const
{
    if (m_current < 0)
        return { -1, -1 };
    return { std::min(m_anchor, m_current), std::max(m_anchor, m_current) };
}

QString EventTableView::selectedText() const
{
    const auto [first, last] = selectedRows();
    if (!m_model || first < 0 || last - first + 1 > MaxCopiedRows)
        return {};
    QString text;
    for (int row = first; row <= last; ++row) {
        bool firstCell = true;
        for (int visual = 0; visual < m_header->count(); ++visual) {
            const int col = m_header->logicalIndex(visual);
            if (m_header->isSectionHidden(col))
                continue;
            if (!std::exchange(firstCell, false))
                text += u'\t';
            text += m_model->index(row, col).data().toString();
        }
        text += u'\n';
    }
    return text;
}

void EventTableView::copy() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void EventTableView::contextMenuEvent(QContextMenuEvent *event)
{
    const auto [first, last] = selectedRows();
    // A right click outside the selection selects that row, as in other item views; the menu
    // key acts on the selection as it is.
    if (event->reason() == QContextMenuEvent::Mouse) {
        const int row = rowAt(viewport()->mapFromGlobal(event->globalPos()).y());
        if (row >= 0 && (row < first || row > last))
            setCurrentRow(row);
    }
    const auto [from, to] = selectedRows();
    if (from < 0)
        return;
    QMenu menu(this);
    const int count = to - from + 1;
    QAction *copyAction
        = menu.addAction(count == 1 ? tr("Copy Event") : tr("Copy %1 Events").arg(count));
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(count <= MaxCopiedRows);
    if (count > MaxCopiedRows)
        copyAction->setText(tr("Copy (select at most %L1 events)").arg(MaxCopiedRows));
    connect(copyAction, &QAction::triggered, this, &EventTableView::copy);
    menu.exec(event->globalPos());
}

void EventTableView::scrollTo(const QModelIndex &index)
{
    if (!index.isValid() || index.model() != m_model)
        return;
    QScrollBar *bar = verticalScrollBar();
    const int top = index.row() * m_rowHeight;
    if (top < bar->value())
        bar->setValue(top);
    else if (top + m_rowHeight > bar->value() + viewport()->height())
        bar->setValue(top + m_rowHeight - viewport()->height());
}

int EventTableView::rowAt(int y) const
{
    const qint64 row = (qint64(y) + verticalScrollBar()->value()) / m_rowHeight;
    return y >= 0 && row < rowCount() ? int(row) : -1;
}

void EventTableView::updateGeometries()
{
    const int headerHeight = m_header->sizeHint().height();
    setViewportMargins(0, headerHeight, 0, 0);
    const QRect vg = viewport()->geometry();
    m_header->setGeometry(vg.left(), vg.top() - headerHeight, vg.width(), headerHeight);
    // Pixel scrolling over rows of one height: a 32-bit range holds 100M rows of 20 pixels.
    const qint64 content = qint64(rowCount()) * m_rowHeight;
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, int(std::clamp<qint64>(content - vg.height(), 0, INT_MAX)));
    v->setPageStep(vg.height());
    v->setSingleStep(m_rowHeight);
    QScrollBar *h = horizontalScrollBar();
    h->setRange(0, std::max(0, m_header->length() - vg.width()));
    h->setPageStep(vg.width());
    h->setSingleStep(20);
}

void EventTableView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateGeometries();
}

void EventTableView::scrollContentsBy(int, int)
{
    m_header->setOffset(horizontalScrollBar()->value());
    viewport()->update();
}

void EventTableView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        m_rowHeight = fontMetrics().height() + 6;
        updateGeometries();
    }
    QAbstractScrollArea::changeEvent(event);
}

void EventTableView::paintEvent(QPaintEvent *event)
{
    QPainter painter(viewport());
    const int rows = rowCount();
    if (!m_model || !m_delegate || rows == 0)
        return;
    const int scroll = verticalScrollBar()->value();
    const QRect dirty = event->rect();
    const int first = (scroll + dirty.top()) / m_rowHeight;
    const int last = std::min(rows - 1, (scroll + dirty.bottom()) / m_rowHeight);
    QStyleOptionViewItem base;
    base.initFrom(viewport());
    base.font = font();
    base.fontMetrics = fontMetrics();
    base.widget = this;
    base.showDecorationSelected = true;
    base.textElideMode = Qt::ElideRight;
    const bool active = hasFocus() || isActiveWindow();
    const int columns = m_model->columnCount();
    const std::pair<int, int> selected = selectedRows();
    for (int row = first; row <= last; ++row) {
        const int y = row * m_rowHeight - scroll;
        QStyleOptionViewItem opt = base;
        opt.features = row % 2 ? QStyleOptionViewItem::Alternate : QStyleOptionViewItem::None;
        opt.state = QStyle::State_Enabled;
        if (active)
            opt.state |= QStyle::State_Active;
        if (row >= selected.first && row <= selected.second)
            opt.state |= QStyle::State_Selected;
        if (row == m_current && hasFocus())
            opt.state |= QStyle::State_HasFocus;
        for (int col = 0; col < columns; ++col) {
            if (m_header->isSectionHidden(col))
                continue;
            const int x = m_header->sectionViewportPosition(col);
            const int w = m_header->sectionSize(col);
            if (x + w < dirty.left() || x > dirty.right())
                continue;
            opt.rect = QRect(x, y, w, m_rowHeight);
            // The row's background (alternating, selected) as QTableView draws it.
            style()->drawPrimitive(QStyle::PE_PanelItemViewRow, &opt, &painter, this);
            m_delegate->paint(&painter, opt, m_model->index(row, col));
        }
    }
}

bool EventTableView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_model) {
        // The full text of a cell the column cuts short.
        auto *help = static_cast<QHelpEvent *>(event);
        const int row = rowAt(help->pos().y());
        const int col = m_header->logicalIndexAt(help->pos().x());
        if (row >= 0 && col >= 0)
            QToolTip::showText(help->globalPos(), m_model->index(row, col).data().toString(),
                               viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void EventTableView::mousePressEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0 && event->button() == Qt::LeftButton) {
        const bool extend = event->modifiers() & Qt::ShiftModifier;
        setCurrentRow(row, extend);
        if (!extend && m_model)
            Q_EMIT clicked(m_model->index(row, 0));
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void EventTableView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0 && event->button() == Qt::LeftButton && m_model)
        Q_EMIT doubleClicked(m_model->index(row, 0));
}

void EventTableView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy) {
        copy();
        return;
    }
    const int rows = rowCount();
    const int page = std::max(1, viewport()->height() / m_rowHeight - 1);
    int row = m_current;
    switch (event->key()) {
    case Qt::Key_Up:
        row = std::max(0, row - 1);
        break;
    case Qt::Key_Down:
        row = std::min(rows - 1, row + 1);
        break;
    case Qt::Key_PageUp:
        row = std::max(0, row - page);
        break;
    case Qt::Key_PageDown:
        row = std::min(rows - 1, row + page);
        break;
    case Qt::Key_Home:
        row = 0;
        break;
    case Qt::Key_End:
        row = rows - 1;
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_current >= 0 && m_model)
            Q_EMIT doubleClicked(m_model->index(m_current, 0));
        return;
    default:
        return QAbstractScrollArea::keyPressEvent(event);
    }
    if (rows == 0)
        return;
    setCurrentRow(row, event->modifiers() & Qt::ShiftModifier);
    scrollTo(currentIndex());
}

} // namespace Lifeline
