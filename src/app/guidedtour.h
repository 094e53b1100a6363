// SPDX-License-Identifier: MIT
#pragma once
// The guided demo: the seed example stepped one event at a time with a pause on each caption,
// then a variant where the query fails and the error leaves through both exits. Drives the run
// controller and asks its owner (by signal) to open each part; shows nothing itself. The
// headless demo walks the same parts() without a window.

#include <QList>
#include <QObject>
#include <QString>

class QTimer;

namespace Lifeline {

class RunController;

class GuidedTour : public QObject
{
    Q_OBJECT
public:
    struct Part
    {
        QString title;
        QString intro;
        QString example; // a built-in example name, or empty
        QString resource; // else a qrc path to the scenario JSON
    };
    static QList<Part> parts();
    static QByteArray partData(const Part &part); // the JSON of a resource part

    explicit GuidedTour(RunController *controller, QObject *parent = nullptr);

    bool isActive() const { return m_active; }
    bool isPaused() const { return m_paused; }
    int part() const { return m_part; }
    // Real milliseconds each caption stays up while auto-stepping.
    void setStepInterval(int ms);

public Q_SLOTS:
    void start();
    void stop();
    void next();
    void back();
    void setPaused(bool paused);
    // The owner opened part(): the tour starts stepping it.
    void partOpened();

Q_SIGNALS:
    void openPart(int index);
    void activeChanged(bool active);
    void pausedChanged(bool paused);
    void statusChanged(const QString &text);

private:
    void tick();
    void updateStatus();

    RunController *m_controller;
    QTimer *m_timer;
    int m_part = 0;
    bool m_active = false;
    bool m_paused = false;
    bool m_waitingForOpen = false;
};

} // namespace Lifeline
