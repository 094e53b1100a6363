// SPDX-License-Identifier: MIT
// One idea, the window's wiring: building the views, connecting children to each other, menus,
// settings, opening (by dialog, drop, recent list or reload). Past 500 lines because each of
// these is a few short functions; the logic they call lives in RunController, ScenarioOpener,
// AutoReload, RecentFiles, GuidedTour and ExportActions.
#include "mainwindow.h"
#include "ui_mainwindow.h"

#include "autoreload.h"
#include "codeposition.h"
#include "eventcaption.h"
#include "eventformatter.h"
#include "eventtabledelegate.h"
#include "eventtablemodel.h"
#include "eventtableview.h"
#include "examples.h"
#include "exportactions.h"
#include "guidedtour.h"
#include "livetrace.h"
#include "outputview.h"
#include "printedlinesmodel.h"
#include "problemsview.h"
#include "recentfiles.h"
#include "runcontroller.h"
#include "scenarioopener.h"
#include "scenariorun.h"
#include "shortcutshelp.h"
#include "theme.h"
#include "timelinelegendview.h"
#include "timelinewidget.h"
#include "timelinezoomcontrol.h"
#include "tracefollower.h"
#include "tracelaunch.h"
#include "tracerecording.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTimer>
#include <algorithm>

#include <optional>

// Resources compiled into the static app library must be registered by name, outside any namespace.
static void initAppResources()
{
    Q_INIT_RESOURCE(icons);
    Q_INIT_RESOURCE(tour);
}

