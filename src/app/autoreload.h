// SPDX-License-Identifier: MIT
#pragma once
// What a save of a watched scenario file means for the window: the shown scenario's file
// reloads, a file that failed to open opens once it is saved again (fixed, presumably), and a
// save that lands while an open is in flight waits for it, since a newer open would make that
// one stale. It owns the file watch; the window tells it what was shown or failed and does the
// opening when asked.

#include <QObject>
#include <QString>

namespace Lifeline {

class ScenarioFileWatcher;
class ScenarioOpener;

class AutoReload : public QObject
{
    Q_OBJECT
public:
    AutoReload(const ScenarioOpener *opener, QObject *parent = nullptr);

    // Off: saves are ignored (File > Reload still works).
    void setEnabled(bool on) { m_enabled = on; }
    bool isEnabled() const { return m_enabled; }

    // The window shows `source` now (a path, an example's name, a resource), or failed to open
    // it. Either way an open has arrived, so a save that waited for it is taken up.
    void shown(const QString &source);
    void failed(const QString &source);
    // The shown scenario's file, absolute; empty when it is not a file.
    QString shownFile() const { return m_shownFile; }

    // A path on disk (not an example, not a resource).
    static bool isFile(const QString &source);

Q_SIGNALS:
    void reloadRequested(); // the shown file was saved
    void openRequested(const QString &path); // the file that failed to open was saved

private:
    void changed(const QString &path);
    void apply(const QString &path);
    void watch();
    void takeUpPending();

    const ScenarioOpener *m_opener;
    ScenarioFileWatcher *m_watcher;
    bool m_enabled = true;
    QString m_shownFile;
    QString m_failedFile; // watched until it opens
    QString m_pending; // saved while an open was in flight
};

} // namespace Lifeline
