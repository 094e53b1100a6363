// SPDX-License-Identifier: MIT
#include "codeview.h"

#include "slicegate.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QImage>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>
#include <QTimer>

#include <algorithm>

namespace Lifeline {

namespace {
// Indexing slice: long enough to index ~100k lines, short enough to stay inside a frame.
constexpr qint64 SliceNs = 2'000'000;
} // namespace

CodeView::CodeView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_theme(Theme::forPalette(palette()))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_highlighter.setTheme(m_theme);
    viewport()->setCursor(Qt::IBeamCursor);
    setFocusPolicy(Qt::StrongFocus);
    updateScrollBars();
    warmUp();
}

void CodeView::warmUp()
{
    // The first code shown would pay for loading the highlighter's bold and italic faces and
    // drawing their first glyphs: 3-4 ms inside the frame that opens a scenario. Here it is
    // part of starting up. (Raster devices share one glyph cache, the window's included.)
    const QString sample = QStringLiteral(
        "async def f(self, x=None):  # ok\n    return await g('s', 1.5) if not x else True");
    QImage image(64, 64, QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&image);
    for (const QString &text : sample.split(u'\n')) {
        QTextLayout layout(text, font(), &image);
        layout.setFormats(m_highlighter.highlightLine(text, PythonHighlighter::Normal));
        layout.beginLayout();
        layout.createLine();
        layout.endLayout();
        layout.draw(&painter, QPointF(0, 0));
    }
    QFont bold = font(); // the current line's number
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QPointF(0, 16), QStringLiteral("0123456789"));
    painter.setFont(font());
    painter.drawText(QPointF(0, 32), QStringLiteral("0123456789"));
}

QSize CodeView::sizeHint() const
{
    return { fontMetrics().horizontalAdvance(QLatin1Char('m')) * 64, fontMetrics().height() * 30 };
}

void CodeView::setCode(const QString &code, const std::vector<int> &stepLines)
{
    m_code = code;
    m_stepLines = stepLines;
    m_lastStepLine = stepLines.empty() ? 0 : *std::max_element(stepLines.begin(), stepLines.end());
    m_currentLine = 0;
    m_otherLines.clear();
    m_lineStarts.clear();
    m_lineStates.clear();
    m_indexed = 0;
    m_longestLine = 0;
    m_anchor = m_cursor = Position();
    ++m_generation;
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
    // Not here: the caller (opening a scenario) has a frame's work of its own to do.
    QTimer::singleShot(0, this, [this, generation = m_generation] { indexSlice(generation); });
}

void CodeView::setStepLines(const std::vector<int> &stepLines)
{
    m_stepLines = stepLines;
    m_lastStepLine = stepLines.empty() ? 0 : *std::max_element(stepLines.begin(), stepLines.end());
    viewport()->update();
}

bool CodeView::isLoading() const
{
    return m_indexed < m_code.size() || m_lineStarts.empty();
}

void CodeView::indexSlice(quint64 generation)
{
    if (generation != m_generation)
        return; // a newer setCode() took over
    // What this pass of the event loop has left (SliceGate), and at least 256 lines (an example's
    // code is indexed at once; a program of millions of lines goes on slice by slice).
    const qint64 budget = SliceGate::current().allowance(SliceNs);
    QElapsedTimer elapsed;
    elapsed.start();
    const QStringView code(m_code);
    const int linesBefore = lineCount();
    if (m_lineStarts.empty()) {
        m_lineStarts.push_back(0);
        m_lineStates.push_back(PythonHighlighter::Normal);
    }
    int sinceCheck = 0;
    while (m_indexed < code.size()) {
        const qsizetype start = m_lineStarts.back();
        qsizetype newline = code.indexOf(u'\n', start);
        const qsizetype end = newline < 0 ? code.size() : newline;
        const QStringView line = code.sliced(start, end - start);
        m_longestLine = std::max(m_longestLine, int(line.size()));
        const auto state
            = PythonHighlighter::endState(line, PythonHighlighter::State(m_lineStates.back()));
        if (newline < 0) {
            m_indexed = code.size();
            break;
        }
        m_lineStarts.push_back(quint32(newline + 1));
        m_lineStates.push_back(state);
        m_indexed = newline + 1;
        if (++sinceCheck == 256) {
            sinceCheck = 0;
            if (elapsed.nsecsElapsed() > budget)
                break;
        }
    }
    updateScrollBars();
    if (m_currentLine > linesBefore && m_currentLine <= lineCount())
        revealCurrentLine(); // the running line just arrived
    if (linesBefore < verticalScrollBar()->value() + verticalScrollBar()->pageStep())
        viewport()->update();
    if (m_indexed < code.size()) {
        QTimer::singleShot(0, this, [this, generation] { indexSlice(generation); });
        return;
    }
    viewport()->update();
    Q_EMIT codeLoaded();
}