namespace Lifeline {

namespace {

// The status bar's messages quote file names, a file's title and description and a program's
// name: escaped as on a terminal (Diagnostic::escaped), so a control character shows as `\x1b`
// rather than cutting or garbling the line. Every message of the window goes through here.
void showStatus(QStatusBar *bar, const QString &message, int timeoutMs = 0)
{
    bar->showMessage(Diagnostic::escaped(message), timeoutMs);
}

constexpr int RefreshMs = 16; // views follow the playhead at most once a frame

const QList<QPair<QString, double>> &speeds()
{
    static const QList<QPair<QString, double>> list {
        { QStringLiteral("0.1\u00d7"), 0.1 }, { QStringLiteral("0.25\u00d7"), 0.25 },
        { QStringLiteral("0.5\u00d7"), 0.5 }, { QStringLiteral("1\u00d7"), 1.0 },
        { QStringLiteral("2\u00d7"), 2.0 },   { QStringLiteral("5\u00d7"), 5.0 },
        { QStringLiteral("10\u00d7"), 10.0 }, { QObject::tr("Instant"), RunController::Instant }
    };
    return list;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_controller(new RunController(this))
    , m_opener(new ScenarioOpener(this))
    , m_tour(new GuidedTour(m_controller, this))
    , m_eventModel(new EventTableModel(this))
    , m_eventFilter(new QSortFilterProxyModel(this))
{
    initAppResources();
    m_ui->setupUi(this);
    m_ui->diagnosticsPanel->hide();
    m_ui->tourBar->hide();
    m_ui->busyBar->hide();
    setupViews();
    setupActions();
    setupExamplesMenu();
    applyTheme();

    connect(m_opener, &ScenarioOpener::opened, this, &MainWindow::onOpened);
    connect(m_opener, &ScenarioOpener::failed, this, &MainWindow::onFailed);
    connect(m_opener, &ScenarioOpener::busyChanged, m_ui->busyBar, &QWidget::setVisible);
    connect(m_controller, &RunController::runReset, this, &MainWindow::onRunReset);
    connect(m_controller, &RunController::positionChanged, this, [this] { scheduleRefresh(); });
    // The run recorded ahead of the playhead: the faint part of every view grows, once a frame.
    connect(m_controller, &RunController::recordedChanged, this,
            [this] { scheduleRefresh(RefreshMs); });
    connect(m_controller, &RunController::playingChanged, this, &MainWindow::updateActions);

    connect(m_tour, &GuidedTour::openPart, this, &MainWindow::openTourPart);
    connect(m_tour, &GuidedTour::activeChanged, m_ui->tourBar, &QWidget::setVisible);
    connect(m_tour, &GuidedTour::statusChanged, m_ui->tourLabel, &QLabel::setText);
    connect(m_tour, &GuidedTour::pausedChanged, this, [this](bool paused) {
        m_ui->tourPause->setChecked(paused);
        m_ui->tourPause->setText(paused ? tr("Resume") : tr("Pause"));
        m_ui->tourPause->setIcon(QIcon(paused ? QStringLiteral(":/icons/run.svg")
                                              : QStringLiteral(":/icons/pause.svg")));
    });
    connect(m_ui->tourNext, &QToolButton::clicked, m_tour, &GuidedTour::next);
    connect(m_ui->tourBack, &QToolButton::clicked, m_tour, &GuidedTour::back);
    connect(m_ui->tourPause, &QToolButton::toggled, m_tour, &GuidedTour::setPaused);
    connect(m_ui->tourClose, &QToolButton::clicked, m_tour, &GuidedTour::stop);
    m_ui->tourNext->setIcon(QIcon(QStringLiteral(":/icons/next.svg")));
    m_ui->tourBack->setIcon(QIcon(QStringLiteral(":/icons/back.svg")));
    m_ui->tourPause->setIcon(QIcon(QStringLiteral(":/icons/pause.svg")));

    m_liveStatus = new QLabel(this);
    m_liveStatus->hide();
    statusBar()->addPermanentWidget(m_liveStatus);

    m_recent = new RecentFiles(m_ui->menuRecent, this);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::open);
    m_autoReload = new AutoReload(m_opener, this);
    connect(m_autoReload, &AutoReload::reloadRequested, this, &MainWindow::reload);
    connect(m_autoReload, &AutoReload::openRequested, this, &MainWindow::open);
    connect(m_ui->actionAutoReload, &QAction::toggled, m_autoReload, &AutoReload::setEnabled);
    setAcceptDrops(true);
    QSettings settings;
    m_ui->actionAutoReload->setChecked(settings.value(QStringLiteral("autoReload"), true).toBool());
    m_timeline->setLabelWidth(settings.value(QStringLiteral("timeline/labelWidth"), -1).toDouble());
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        const QRect available = screen()->availableGeometry();
        resize(available.size() * 0.9);
    }
    m_placeDocks = !restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const double speed = settings.value(QStringLiteral("speed"), 1.0).toDouble();
    for (int i = 0; i < m_speed->count(); ++i)
        if (m_speed->itemData(i).toDouble() == speed)
            m_speed->setCurrentIndex(i);
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::setupViews()
{
    m_timeline = new TimelineWidget(m_ui->timelineHost);
    m_timeline->setShowsWholeRun(true); // the run's shape, faint after the playhead
    m_ui->timelineLayout->addWidget(m_timeline);
    m_exports = new ExportActions(this, m_controller, m_timeline);
    // A click on the timeline selects (inspector, table); on a marker, a badge or a span's edge
    // it also takes the playhead (and so the code view's mark) to that event.
    connect(m_timeline, &TimelineWidget::eventSelected, this, &MainWindow::selectEvent);
    connect(m_timeline, &TimelineWidget::eventClicked, m_controller, &RunController::seekToEvent);
    connect(m_timeline, &TimelineWidget::laneSelected, this,
            [this](int lane) { m_ui->inspectorView->setSelectedLane(LaneId(lane)); });
    connect(m_timeline, &TimelineWidget::usageChanged, m_ui->legendView,
            &TimelineLegendView::setUsage);
    // A legend that gains a row grows its dock to show it, up to five rows; past that it
    // scrolls. (It lists the whole run from the start, so this happens as a run opens, not
    // while stepping.)
    connect(m_ui->legendView, &TimelineLegendView::contentHeightChanged, this, [this](int h) {
        QDockWidget *dock = m_ui->legendDock;
        const int extra = dock->height() - m_ui->legendView->height();
        const int wanted
            = std::min(h, int(5 * TimelineLegend::RowHeight + 2 * TimelineLegend::Margin)) + extra;
        if (dock->isVisible() && !dock->isFloating() && dock->height() < wanted)
            resizeDocks({ dock }, { wanted }, Qt::Vertical);
    });
    connect(m_ui->scrubber, &QSlider::valueChanged, this, [this](int value) {
        if (value != m_controller->position())
            m_controller->seek(value);
    });

    m_eventFilter->setFilterKeyColumn(-1);
    m_eventFilter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_ui->eventTable->setModel(m_eventModel);
    m_ui->eventTable->setItemDelegate(new EventTableDelegate(m_ui->eventTable));
    QHeaderView *header = m_ui->eventTable->header();
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('9'));
    header->resizeSection(EventTableModel::IndexColumn, digit * 7);
    header->resizeSection(EventTableModel::TimeColumn, digit * 8);
    header->resizeSection(EventTableModel::LaneColumn, digit * 26);
    header->resizeSection(EventTableModel::KindColumn, digit * 12);
    // The filter proxy keeps a mapping entry per row: it sits between model and view only
    // while there is something to filter.
    connect(m_ui->filterEdit, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty()) {
            m_ui->eventTable->setModel(m_eventModel);
            m_eventFilter->setSourceModel(nullptr);
            return;
        }
        if (!m_eventFilter->sourceModel())
            m_eventFilter->setSourceModel(m_eventModel);
        m_eventFilter->setFilterFixedString(text);
        m_ui->eventTable->setModel(m_eventFilter);
    });
    connect(m_ui->eventTable, &EventTableView::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    m_ui->inspectorView->setSelectedLane(
                        LaneId(current.data(EventTableModel::LaneRole).toInt()));
            });
    // A row clicked (or Enter, or a double click) is where the playhead goes; the rows after
    // the playhead stay listed, dimmed, so a click can go forward again.
    const auto goToRow = [this](const QModelIndex &index) {
        m_controller->seekToEvent(index.data(EventTableModel::EventIndexRole).toLongLong());
    };
    connect(m_ui->eventTable, &EventTableView::clicked, this, goToRow);
    connect(m_ui->eventTable, &EventTableView::doubleClicked, this, goToRow);

    // The program's output: a line clicked (or Enter) takes the playhead, and so the code
    // view's mark, to the print that wrote it.
    m_printedModel = new PrintedLinesModel(this);
    m_ui->printedTable->setModel(m_printedModel);
    m_ui->printedTable->setItemDelegate(new EventTableDelegate(m_ui->printedTable));
    m_ui->printedTable->header()->resizeSection(PrintedLinesModel::TimeColumn, digit * 8);
    m_ui->printedTable->header()->resizeSection(PrintedLinesModel::TaskColumn, digit * 16);
    const auto goToLine = [this](const QModelIndex &index) {
        m_controller->seekToEvent(index.data(PrintedLinesModel::EventIndexRole).toLongLong());
    };
    connect(m_ui->printedTable, &EventTableView::clicked, this, goToLine);
    connect(m_ui->printedTable, &EventTableView::doubleClicked, this, goToLine);
    connect(m_printedModel, &PrintedLinesModel::caughtUp, this, [this] { scheduleRefresh(); });

    // What a reviewer would flag: a click goes to the problem's event, as a row of the event
    // log does, and shows its lane in the inspector.
    auto *problemsDock = new QDockWidget(tr("Problems"), this);
    problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problemsView = new ProblemsView(problemsDock);
    problemsDock->setWidget(m_problemsView);
    addDockWidget(Qt::BottomDockWidgetArea, problemsDock);
    connect(m_problemsView, &ProblemsView::problemClicked, this, [this](qsizetype event, int lane) {
        m_controller->seekToEvent(event);
        if (lane >= 0)
            m_ui->inspectorView->setSelectedLane(LaneId(lane));
    });
    connect(m_problemsView, &ProblemsView::countChanged, problemsDock, [problemsDock](int n) {
        problemsDock->setWindowTitle(n ? tr("Problems (%1)").arg(n) : tr("Problems"));
        problemsDock->toggleViewAction()->setText(tr("Problems"));
    });

    m_ui->menuView->addAction(m_ui->legendDock->toggleViewAction());
    m_ui->menuView->addAction(m_ui->codeDock->toggleViewAction());
    m_ui->menuView->addAction(m_ui->eventsDock->toggleViewAction());
    m_ui->menuView->addAction(m_ui->inspectorDock->toggleViewAction());
    m_ui->menuView->addAction(m_ui->printedDock->toggleViewAction());
    m_ui->menuView->addAction(problemsDock->toggleViewAction());
    m_ui->menuView->addAction(m_ui->outputDock->toggleViewAction());
    m_ui->menuView->addAction(m_ui->mainToolBar->toggleViewAction());
    // The timeline gets the full width on top, its legend a strip under it as in an exported
    // image; code, events and inspector sit side by side below.
    splitDockWidget(m_ui->legendDock, m_ui->codeDock, Qt::Vertical);
    splitDockWidget(m_ui->codeDock, m_ui->eventsDock, Qt::Horizontal);
    splitDockWidget(m_ui->eventsDock, m_ui->inspectorDock, Qt::Horizontal);
    // What the program printed sits under the inspector: both are short, and a line clicked
    // there is explained above it.
    splitDockWidget(m_ui->inspectorDock, m_ui->printedDock, Qt::Vertical);
    // The problems found sit under the event log they point into.
    splitDockWidget(m_ui->eventsDock, problemsDock, Qt::Vertical);
    resizeDocks({ m_ui->codeDock, m_ui->eventsDock, m_ui->inspectorDock }, { 520, 640, 440 },
                Qt::Horizontal);
    // A traced program's output shares the inspector's place; a live trace brings it forward.
    tabifyDockWidget(m_ui->inspectorDock, m_ui->outputDock);
    m_ui->inspectorDock->raise();

    m_ui->captionBar->setBackgroundRole(QPalette::AlternateBase);
    QFont captionFont = m_ui->captionLabel->font();
    captionFont.setPointSizeF(captionFont.pointSizeF() * 1.2);
    m_ui->captionLabel->setFont(captionFont);
    connect(m_ui->diagnosticsClose, &QToolButton::clicked, m_ui->diagnosticsPanel, &QWidget::hide);
}

