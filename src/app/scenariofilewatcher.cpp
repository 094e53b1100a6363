// SPDX-License-Identifier: MIT
#include "scenariofilewatcher.h"

#include <QFileInfo>

namespace Lifeline {

ScenarioFileWatcher::ScenarioFileWatcher(QObject *parent)
    : QObject(parent)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(SettleMs);
    connect(&m_settle, &QTimer::timeout, this, &ScenarioFileWatcher::settle);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ScenarioFileWatcher::touched);
    // A rename over a file or a delete-and-create shows here: a watched path that exists but is
    // no longer watched is a new file.
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        const QStringList watched = m_watcher.files();
        for (const QString &path : std::as_const(m_paths)) {
            if (!watched.contains(path) && QFileInfo::exists(path))
                touched(path);
        }
    });
}

void ScenarioFileWatcher::watch(const QStringList &paths)
{
    QStringList absolute;
    for (const QString &path : paths) {
        const QString a = QFileInfo(path).absoluteFilePath();
        if (!path.isEmpty() && !absolute.contains(a))
            absolute << a;
    }
    if (absolute == m_paths)
        return;
    m_settle.stop();
    m_pending.clear();
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_paths = absolute;
    for (const QString &path : std::as_const(m_paths)) {
        m_watcher.addPath(path);
        const QString directory = QFileInfo(path).absolutePath();
        if (!m_watcher.directories().contains(directory))
            m_watcher.addPath(directory);
    }
}

void ScenarioFileWatcher::touched(const QString &path)
{
    if (!m_paths.contains(path))
        return;
    m_pending.insert(path);
    m_settle.start();
}

void ScenarioFileWatcher::settle()
{
    const QSet<QString> pending = std::exchange(m_pending, {});
    // In the order they are watched, so the caller's first file comes first; over a copy, as a
    // receiver may watch other files.
    const QStringList paths = m_paths;
    for (const QString &path : paths) {
        if (!pending.contains(path) || !QFileInfo::exists(path))
            continue; // deleted: the directory watch reports it if it comes back
        if (!m_watcher.files().contains(path))
            m_watcher.addPath(path); // replaced by a rename: a new file to watch
        Q_EMIT changed(path);
    }
}

} // namespace Lifeline
