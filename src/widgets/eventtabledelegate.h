#pragma once
// Paints the event table's cells: one line of elided text on the row's background, as the
// style would, but without the style's general item layout (icons, check boxes, wrapped text),
// which costs a text layout pass or two per cell and made repainting a scrolled table cost
// milliseconds a frame while a run plays. Display only: it never edits.

#include <QStyledItemDelegate>

namespace Lifeline {

class EventTableDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace Lifeline