void MainWindow::setupActions()
{
    connect(m_ui->actionOpen, &QAction::triggered, this, &MainWindow::chooseAndOpen);
    connect(m_ui->actionTraceProgram, &QAction::triggered, this, &MainWindow::chooseAndTrace);
    connect(m_ui->actionStop, &QAction::triggered, this, [this] {
        if (m_live && m_live->isRunning()) {
            m_live->stop();
            updateLiveStatus();
            updateActions();
        }
    });
    connect(m_ui->actionReload, &QAction::triggered, this, &MainWindow::reload);
    connect(m_ui->actionFind, &QAction::triggered, this, [this] {
        m_ui->codeDock->show();
        m_ui->codeDock->raise();
        m_ui->findEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->findEdit->selectAll();
    });
    connect(m_ui->findEdit, &QLineEdit::returnPressed, this, [this] {
        const QString text = m_ui->findEdit->text();
        const bool backward = QGuiApplication::keyboardModifiers() & Qt::ShiftModifier;
        if (!text.isEmpty() && !m_ui->codeView->find(text, backward))
            showStatus(statusBar(), tr("\u201c%1\u201d is not in the program").arg(text), 5000);
    });
    connect(m_ui->actionExportImage, &QAction::triggered, m_exports,
            &ExportActions::chooseAndExportImage);
    connect(m_ui->actionExportTrace, &QAction::triggered, m_exports,
            &ExportActions::chooseAndExportTrace);
    connect(m_ui->actionExportPython, &QAction::triggered, m_exports,
            &ExportActions::chooseAndExportPython);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionRun, &QAction::triggered, m_controller, &RunController::togglePlay);
    connect(m_ui->actionStep, &QAction::triggered, m_controller, &RunController::step);
    connect(m_ui->actionStepBack, &QAction::triggered, m_controller, &RunController::stepBack);
    connect(m_ui->actionRestart, &QAction::triggered, m_controller, &RunController::restart);
    connect(m_ui->actionZoomFit, &QAction::triggered, m_timeline, &TimelineWidget::zoomToFit);
    connect(m_ui->actionTour, &QAction::triggered, this, &MainWindow::startTour);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionShortcuts, &QAction::triggered, this,
            [this] { ShortcutsHelp::show(this, shortcutActions()); });

    // Speed sits between Step and Restart: it applies to Run.
    m_speed = new QComboBox(this);
    m_speed->setToolTip(
        tr("Playback speed: virtual milliseconds per real millisecond, or Instant"));
    for (const auto &[label, value] : speeds())
        m_speed->addItem(label, value);
    m_speed->setCurrentIndex(3);
    m_ui->mainToolBar->insertWidget(m_ui->actionRestart, m_speed);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_controller->setSpeed(m_speed->itemData(index).toDouble()); });
    m_controller->setSpeed(1.0);
}