QStringView CodeView::lineView(int index) const
{
    if (index < 0 || index >= lineCount())
        return {};
    const qsizetype start = m_lineStarts[size_t(index)];
    const qsizetype end
        = index + 1 < lineCount() ? qsizetype(m_lineStarts[size_t(index) + 1]) - 1 : m_code.size();
    return QStringView(m_code).sliced(start, std::max<qsizetype>(0, end - start));
}

QString CodeView::lineText(int line) const
{
    return lineView(line - 1).toString();
}

int CodeView::firstVisibleLine() const
{
    return verticalScrollBar()->value() + 1;
}

int CodeView::lineHeight() const
{
    return std::max(1, fontMetrics().lineSpacing());
}

int CodeView::charWidth() const
{
    return std::max(1, fontMetrics().horizontalAdvance(QLatin1Char('0')));
}

int CodeView::gutterWidth() const
{
    const int digits = int(QString::number(std::max({ 1, lineCount(), m_lastStepLine })).size());
    return 12 + charWidth() * std::max(2, digits);
}

void CodeView::updateScrollBars()
{
    const int page = std::max(1, viewport()->height() / lineHeight());
    QScrollBar *v = verticalScrollBar();
    v->setSingleStep(1);
    v->setPageStep(page);
    v->setRange(0, std::max(0, lineCount() - page + 1));
    QScrollBar *h = horizontalScrollBar();
    const int width = textLeft() + m_longestLine * charWidth() + charWidth();
    h->setSingleStep(charWidth());
    h->setPageStep(viewport()->width());
    h->setRange(0, std::max(0, width - viewport()->width()));
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
    // One mark per line, the most recent first, and only a few: with thousands of tasks a wall
    // of marks tells the reader nothing.
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
    revealCurrentLine();
    viewport()->update();
}

void CodeView::revealCurrentLine()
{
    if (m_currentLine <= 0 || m_currentLine > lineCount())
        return; // not indexed yet: indexSlice() reveals it when it arrives
    // Keep the running line well inside the view, not on its last row.
    QScrollBar *v = verticalScrollBar();
    const int index = m_currentLine - 1;
    if (index < v->value() || index > v->value() + v->pageStep() - 3)
        v->setValue(index - v->pageStep() / 2);
}

void CodeView::paintEvent(QPaintEvent *event)
{
    QPainter painter(viewport());
    const QRect area = event->rect();
    const int height = lineHeight();
    const int first = verticalScrollBar()->value() + area.top() / height;
    const int last
        = std::min(lineCount() - 1, verticalScrollBar()->value() + area.bottom() / height);
    const int gutter = gutterWidth();
    const int width = viewport()->width();
    for (int index = first; index <= last; ++index) {
        const int y = (index - verticalScrollBar()->value()) * height;
        const int line = index + 1;
        if (line == m_currentLine)
            painter.fillRect(0, y, width, height, m_theme.currentLine);
        else if (std::find(m_otherLines.begin(), m_otherLines.end(), line) != m_otherLines.end())
            painter.fillRect(0, y, width, height, m_theme.otherLine);
        painter.save();
        painter.setClipRect(QRect(gutter, y, width - gutter, height));
        paintLine(painter, index, y);
        painter.restore();
    }
    // The gutter last, so text scrolled to the left never shows under the numbers.
    painter.fillRect(QRect(0, area.top(), gutter, area.height()), m_theme.gutterBackground);
    const int right = gutter - 6;
    for (int index = first; index <= last; ++index) {
        const int y = (index - verticalScrollBar()->value()) * height;
        const int line = index + 1;
        if (line == m_currentLine) {
            painter.fillRect(0, y, gutter, height, m_theme.currentLine);
            QFont bold = font();
            bold.setBold(true);
            painter.setFont(bold);
            painter.setPen(palette().color(QPalette::Text));
        } else {
            painter.setFont(font());
            painter.setPen(m_theme.gutterText);
        }
        painter.drawText(0, y, right, height, Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(line));
    }
}

void CodeView::paintLine(QPainter &painter, int index, int y)
{
    const QString text = lineView(index).toString();
    QTextLayout layout(text, font(), viewport());
    layout.setFormats(
        m_highlighter.highlightLine(text, PythonHighlighter::State(m_lineStates[size_t(index)])));
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (!line.isValid()) {
        layout.endLayout();
        return;
    }
    line.setLeadingIncluded(true);
    layout.endLayout();
    QList<QTextLayout::FormatRange> selection;
    const Position from = std::min(m_anchor, m_cursor);
    const Position to = std::max(m_anchor, m_cursor);
    if (from != to && index >= from.line && index <= to.line) {
        const int start = index == from.line ? from.column : 0;
        const int end = index == to.line ? to.column : int(text.size()) + 1;
        QTextLayout::FormatRange range;
        range.start = start;
        range.length = std::max(0, end - start);
        range.format.setBackground(palette().brush(QPalette::Highlight));
        range.format.setForeground(palette().brush(QPalette::HighlightedText));
        selection.append(range);
    }
    painter.setPen(palette().color(QPalette::Text));
    layout.draw(&painter, QPointF(textLeft() - horizontalScrollBar()->value(), y), selection);
}

