// SPDX-License-Identifier: MIT
#pragma once
// Tells when a watched scenario file has been saved again, so the window can reload it: edit the
// JSON in an editor, save, and the timeline shows the new run. One signal per save, however the
// editor writes: in place (several writes), or a new file renamed over the old one (which ends
// a plain QFileSystemWatcher's watch); the directories are watched too, for a file deleted and
// created again. Knows nothing about scenarios.

#include <QFileSystemWatcher>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace Lifeline {

class ScenarioFileWatcher : public QObject
{
    Q_OBJECT
public:
    // Saves that follow each other this closely are one change.
    static constexpr int SettleMs = 150;

    explicit ScenarioFileWatcher(QObject *parent = nullptr);

    // Watches these files (existing ones; made absolute) instead of whatever was watched.
    void watch(const QStringList &paths);
    QStringList paths() const { return m_paths; }

Q_SIGNALS:
    // The file exists and its contents may have changed.
    void changed(const QString &path);

private:
    void touched(const QString &path);
    void settle();

    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QStringList m_paths;
    QSet<QString> m_pending; // changed since the timer started
};

} // namespace Lifeline