void MainWindow::setupExamplesMenu()
{
    m_ui->menuExamples->setToolTipsVisible(true);
    for (const ExampleInfo &example : Examples::all()) {
        QAction *action = m_ui->menuExamples->addAction(example.title);
        action->setToolTip(example.description);
        action->setStatusTip(example.description);
        connect(action, &QAction::triggered, this, [this, name = example.name] { open(name); });
    }
}

void MainWindow::applyTheme()
{
    const Theme theme = Theme::forPalette(palette());
    QPalette p = m_ui->diagnosticsTitle->palette();
    p.setColor(QPalette::WindowText, theme.error);
    m_ui->diagnosticsTitle->setPalette(p);
    QPalette muted = m_ui->positionLabel->palette();
    muted.setColor(QPalette::WindowText, theme.muted);
    m_ui->positionLabel->setPalette(muted);
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_placeDocks)
        return;
    // First start: once the window has its size, the docks take about half of its height.
    m_placeDocks = false;
    QTimer::singleShot(0, this, [this] {
        // The legend's strip comes out of the docks' share and the timeline's alike.
        const int legend = m_ui->legendDock->sizeHint().height();
        resizeDocks({ m_ui->legendDock, m_ui->codeDock },
                    { legend, int(height() * 0.47) - legend / 2 }, Qt::Vertical);
    });
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_live && m_live->isRunning()) {
        // The traced program ends first (as Stop), so its trace gets its END; then we close.
        m_closeWhenEnded = true;
        m_live->stop();
        updateLiveStatus();
        event->ignore();
        return;
    }
    m_controller->pause();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("speed"), m_controller->speed());
    settings.setValue(QStringLiteral("autoReload"), m_ui->actionAutoReload->isChecked());
    settings.setValue(QStringLiteral("timeline/labelWidth"), m_timeline->labelWidth());
    QMainWindow::closeEvent(event);
}

void MainWindow::open(const QString &fileOrExample)
{
    m_reloadSource.clear(); // a newer open wins over a pending reload
    showStatus(statusBar(), tr("Opening %1…").arg(fileOrExample));
    m_opener->open(fileOrExample);
}

void MainWindow::reload()
{
    if (!m_current || m_autoReload->shownFile().isEmpty())
        return;
    open(m_current->source);
    m_reloadSource = m_current->source;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile())
        return;
    event->acceptProposedAction();
    open(urls.front().toLocalFile());
}

void MainWindow::openTourPart(int index)
{
    const GuidedTour::Part part = GuidedTour::parts().value(index);
    if (!part.example.isEmpty())
        m_opener->open(part.example);
    else
        m_opener->openData(GuidedTour::partData(part), part.resource);
}

void MainWindow::startTour()
{
    m_tour->start();
}

