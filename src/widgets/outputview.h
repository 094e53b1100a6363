// SPDX-License-Identifier: MIT
#pragma once
// A running program's stdout and stderr as they arrive (stderr in the theme's error colour):
// bytes are decoded as UTF-8 per stream, a character split between two reads included, and shown
// at most once a frame, at most MaxCharsPerFrame a frame, so a program printing megabytes never
// stalls the window. Memory stays bounded: the view keeps the last MaxLines lines, and text
// waiting to be shown past MaxPendingChars drops its oldest part (with a note saying how much).
// It never reads the process itself.

#include <QPlainTextEdit>
#include <QStringDecoder>
#include <QTimer>

#include <deque>

namespace Lifeline {

class OutputView : public QPlainTextEdit
{
    Q_OBJECT
public:
    enum class Stream : quint8 { Out, Err };
    static constexpr int MaxLines = 5000;
    static constexpr qsizetype MaxCharsPerFrame = 16 * 1024;
    static constexpr qsizetype MaxPendingChars = 1024 * 1024;
    static constexpr int FrameMs = 16;

    explicit OutputView(QWidget *parent = nullptr);

    void append(QByteArrayView bytes, Stream stream);
    // Forgets everything shown and pending (a new program).
    void clearOutput();
    // Shows what is pending now, all of it (tests, and a program's end).
    void flush();
    qsizetype pendingChars() const { return m_pendingChars; }
    // Characters dropped so far because the program printed faster than they could be shown.
    qsizetype droppedChars() const { return m_dropped; }

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Chunk
    {
        Stream stream;
        QString text;
    };
    void showSome(qsizetype budget);
    void applyTheme();

    QStringDecoder m_decoders[2]
        = { QStringDecoder(QStringDecoder::Utf8), QStringDecoder(QStringDecoder::Utf8) };
    std::deque<Chunk> m_pending;
    qsizetype m_pendingChars = 0;
    qsizetype m_dropped = 0;
    qsizetype m_droppedShown = 0;
    QTimer m_frame;
    QColor m_errorColor;
};

} // namespace Lifeline
