// SPDX-License-Identifier: MIT
#pragma once
// The desktop visualizer's window: the timeline in the centre, docks for the code, the event log
// and the inspector, a caption line saying what the current event means, and the playback
// toolbar. It wires children together (children emit, the window connects) and owns no run
// logic: RunController runs, ScenarioOpener loads off the GUI thread, GuidedTour steps,
// ExportActions writes the exports, AutoReload says when a save calls for a reload, LiveTrace
// runs a traced program whose trace the window shows as it is written.

#include "eventlog.h"

#include <QIcon>
#include <QMainWindow>
#include <QStringList>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;

namespace Ui {
class MainWindow;
}

namespace Lifeline {

class AutoReload;
class EventCaption;
class EventTableModel;
class ExportActions;
class GuidedTour;
class LiveTrace;
class PrintedLinesModel;
class ProblemsView;
class RecentFiles;
class RunController;
class ScenarioOpener;
class TimelineWidget;
struct Diagnostic;
struct OpenedScenario;
struct TraceLaunch;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a file or built-in example in the background; the open one stays until it loads.
    void open(const QString &fileOrExample);
    // Reads the open scenario's file again (File > Reload, or on save while File > Reload When
    // the File Changes is on); the playhead and the timeline's zoom keep their place when the
    // new run is short enough to replay at once (MaxReplayOnReload events). A broken save
    // keeps the scenario shown.
    void reload();
    static constexpr qsizetype MaxReplayOnReload = 50000;
    void startTour();
    // Runs a Python program under the tracer in `tracerDir` (File > Trace Python Program...,
    // `lifeline trace --live`) and shows its trace as it is written, playing at its live edge,
    // with its output in the Output dock. A program traced before and still running is stopped.
    void traceLive(const TraceLaunch &launch, const QString &tracerDir);
    // The live trace shown, running or ended; null when none.
    LiveTrace *liveTrace() const { return m_live; }
    // What the status bar's live part says (how the program is doing, or how it ended).
    QString liveStatus() const;

    // What every view shows now, for tests that step back and forth.
    struct ViewState
    {
        qsizetype position = 0;
        QStringList rows;
        QString inspector;
        QString caption;
        QString where; // the caption bar's "event #N of M" part
        int codeLine = 0;
        bool operator==(const ViewState &) const = default;
    };
    ViewState viewState();

    RunController *controller() const { return m_controller; }
    ScenarioOpener *opener() const { return m_opener; }
    GuidedTour *tour() const { return m_tour; }
    QString currentSource() const;
    QStringList shownDiagnostics() const;

    ExportActions *exports() const { return m_exports; }
    // The window's own actions (menus and toolbar), as Help > Keyboard and Mouse lists them.
    QList<QAction *> shortcutActions() const;

Q_SIGNALS:
    void scenarioOpened(const QString &source);
    void openFailed(const QString &source);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    // A scenario file dropped on the window opens.
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void setupActions();
    void setupExamplesMenu();
    void setupViews();
    void applyTheme();
    void onOpened(const std::shared_ptr<OpenedScenario> &opened);
    void onFailed(const QString &source, const std::vector<Diagnostic> &diagnostics);
    void onRunReset();
    void openTourPart(int index);
    void selectEvent(qsizetype event);
    // A row of the event model as the table shows it (through the filter while one is set).
    QModelIndex tableIndex(const QModelIndex &source) const;
    // Refreshes the views soon: after `delayMs`, or (< 0) at once while stepping and once a
    // frame while playing.
    void scheduleRefresh(int delayMs = -1);
    void refreshViews();
    void updateActions();
    void chooseAndOpen();
    void chooseAndTrace();
    // What every open shares: the views, title, code and run of `opened`.
    void showOpened(const std::shared_ptr<OpenedScenario> &opened);
    void onLiveOpened();
    void onLiveGrew();
    void onLiveEnded();
    // A running live trace no longer shown: stopped, and deleted once its program has ended.
    void dropLive();
    void updateLiveStatus();
    void showAbout();
    QString captionHtml(qsizetype event) const;

    std::unique_ptr<Ui::MainWindow> m_ui;
    RunController *m_controller;
    ScenarioOpener *m_opener;
    GuidedTour *m_tour;
    TimelineWidget *m_timeline = nullptr;
    ExportActions *m_exports = nullptr;
    EventTableModel *m_eventModel;
    QSortFilterProxyModel *m_eventFilter;
    PrintedLinesModel *m_printedModel = nullptr; // the Printed dock's lines
    ProblemsView *m_problemsView = nullptr; // the Problems dock
    QComboBox *m_speed = nullptr;
    std::shared_ptr<OpenedScenario> m_current;
    std::shared_ptr<const EventCaption> m_caption; // shared by the table and the inspector
    RecentFiles *m_recent = nullptr;
    AutoReload *m_autoReload = nullptr;
    QString m_reloadSource; // the source a reload asked for, until it opens or fails
    // Made once: updateActions() runs on every step, and an SVG icon is not free to make.
    QIcon m_runIcon;
    QIcon m_pauseIcon;
    LiveTrace *m_live = nullptr;
    QLabel *m_liveStatus = nullptr;
    size_t m_liveLocations = 0; // locations the code view knows, of a live trace
    bool m_closeWhenEnded = false; // closing waits for the traced program to end
    bool m_refreshPending = false;
    qsizetype m_refreshedPosition = 0; // the playhead the views last refreshed at
    bool m_placeDocks = false; // no saved layout: size the docks on first show
};

} // namespace Lifeline