void MainWindow::onOpened(const std::shared_ptr<OpenedScenario> &opened)
{
    // A reload keeps the playhead and the zoom the user has now, not those of when it began.
    const bool reloading = !m_reloadSource.isEmpty() && opened->source == m_reloadSource;
    m_reloadSource.clear();
    const qsizetype position = m_controller->position();
    const TimelineZoomControl *zoom = m_timeline->zoomControl();
    const std::optional<TimeRange> range
        = zoom->isFit() ? std::nullopt : std::optional<TimeRange>(zoom->range());

    if (m_live)
        dropLive(); // another file replaces the live trace
    showOpened(opened);
    if (AutoReload::isFile(opened->source))
        m_recent->add(QFileInfo(opened->source).absoluteFilePath());
    if (reloading && position > 0) {
        // Replaying is synchronous: only as far as a frame or so allows.
        if (position <= MaxReplayOnReload) {
            m_controller->seek(position);
            if (range) {
                // The zoom may reach past the playhead (the run is drawn whole): record that far
                // now, within the same allowance, so the range is not clamped to a shorter run.
                ScenarioRun *run = m_controller->run();
                while (!run->isFinished() && double(run->log().endTime()) < range->end
                       && run->log().count() < size_t(MaxReplayOnReload))
                    run->runUntilEvents(run->log().count() + 1024);
                refreshViews(); // the timeline takes in the replayed events: its trace grows
                m_timeline->model();
                m_timeline->zoomControl()->setRange(*range);
            }
            showStatus(statusBar(), tr("Reloaded %1").arg(opened->source), 15000);
        } else {
            showStatus(
                statusBar(),
                tr("Reloaded %1; the run starts again from the beginning").arg(opened->source),
                15000);
        }
    }
    Q_EMIT scenarioOpened(opened->source);
    m_tour->partOpened();
    m_autoReload->shown(opened->source);
    updateActions();
}

void MainWindow::showOpened(const std::shared_ptr<OpenedScenario> &opened)
{
    m_current = opened;
    m_exports->setScenario(opened);
    m_ui->diagnosticsPanel->hide();
    const Scenario &scenario = *opened->scenario;
    setWindowTitle(scenario.title.isEmpty()
                       ? tr("Lifeline")
                       : tr("%1 \u2014 Lifeline").arg(Diagnostic::escaped(scenario.title)));
    m_ui->codeView->setCode(opened->python.code, opened->python.stepLines);
    showStatus(statusBar(),
               scenario.description.isEmpty() ? tr("Opened %1").arg(opened->source)
                                              : scenario.description,
               15000);
    m_controller->setScenario(opened->scenario);
}

void MainWindow::onFailed(const QString &source, const std::vector<Diagnostic> &diagnostics)
{
    m_ui->diagnosticsList->clear();
    const QIcon icon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    for (const Diagnostic &d : diagnostics)
        m_ui->diagnosticsList->addItem(new QListWidgetItem(icon, d.toString()));
    // English plurals spelled out: %n needs a translation file to pick "problem"/"problems".
    const QString problems
        = diagnostics.size() == 1 ? tr("1 problem") : tr("%1 problems").arg(diagnostics.size());
    m_ui->diagnosticsTitle->setText(Diagnostic::escaped(
        m_current ? tr("%1 could not be opened (%2); the scenario shown is unchanged.")
                        .arg(source, problems)
                  : tr("%1 could not be opened (%2).").arg(source, problems)));
    m_ui->diagnosticsPanel->show();
    showStatus(statusBar(), tr("Could not open %1").arg(source), 10000);
    m_reloadSource.clear();
    Q_EMIT openFailed(source);
    m_tour->stop();
    m_autoReload->failed(source); // watched too, so that saving a fix opens it
}

QStringList MainWindow::shownDiagnostics() const
{
    QStringList out;
    if (m_ui->diagnosticsPanel->isHidden())
        return out;
    for (int i = 0; i < m_ui->diagnosticsList->count(); ++i)
        out << m_ui->diagnosticsList->item(i)->text();
    return out;
}

QString MainWindow::currentSource() const
{
    return m_current ? m_current->source : QString();
}

void MainWindow::onRunReset()
{
    const EventLog *log = m_controller->log();
    const Scenario *scenario = m_controller->scenario().get();
    m_caption = nullptr;
    if (log && m_current && m_current->scenario.get() == scenario && m_current->captions)
        m_caption = std::make_shared<const EventCaption>(m_current->captions->withLog(log));
    else if (log)
        m_caption = std::make_shared<const EventCaption>(log, scenario);
    m_eventModel->setLog(log, m_caption, 0);
    m_ui->inspectorView->setLog(log, scenario, m_caption);
    m_printedModel->setLog(log);
    m_problemsView->setRun(log, m_controller->scenario());
    m_timeline->setEventLog(log);
    m_refreshedPosition = 0;
    refreshViews();
    m_timeline->zoomToFit();
}

void MainWindow::scheduleRefresh(int delayMs)
{
    if (m_refreshPending)
        return;
    m_refreshPending = true;
    // Stepping shows at once; a running engine's many small appends fold into one frame.
    if (delayMs < 0)
        delayMs = m_controller->isPlaying() ? RefreshMs : 0;
    QTimer::singleShot(delayMs, this, [this] {
        if (m_refreshPending)
            refreshViews();
    });
}

