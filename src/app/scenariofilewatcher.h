#pragma once
// Tells when the open scenario file has been saved again, so the window can reload it: edit the
// JSON in an editor, save, and the timeline shows the new run. One signal per save, however the
// editor writes: in place (several writes), or a new file renamed over the old one (which ends
// a plain QFileSystemWatcher's watch); the directory is watched too, for a file deleted and
// created again. Knows nothing about scenarios.

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace Lifeline {

class ScenarioFileWatcher : public QObject
{
    Q_OBJECT
public:
    // Saves that follow each other this closely are one change.
    static constexpr int SettleMs = 150;

    explicit ScenarioFileWatcher(QObject *parent = nullptr);

    // Watches `path` (an existing file) instead of whatever was watched; empty: nothing.
    void watch(const QString &path);
    QString path() const { return m_path; }

Q_SIGNALS:
    // The file exists and its contents may have changed.
    void changed(const QString &path);

private:
    void settle();

    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QString m_path;
    QString m_directory;
};

} // namespace Lifeline
