// SPDX-License-Identifier: MIT
#pragma once
// Paints the event table's cells: one line of elided text on the row's background, as the
// style would, but without the style's general item layout (icons, check boxes, wrapped text),
// which costs a text layout pass or two per cell and made repainting a scrolled table cost
// milliseconds a frame while a run plays. Rows a model marks with DimmedRole get the faint text
// colour. Display only: it never edits.

#include <QHash>
#include <QStyledItemDelegate>
#include <utility>

namespace Lifeline {

class EventTableDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    // A model's rows that say true for this role are drawn faint: what comes after the playhead.
    static constexpr int DimmedRole = Qt::UserRole + 64;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    // Eliding measures the text with a full layout; a playing run repaints the same few dozen
    // cells, shifted by a row, every frame. By (text, width * 2 + bold).
    mutable QHash<std::pair<QString, int>, QString> m_elided;
};

} // namespace Lifeline