QString MainWindow::captionHtml(qsizetype event) const
{
    if (!m_caption || event < 0)
        return m_current ? tr("Press <b>Run</b> or <b>Step</b> to start.")
                         : tr("Open a scenario or pick an example.");
    // `code` spans become <code>; everything else is escaped text.
    const QStringList parts = m_caption->caption(size_t(event)).split(u'`');
    QString html;
    for (qsizetype i = 0; i < parts.size(); ++i)
        html += i % 2 ? QStringLiteral("<code>%1</code>").arg(parts[i].toHtmlEscaped())
                      : parts[i].toHtmlEscaped();
    return html;
}

void MainWindow::refreshViews()
{
    m_refreshPending = false;
    QElapsedTimer cost;
    cost.start();
    const qsizetype position = m_controller->position();
    const qsizetype moved = std::abs(position - m_refreshedPosition);
    m_refreshedPosition = position;
    const EventLog *log = m_controller->log();
    m_eventModel->setVisibleCount(m_controller->recorded());
    m_eventModel->setPlayhead(position);
    m_printedModel->logGrew();
    m_printedModel->setPlayhead(position);
    m_problemsView->logGrew();
    m_ui->inspectorView->setPosition(position);
    m_timeline->setPlayhead(position);
    {
        const QSignalBlocker blocker(m_ui->scrubber);
        m_ui->scrubber->setRange(0, int(m_controller->recorded()));
        m_ui->scrubber->setValue(int(position));
    }
    m_ui->captionLabel->setText(captionHtml(position - 1));
    if (log && position > 0) {
        const Scenario *scenario = m_controller->scenario().get();
        if (scenario && scenario->trace) {
            // A traced program's "steps" are the source locations its events happened at.
            m_ui->codeView->setCurrentStep(scenario->trace->locationBefore(size_t(position)));
        } else {
            const CodePosition code = CodePosition::at(*log, position);
            m_ui->codeView->setCurrentStep(code.current, code.others);
        }
        const qint64 time = log->at(size_t(position - 1)).time;
        // Numbered from 0 as the event log's # column and `lifeline events` number events,
        // the steps the code view follows left out (EventNumbering).
        const qint64 number = m_eventModel->eventNumber(size_t(position - 1));
        const qint64 total = m_eventModel->numberedBefore(size_t(m_controller->recorded()));
        QString where = number >= 0 ? tr("event #%1 of %2 \u00b7 %3 ms")
                                          .arg(number)
                                          .arg(total)
                                          .arg(EventFormatter::milliseconds(*log, time))
                                    : tr("a step, before event #%1 of %2 \u00b7 %3 ms")
                                          .arg(m_eventModel->numberedBefore(size_t(position)))
                                          .arg(total)
                                          .arg(EventFormatter::milliseconds(*log, time));
        if (m_controller->run()->isFinished() && position == m_controller->recorded())
            where += tr(" \u00b7 %1").arg(m_controller->run()->outcomeText());
        m_ui->positionLabel->setText(where);
        // After the view has laid out the rows just inserted.
        QTimer::singleShot(0, this, [this] {
            const QModelIndex current
                = tableIndex(m_eventModel->index(int(m_controller->position() - 1), 0));
            if (current.isValid())
                m_ui->eventTable->scrollTo(current);
            // The last line printed before the playhead.
            const int printed = m_printedModel->firstRowFrom(m_controller->position()) - 1;
            if (printed >= 0)
                m_ui->printedTable->scrollTo(m_printedModel->index(printed, 0));
        });
    } else {
        m_ui->codeView->setCurrentStep(-1);
        m_ui->positionLabel->clear();
    }
    updateActions();
    // What the playhead's move cost here: a following playhead's next step is sized by it.
    m_controller->reportViewCost(cost.nsecsElapsed(), moved);
}

void MainWindow::updateActions()
{
    const bool hasRun = m_controller->run() != nullptr;
    const bool playing = m_controller->isPlaying();
    m_ui->actionRun->setEnabled(hasRun);
    m_ui->actionRun->setText(playing ? tr("Pause") : tr("Run"));
    if (m_runIcon.isNull()) {
        m_runIcon = QIcon(QStringLiteral(":/icons/run.svg"));
        m_pauseIcon = QIcon(QStringLiteral(":/icons/pause.svg"));
    }
    const QIcon &icon = playing ? m_pauseIcon : m_runIcon;
    if (m_ui->actionRun->icon().cacheKey() != icon.cacheKey())
        m_ui->actionRun->setIcon(icon);
    m_ui->actionStep->setEnabled(hasRun && !m_controller->atEnd());
    m_ui->actionStepBack->setEnabled(hasRun && m_controller->position() > 0);
    m_ui->actionRestart->setEnabled(hasRun);
    m_ui->actionExportImage->setEnabled(hasRun);
    m_ui->actionExportTrace->setEnabled(hasRun);
    // A trace is of a Python program already: there is no other to export.
    m_ui->actionExportPython->setEnabled(m_current != nullptr && !m_current->scenario->trace);
    m_ui->actionReload->setEnabled(!m_autoReload->shownFile().isEmpty());
    m_ui->actionStop->setEnabled(m_live && m_live->state() == LiveTrace::State::Running);
}

