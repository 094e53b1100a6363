// SPDX-License-Identifier: MIT
#include "outputview.h"

#include "theme.h"

#include <QFontDatabase>
#include <QScrollBar>
#include <QTextCursor>

namespace Lifeline {

OutputView::OutputView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setMaximumBlockCount(MaxLines);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setPlaceholderText(tr("What the traced program prints appears here."));
    m_frame.setSingleShot(true);
    m_frame.setInterval(FrameMs);
    connect(&m_frame, &QTimer::timeout, this, [this] { showSome(MaxCharsPerFrame); });
    applyTheme();
}

void OutputView::append(QByteArrayView bytes, Stream stream)
{
    QString text = m_decoders[int(stream)].decode(bytes);
    if (text.isEmpty())
        return;
    m_pendingChars += text.size();
    if (!m_pending.empty() && m_pending.back().stream == stream)
        m_pending.back().text += text;
    else
        m_pending.push_back({ stream, std::move(text) });
    // Bounded: what waits longest goes first.
    while (m_pendingChars > MaxPendingChars) {
        Chunk &front = m_pending.front();
        const qsizetype drop = std::min(front.text.size(), m_pendingChars - MaxPendingChars);
        front.text.remove(0, drop);
        m_pendingChars -= drop;
        m_dropped += drop;
        if (front.text.isEmpty())
            m_pending.pop_front();
    }
    if (!m_frame.isActive())
        m_frame.start();
}

void OutputView::clearOutput()
{
    m_frame.stop();
    m_pending.clear();
    m_pendingChars = 0;
    m_dropped = m_droppedShown = 0;
    for (QStringDecoder &d : m_decoders)
        d.resetState();
    clear();
}

void OutputView::flush()
{
    showSome(m_pendingChars);
}

void OutputView::showSome(qsizetype budget)
{
    QScrollBar *bar = verticalScrollBar();
    const bool following = bar->value() == bar->maximum();
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    QTextCharFormat normal;
    QTextCharFormat error;
    error.setForeground(m_errorColor);
    if (m_dropped > m_droppedShown) {
        QTextCharFormat note;
        note.setFontItalic(true);
        cursor.insertText(tr("[… %1 characters not shown: the program printed faster than the "
                             "window shows]\n")
                              .arg(m_dropped - m_droppedShown),
                          note);
        m_droppedShown = m_dropped;
    }
    while (budget > 0 && !m_pending.empty()) {
        Chunk &front = m_pending.front();
        const qsizetype n = std::min(budget, front.text.size());
        cursor.insertText(front.text.first(n), front.stream == Stream::Err ? error : normal);
        budget -= n;
        m_pendingChars -= n;
        if (n == front.text.size())
            m_pending.pop_front();
        else
            front.text.remove(0, n);
    }
    cursor.endEditBlock();
    if (following)
        bar->setValue(bar->maximum());
    if (!m_pending.empty())
        m_frame.start();
}

void OutputView::applyTheme()
{
    m_errorColor = Theme::forPalette(palette()).error;
}

void OutputView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

} // namespace Lifeline
