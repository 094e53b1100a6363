// SPDX-License-Identifier: MIT
#include "eventtabledelegate.h"

#include <QApplication>
#include <QPainter>

namespace Lifeline {

void EventTableDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (opt.state & QStyle::State_Active)                                ? QPalette::Normal
                                                                            : QPalette::Inactive;
    const bool selected = opt.state & QStyle::State_Selected;
    // The row's background (alternating, selected) is the style's; only the text is ours.
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
    if (!opt.text.isEmpty()) {
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const QRect box = opt.rect.adjusted(margin, 0, -margin, 0);
        // Most cells fit for sure (every character as wide as the widest): no measuring at all.
        QString text = opt.text;
        // Eliding shapes the whole string: a huge one (a long print) would take a frame or
        // more. No glyph is narrower than a pixel, so a prefix of twice the width is enough.
        const qsizetype enough = 2 * qsizetype(box.width()) + 16;
        if (text.size() > enough)
            text = text.left(enough) + QChar(0x2026);
        if (text.size() * opt.fontMetrics.maxWidth() > box.width()) {
            const std::pair<QString, int> key(text, box.width() * 2 + int(opt.font.bold()));
            auto elided = m_elided.constFind(key);
            if (elided == m_elided.constEnd()) {
                if (m_elided.size() > 4096)
                    m_elided.clear(); // a long scroll: start over rather than grow
                elided = m_elided.insert(
                    key, opt.fontMetrics.elidedText(text, opt.textElideMode, box.width()));
            }
            text = elided.value();
        }
        painter->save();
        painter->setFont(opt.font);
        const bool dimmed = index.data(DimmedRole).toBool();
        painter->setPen(opt.palette.color(group,
                                          selected     ? QPalette::HighlightedText
                                              : dimmed ? QPalette::PlaceholderText
                                                       : QPalette::Text));
        painter->drawText(box, int(opt.displayAlignment) | Qt::TextSingleLine, text);
        painter->restore();
    }
    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = opt.rect;
        focus.state |= QStyle::State_KeyboardFocusChange;
        focus.backgroundColor
            = opt.palette.color(group, selected ? QPalette::Highlight : QPalette::Window);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
}

} // namespace Lifeline