void MainWindow::chooseAndOpen()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open scenario or trace"), m_recent->lastDirectory(),
        tr("Scenarios and traces (*.json *.lltrace);;"
           "Scenarios (*.json);;Traces (*.lltrace);;All files (*)"));
    if (!path.isEmpty())
        open(path);
}

void MainWindow::chooseAndTrace()
{
    const QString program
        = QFileDialog::getOpenFileName(this, tr("Trace Python program"), m_recent->lastDirectory(),
                                       tr("Python programs (*.py);;All files (*)"));
    if (program.isEmpty())
        return;
    bool ok = false;
    const QString arguments = QInputDialog::getText(
        this, tr("Trace Python program"),
        tr("Arguments for %1 (optional; quoted as in a shell):").arg(QFileInfo(program).fileName()),
        QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return;
    const QString tracer = TraceLaunch::tracerDirectory(QCoreApplication::applicationDirPath());
    if (tracer.isEmpty()) {
        QMessageBox::warning(this, tr("Trace Python program"),
                             tr("Lifeline's tracer (lifeline_trace.py) is not installed beside "
                                "this program."));
        return;
    }
    TraceLaunch launch;
    launch.program = QFile::encodeName(QFileInfo(program).absoluteFilePath());
    for (const QString &a : QProcess::splitCommand(arguments))
        launch.arguments.push_back(a.toLocal8Bit());
    // The program runs where it lives (as if started from its folder), and its trace goes beside
    // it as `lifeline trace` would write it; a folder we cannot write to gets a temporary file.
    const QFileInfo info(program);
    launch.workingDirectory = info.absolutePath();
    QString out = TraceLaunch::defaultOutput(info.absoluteFilePath(), false);
    if (!QFileInfo(info.absolutePath()).isWritable())
        out = QDir::temp().filePath(info.completeBaseName() + QStringLiteral(".lltrace"));
    launch.out = QFile::encodeName(out);
    traceLive(launch, tracer);
}

void MainWindow::traceLive(const TraceLaunch &launch, const QString &tracerDir)
{
    if (m_live)
        dropLive();
    m_tour->stop();
    m_opener->cancel(); // a load still in flight would replace the live trace
    m_live = new LiveTrace(launch, tracerDir, this);
    m_liveLocations = 0;
    m_ui->outputView->clearOutput();
    m_ui->outputDock->show();
    m_ui->outputDock->raise();
    connect(m_live, &LiveTrace::output, this, [this](const QByteArray &bytes, bool isError) {
        m_ui->outputView->append(bytes,
                                 isError ? OutputView::Stream::Err : OutputView::Stream::Out);
    });
    connect(m_live, &LiveTrace::opened, this, &MainWindow::onLiveOpened);
    connect(m_live, &LiveTrace::grew, this, &MainWindow::onLiveGrew);
    connect(m_live, &LiveTrace::programEnded, this, [this] {
        updateLiveStatus();
        updateActions();
    });
    connect(m_live, &LiveTrace::ended, this, &MainWindow::onLiveEnded);
    if (!m_live->start()) {
        showStatus(statusBar(), m_live->errorString(), 15000);
        QMessageBox::warning(this, tr("Trace Python program"),
                             Diagnostic::escaped(m_live->errorString()));
        delete std::exchange(m_live, nullptr);
        updateLiveStatus();
        updateActions();
        return;
    }
    // Which file the trace goes to: beside the program, or a temporary one.
    const QString where = QDir::cleanPath(m_live->tracePath()).startsWith(QDir::tempPath())
        ? tr("a temporary file, %1").arg(m_live->tracePath())
        : m_live->tracePath();
    showStatus(statusBar(), tr("Tracing %1 into %2").arg(launch.programName(), where), 15000);
    updateLiveStatus();
    updateActions();
}

void MainWindow::onLiveOpened()
{
    const std::shared_ptr<const Scenario> scenario = m_live->follower()->scenario();
    const auto opened = ScenarioOpener::prepare(scenario, m_live->tracePath());
    m_liveLocations = scenario->trace->locations.size();
    // Not watched for reloads (it changes all the time), and not a recent file until it ends.
    m_autoReload->shown(QString());
    showOpened(opened);
    showStatus(statusBar(),
               tr("Tracing %1 into %2").arg(m_live->launch().programName(), m_live->tracePath()),
               15000);
    m_controller->play(); // at the live edge
    Q_EMIT scenarioOpened(opened->source);
    updateActions();
}

void MainWindow::onLiveGrew()
{
    if (!m_current || m_current->scenario != m_live->follower()->scenario())
        return; // not opened yet
    m_controller->recordingGrew();
    const TraceRecording &trace = *m_current->scenario->trace;
    if (trace.locations.size() != m_liveLocations) {
        m_liveLocations = trace.locations.size();
        const PythonExporter::Result code = ScenarioOpener::codeOf(*m_current->scenario);
        if (code.code != m_current->python.code) {
            // The program's source arrived after its first records.
            m_ui->codeView->setCode(code.code, code.stepLines);
            m_current->python = code;
        } else {
            m_ui->codeView->setStepLines(code.stepLines);
        }
    }
    updateLiveStatus();
    scheduleRefresh(); // the position label counts what arrived
}

void MainWindow::onLiveEnded()
{
    m_ui->outputView->flush();
    if (!m_current || m_current->scenario != m_live->follower()->scenario()) {
        // Nothing was recorded before the end (or the program never started): show what there is.
        if (const auto scenario = m_live->follower()->scenario()) {
            m_autoReload->shown(QString());
            showOpened(ScenarioOpener::prepare(scenario, m_live->tracePath()));
            Q_EMIT scenarioOpened(m_live->tracePath());
        }
    }
    m_controller->recordingGrew(); // the run ends with the recording
    m_recent->add(QFileInfo(m_live->tracePath()).absoluteFilePath());
    const QString ended = tr("%1: %2").arg(m_live->launch().programName(), m_live->endText());
    showStatus(statusBar(), ended, 30000);
    updateLiveStatus();
    updateActions();
    if (m_closeWhenEnded)
        close();
}

void MainWindow::dropLive()
{
    LiveTrace *live = std::exchange(m_live, nullptr);
    live->disconnect(this);
    if (live->state() == LiveTrace::State::Ended) {
        live->deleteLater();
    } else {
        connect(live, &LiveTrace::ended, live, &QObject::deleteLater);
        live->stop();
    }
    updateLiveStatus();
}

QString MainWindow::liveStatus() const
{
    return m_liveStatus->text();
}

void MainWindow::updateLiveStatus()
{
    if (!m_live) {
        m_liveStatus->clear();
        m_liveStatus->hide();
        return;
    }
    const QString program = QFileInfo(QString::fromLocal8Bit(m_live->launch().program)).fileName();
    const size_t events = m_live->follower()->recording()->events.size();
    QString text;
    switch (m_live->state()) {
    case LiveTrace::State::NotStarted:
    case LiveTrace::State::Running:
        text = tr("\u25cf Live: %1 running \u00b7 %2 events received").arg(program).arg(events);
        break;
    case LiveTrace::State::Stopping:
        text = tr("Stopping %1\u2026 \u00b7 %2 events received").arg(program).arg(events);
        break;
    case LiveTrace::State::Finishing:
    case LiveTrace::State::Ended:
        text = tr("%1: %2 \u00b7 %3 events").arg(program, m_live->endText()).arg(events);
        break;
    }
    m_liveStatus->setText(Diagnostic::escaped(text));
    m_liveStatus->show();
}

QList<QAction *> MainWindow::shortcutActions() const
{
    return findChildren<QAction *>(QString(), Qt::FindDirectChildrenOnly);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Lifeline"),
        tr("<h3>Lifeline %1</h3><p>Shows how Python async resources "
           "(<code>async with</code>, <code>@asynccontextmanager</code>) live and die: "
           "each scenario runs on a virtual clock as CPython 3.11's asyncio would run "
           "it, and every acquire, release and exception is drawn on a timeline.</p>")
            .arg(QStringLiteral(LIFELINE_VERSION)));
}

