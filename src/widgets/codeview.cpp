#include "codeview.h"

#include "pythonhighlighter.h"

#include <QElapsedTimer>

#include <algorithm>
#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>
#include <QTimer>

namespace Lifeline {

CodeView::CodeView(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new PythonHighlighter(document()))
    , m_gutter(new QWidget(this))
    , m_theme(Theme::forPalette(palette()))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_highlighter->setTheme(m_theme);
    // The gutter is a plain child painted here, so the line numbers and the text share one
    // owner and one theme.
    m_gutter->installEventFilter(this);
    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeView::updateGutterGeometry);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    updateGutterGeometry();
}

QSize CodeView::sizeHint() const
{
    return { fontMetrics().horizontalAdvance(QLatin1Char('m')) * 64, fontMetrics().height() * 30 };
}

void CodeView::setCode(const QString &code, const std::vector<int> &stepLines)
{
    m_stepLines = stepLines;
    m_currentLine = 0;
    m_otherLines.clear();
    m_pendingCode = code;
    m_pendingOffset = 0;
    // The gutter is sized for the whole program up front: widening it as lines arrive resizes
    // the viewport, which lays out every line loaded so far again (25 ms at a million lines).
    m_totalLines = int(code.count(QLatin1Char('\n'))) + 1;
    ++m_generation;
    document()->setUndoRedoEnabled(false);
    clear();
    updateGutterGeometry();
    // Not here: the caller (opening a scenario) has a frame's work of its own to do.
    QTimer::singleShot(0, this, [this, generation = m_generation] { appendSlice(generation); });
}

bool CodeView::isLoading() const
{
    return m_pendingOffset < m_pendingCode.size();
}

void CodeView::appendSlice(quint64 generation)
{
    if (generation != m_generation)
        return; // a newer setCode() took over
    // A program of hundreds of thousands of lines (a generated stress scenario) would hold the
    // GUI thread for seconds in one setPlainText() plus highlighting: append it in slices of a
    // few milliseconds instead, so the window stays live while the code fills in.
    // Each insert is highlighted and laid out at once, so a slice can overrun by one insert.
    constexpr qint64 SliceNs = 2'000'000;
    constexpr int LinesPerInsert = 40; // ~0.4 ms with highlighting
    QElapsedTimer elapsed;
    elapsed.start();
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    while (isLoading() && elapsed.nsecsElapsed() < SliceNs) {
        qsizetype end = m_pendingOffset;
        for (int i = 0; i < LinesPerInsert && end < m_pendingCode.size(); ++i) {
            end = m_pendingCode.indexOf(u'\n', end);
            end = end < 0 ? m_pendingCode.size() : end + 1;
        }
        cursor.insertText(m_pendingCode.mid(m_pendingOffset, end - m_pendingOffset));
        m_pendingOffset = end;
    }
    if (isLoading()) {
        QTimer::singleShot(0, this, [this, generation] { appendSlice(generation); });
        return;
    }
    m_pendingCode.clear();
    m_pendingOffset = 0;
    updateMarks();
    revealCurrentLine();
    Q_EMIT codeLoaded();
}

void CodeView::revealCurrentLine()
{
    const QTextBlock block = document()->findBlockByNumber(m_currentLine - 1);
    if (m_currentLine <= 0 || !block.isValid())
        return;
    // Keep the running line well inside the view, not on its last row.
    const QRectF shown = blockBoundingGeometry(block).translated(contentOffset());
    setTextCursor(QTextCursor(block));
    if (shown.top() < 0 || shown.bottom() > viewport()->height() - 2 * shown.height())
        centerCursor();
}

int CodeView::lineOfStep(int stepId) const
{
    if (stepId < 0 || size_t(stepId) >= m_stepLines.size())
        return 0;
    return m_stepLines[size_t(stepId)];
}

void CodeView::setCurrentStep(int stepId, const std::vector<int> &others)
{
    const int line = lineOfStep(stepId);
    // One mark per line, the most recent first, and only a few: with thousands of tasks every
    // extra selection costs layout time, and a wall of marks tells the reader nothing.
    constexpr size_t MaxOtherMarks = 24;
    std::vector<int> otherLines;
    for (int other : others) {
        if (otherLines.size() == MaxOtherMarks)
            break;
        const int l = lineOfStep(other);
        if (l > 0 && l != line
            && std::find(otherLines.begin(), otherLines.end(), l) == otherLines.end())
            otherLines.push_back(l);
    }
    if (line == m_currentLine && otherLines == m_otherLines)
        return;
    m_currentLine = line;
    m_otherLines = std::move(otherLines);
    updateMarks();
    revealCurrentLine();
}

void CodeView::updateMarks()
{
    QList<QTextEdit::ExtraSelection> marks;
    auto mark = [&](int line, const QColor &color) {
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        if (!block.isValid())
            return; // not appended yet; marked again once the code is in
        QTextEdit::ExtraSelection s;
        s.format.setBackground(color);
        s.format.setProperty(QTextFormat::FullWidthSelection, true);
        s.cursor = QTextCursor(block);
        marks.append(s);
    };
    for (int line : m_otherLines)
        mark(line, m_theme.otherLine);
    if (m_currentLine > 0)
        mark(m_currentLine, m_theme.currentLine);
    setExtraSelections(marks);
    m_gutter->update();
}

int CodeView::gutterWidth() const
{
    const int digits = QString::number(std::max({ 1, blockCount(), m_totalLines })).size();
    return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(2, digits);
}

void CodeView::updateGutterGeometry()
{
    setViewportMargins(gutterWidth(), 0, 0, 0);
    const QRect cr = contentsRect();
    m_gutter->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), cr.height()));
}

void CodeView::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updateGutterGeometry();
}

void CodeView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_theme = Theme::forPalette(palette());
        m_highlighter->setTheme(m_theme);
        updateMarks();
    } else if (event->type() == QEvent::FontChange) {
        updateGutterGeometry();
    }
}

bool CodeView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_gutter && event->type() == QEvent::Paint) {
        paintGutter(static_cast<QPaintEvent *>(event));
        return true;
    }
    return QPlainTextEdit::eventFilter(watched, event);
}

void CodeView::paintGutter(QPaintEvent *event)
{
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), m_theme.gutterBackground);
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    const int right = m_gutter->width() - 6;
    while (block.isValid() && top <= event->rect().bottom()) {
        const int height = qRound(blockBoundingRect(block).height());
        if (block.isVisible() && top + height >= event->rect().top()) {
            const int line = block.blockNumber() + 1;
            painter.save();
            if (line == m_currentLine) {
                painter.fillRect(0, top, m_gutter->width(), height, m_theme.currentLine);
                QFont bold = font();
                bold.setBold(true);
                painter.setFont(bold);
                painter.setPen(palette().color(QPalette::Text));
            } else {
                painter.setPen(m_theme.gutterText);
            }
            painter.drawText(0, top, right, height, Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(line));
            painter.restore();
        }
        top += height;
        block = block.next();
    }
}

} // namespace Lifeline
