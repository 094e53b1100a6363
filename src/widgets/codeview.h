// SPDX-License-Identifier: MIT
#pragma once
// The exported Python program, highlighted, with line numbers and the line running now marked
// (other tasks' current lines are marked more faintly). Read-only; text can be selected and
// copied. It is told which steps are current (step ids, mapped through the exporter's
// stepLines); it never reads the log itself.
//
// Not a QPlainTextEdit: a generated stress scenario's program has millions of lines, and a
// QTextDocument that large costs seconds to fill and stalls frames as its block tables grow.
// This view keeps the text with an index of line starts, and lays out and highlights only the
// lines on screen; indexing runs in slices of a few milliseconds (see indexSlice()).

#include "chunkedarray.h"
#include "pythonhighlighter.h"
#include "theme.h"

#include <QAbstractScrollArea>
#include <vector>

namespace Lifeline {

class CodeView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit CodeView(QWidget *parent = nullptr);

    // stepLines[stepId] is the 1-based line of that step in `code`.
    void setCode(const QString &code, const std::vector<int> &stepLines);
    // More steps for the same code, which stays as it is scrolled and selected (a live trace's
    // source locations arrive as its program runs).
    void setStepLines(const std::vector<int> &stepLines);
    // -1 clears the mark. `others` are steps where other tasks stand, most recent first (only
    // the first few distinct lines are marked).
    void setCurrentStep(int stepId, const std::vector<int> &others = {});
    int currentLine() const { return m_currentLine; } // 1-based, 0 for none
    int lineOfStep(int stepId) const;
    // True while a long program is still being indexed.
    bool isLoading() const;
    // Lines indexed so far, and the text of one (1-based; empty past the end).
    int lineCount() const { return int(m_lineStarts.size()); }
    QString lineText(int line) const;
    // The first line on screen (1-based).
    int firstVisibleLine() const;
    QString selectedText() const;
    void selectAll();
    void copy() const;
    // Selects the next match of `text` after the selection (or the previous one before it),
    // ignoring case, wrapping around the program, and scrolls to it; false when there is none
    // in the lines indexed so far.
    bool find(const QString &text, bool backward = false);
    // The 1-based line where the selection starts; 0 without one.
    int selectionLine() const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void codeLoaded();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    // Loads the fonts and first glyphs the code will need (at construction, not first paint).
    void warmUp();
    struct Position
    {
        int line = 0; // 0-based
        int column = 0;
        auto operator<=>(const Position &) const = default;
    };

    void indexSlice(quint64 generation);
    void updateScrollBars();
    void revealCurrentLine();
    int gutterWidth() const;
    int lineHeight() const;
    int charWidth() const;
    int textLeft() const { return gutterWidth() + 4; }
    QStringView lineView(int index) const; // 0-based, without the newline
    Position positionAt(const QPoint &viewportPos) const;
    qsizetype offsetOf(const Position &p) const;
    Position positionOf(qsizetype offset) const; // in an indexed line
    void paintLine(QPainter &painter, int index, int y);

    PythonHighlighter m_highlighter;
    Theme m_theme;
    QString m_code;
    std::vector<int> m_stepLines;
    // Offsets in m_code where each line starts, and the highlighter's state there.
    ChunkedArray<quint32, 14> m_lineStarts;
    ChunkedArray<quint8, 14> m_lineStates;
    qsizetype m_indexed = 0; // m_code before this offset is indexed
    int m_longestLine = 0; // in characters, for the horizontal scroll range
    int m_lastStepLine = 0; // the highest line a step names: sizes the gutter while indexing
    int m_currentLine = 0;
    std::vector<int> m_otherLines;
    Position m_anchor;
    Position m_cursor;
    quint64 m_generation = 0;
};

} // namespace Lifeline