QModelIndex MainWindow::tableIndex(const QModelIndex &source) const
{
    return m_ui->eventTable->model() == m_eventFilter ? m_eventFilter->mapFromSource(source)
                                                      : source;
}

void MainWindow::selectEvent(qsizetype event)
{
    const EventLog *log = m_controller->log();
    if (!log || event < 0 || size_t(event) >= log->count())
        return;
    m_ui->inspectorView->setSelectedLane(TimelineWidget::laneOfEvent(*log, size_t(event)));
    const QModelIndex row = tableIndex(m_eventModel->index(int(event), 0));
    if (row.isValid()) {
        m_ui->eventTable->setCurrentIndex(row);
        m_ui->eventTable->scrollTo(row);
    }
}

MainWindow::ViewState MainWindow::viewState()
{
    if (m_refreshPending)
        refreshViews();
    ViewState s;
    s.position = m_controller->position();
    // The rows of what has happened (those after the playhead are listed too, dimmed).
    for (int r = 0; r < std::min<qsizetype>(m_eventModel->rowCount(), s.position); ++r) {
        QStringList cells;
        for (int c = 0; c < m_eventModel->columnCount(); ++c)
            cells << m_eventModel->index(r, c).data().toString();
        s.rows << cells.join(u'\t');
    }
    s.inspector = m_ui->inspectorView->reportText();
    s.caption = m_ui->captionLabel->text();
    s.where = m_ui->positionLabel->text();
    s.codeLine = m_ui->codeView->currentLine();
    return s;
}

} // namespace Lifeline
