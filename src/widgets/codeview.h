#pragma once
// The exported Python program, highlighted, with line numbers and the line running now marked
// (other tasks' current lines are marked more faintly). Read-only. It is told which steps are
// current (step ids, mapped through the exporter's stepLines); it never reads the log itself.

#include "theme.h"

#include <QPlainTextEdit>
#include <vector>

namespace Lifeline {

class PythonHighlighter;

class CodeView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit CodeView(QWidget *parent = nullptr);

    // stepLines[stepId] is the 1-based line of that step in `code`.
    void setCode(const QString &code, const std::vector<int> &stepLines);
    // -1 clears the mark. `others` are steps where other tasks stand, most recent first (only
    // the first few distinct lines are marked).
    void setCurrentStep(int stepId, const std::vector<int> &others = {});
    int currentLine() const { return m_currentLine; } // 1-based, 0 for none
    int lineOfStep(int stepId) const;
    // True while a long program is still being appended (see appendSlice()).
    bool isLoading() const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void codeLoaded();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    int gutterWidth() const;
    void updateGutterGeometry();
    void paintGutter(QPaintEvent *event);
    void updateMarks();
    void appendSlice(quint64 generation);
    void revealCurrentLine();

    PythonHighlighter *m_highlighter;
    QWidget *m_gutter;
    Theme m_theme;
    std::vector<int> m_stepLines;
    int m_currentLine = 0;
    std::vector<int> m_otherLines;
    QString m_pendingCode;
    int m_totalLines = 1; // of the program being shown, loaded or not
    qsizetype m_pendingOffset = 0;
    quint64 m_generation = 0;
};

} // namespace Lifeline
