#include "scenariofilewatcher.h"

#include <QFileInfo>

namespace Lifeline {

ScenarioFileWatcher::ScenarioFileWatcher(QObject *parent)
    : QObject(parent)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(SettleMs);
    connect(&m_settle, &QTimer::timeout, this, &ScenarioFileWatcher::settle);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        if (path == m_path)
            m_settle.start();
    });
    // A rename over the file or a delete-and-create shows here; other files' changes start the
    // timer too, and settle() finds nothing new for them.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
            m_settle.start();
    });
}

void ScenarioFileWatcher::watch(const QString &path)
{
    const QString absolute = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    if (absolute == m_path)
        return;
    m_settle.stop();
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_path = absolute;
    m_directory = absolute.isEmpty() ? QString() : QFileInfo(absolute).absolutePath();
    if (m_path.isEmpty())
        return;
    m_watcher.addPath(m_path);
    m_watcher.addPath(m_directory);
}

void ScenarioFileWatcher::settle()
{
    if (!QFileInfo::exists(m_path))
        return; // deleted: the directory watch reports it if it comes back
    // A file replaced by a rename is a new file: watch it again.
    const bool replaced = !m_watcher.files().contains(m_path);
    if (replaced)
        m_watcher.addPath(m_path);
    Q_EMIT changed(m_path);
}

} // namespace Lifeline