CodeView::Position CodeView::positionAt(const QPoint &viewportPos) const
{
    if (lineCount() == 0)
        return {};
    const int index = std::clamp(verticalScrollBar()->value() + viewportPos.y() / lineHeight(), 0,
                                 lineCount() - 1);
    const QString text = lineView(index).toString();
    QTextLayout layout(text, font());
    layout.beginLayout();
    QTextLine line = layout.createLine();
    layout.endLayout();
    const qreal x = viewportPos.x() - textLeft() + horizontalScrollBar()->value();
    return { index, line.isValid() ? line.xToCursor(std::max<qreal>(0, x)) : 0 };
}

qsizetype CodeView::offsetOf(const Position &p) const
{
    return qsizetype(m_lineStarts[size_t(p.line)])
        + std::min<qsizetype>(p.column, lineView(p.line).size());
}

CodeView::Position CodeView::positionOf(qsizetype offset) const
{
    // The last line starting at or before `offset`.
    int low = 0, high = lineCount() - 1;
    while (low < high) {
        const int mid = (low + high + 1) / 2;
        if (qsizetype(m_lineStarts[size_t(mid)]) <= offset)
            low = mid;
        else
            high = mid - 1;
    }
    return { low, int(offset - qsizetype(m_lineStarts[size_t(low)])) };
}

QString CodeView::selectedText() const
{
    const Position from = std::min(m_anchor, m_cursor);
    const Position to = std::max(m_anchor, m_cursor);
    if (from == to || lineCount() == 0)
        return {};
    const qsizetype a = offsetOf(from);
    return m_code.mid(a, offsetOf(to) - a);
}

int CodeView::selectionLine() const
{
    return m_anchor == m_cursor ? 0 : std::min(m_anchor, m_cursor).line + 1;
}

bool CodeView::find(const QString &text, bool backward)
{
    if (text.isEmpty() || lineCount() == 0)
        return false;
    // Only what is indexed: a match needs its line to be shown on.
    const QStringView code = QStringView(m_code).first(m_indexed);
    // A caret on the last indexed line may sit past what is indexed while indexing goes on.
    const qsizetype from = std::min(offsetOf(std::min(m_anchor, m_cursor)), code.size());
    const qsizetype to = std::min(offsetOf(std::max(m_anchor, m_cursor)), code.size());
    qsizetype at = -1;
    if (!backward) {
        at = code.indexOf(text, to, Qt::CaseInsensitive);
        if (at < 0)
            at = code.indexOf(text, 0, Qt::CaseInsensitive);
    } else {
        if (from > 0)
            at = code.first(from).lastIndexOf(text, Qt::CaseInsensitive);
        if (at < 0)
            at = code.lastIndexOf(text, Qt::CaseInsensitive);
    }
    if (at < 0)
        return false;
    m_anchor = positionOf(at);
    m_cursor = positionOf(at + text.size());
    QScrollBar *v = verticalScrollBar();
    if (m_anchor.line < v->value() || m_anchor.line > v->value() + v->pageStep() - 2)
        v->setValue(m_anchor.line - v->pageStep() / 2);
    QScrollBar *h = horizontalScrollBar();
    const int left = m_anchor.column * charWidth();
    const int right = m_cursor.column * charWidth();
    const int visible = viewport()->width() - textLeft() - charWidth();
    if (left < h->value() || right > h->value() + visible)
        h->setValue(std::max(0, left - visible / 3));
    viewport()->update();
    return true;
}

void CodeView::selectAll()
{
    if (lineCount() == 0)
        return;
    m_anchor = Position();
    m_cursor = { lineCount() - 1, int(lineView(lineCount() - 1).size()) };
    viewport()->update();
}

void CodeView::copy() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void CodeView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void CodeView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_theme = Theme::forPalette(palette());
        m_highlighter.setTheme(m_theme);
        viewport()->update();
    } else if (event->type() == QEvent::FontChange) {
        updateScrollBars();
        viewport()->update();
    }
}

void CodeView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_cursor = positionAt(event->position().toPoint());
    if (!(event->modifiers() & Qt::ShiftModifier))
        m_anchor = m_cursor;
    viewport()->update();
}

void CodeView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    const QPoint pos = event->position().toPoint();
    // Dragging past an edge scrolls a line at a time.
    if (pos.y() < 0)
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    else if (pos.y() > viewport()->height())
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    m_cursor = positionAt(pos);
    viewport()->update();
}

void CodeView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Copy) {
        copy();
    } else if (event == QKeySequence::SelectAll) {
        selectAll();
    } else if (event == QKeySequence::MoveToStartOfDocument) {
        verticalScrollBar()->setValue(0);
    } else if (event == QKeySequence::MoveToEndOfDocument) {
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    } else {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

void CodeView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copyAction = menu.addAction(tr("&Copy"), this, &CodeView::copy);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(m_anchor != m_cursor);
    QAction *all = menu.addAction(tr("Select &All"), this, &CodeView::selectAll);
    all->setShortcut(QKeySequence::SelectAll);
    menu.exec(event->globalPos());
}

} // namespace Lifeline
