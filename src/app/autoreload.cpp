// SPDX-License-Identifier: MIT
#include "autoreload.h"

#include "scenariofilewatcher.h"
#include "scenarioopener.h"

#include <QFileInfo>

namespace Lifeline {

AutoReload::AutoReload(const ScenarioOpener *opener, QObject *parent)
    : QObject(parent)
    , m_opener(opener)
    , m_watcher(new ScenarioFileWatcher(this))
{
    connect(m_watcher, &ScenarioFileWatcher::changed, this, &AutoReload::changed);
}

bool AutoReload::isFile(const QString &source)
{
    return !source.startsWith(u':') && QFileInfo(source).isFile();
}

void AutoReload::shown(const QString &source)
{
    m_shownFile = isFile(source) ? QFileInfo(source).absoluteFilePath() : QString();
    if (m_shownFile == m_failedFile)
        m_failedFile.clear(); // it opens now
    watch();
    takeUpPending();
}

void AutoReload::failed(const QString &source)
{
    if (isFile(source)) {
        m_failedFile = QFileInfo(source).absoluteFilePath();
        watch();
    }
    takeUpPending();
}

void AutoReload::changed(const QString &path)
{
    if (!m_enabled)
        return;
    if (m_opener->isBusy())
        m_pending = path;
    else
        apply(path);
}

void AutoReload::apply(const QString &path)
{
    if (path == m_shownFile)
        Q_EMIT reloadRequested();
    else
        Q_EMIT openRequested(path);
}

void AutoReload::watch()
{
    QStringList files;
    if (!m_shownFile.isEmpty())
        files << m_shownFile;
    if (!m_failedFile.isEmpty())
        files << m_failedFile;
    m_watcher->watch(files);
}

void AutoReload::takeUpPending()
{
    // The open it waited for has arrived (other jobs still running are stale ones); a file no
    // longer watched (another scenario opened meanwhile) is dropped.
    const QString path = std::exchange(m_pending, {});
    if (!path.isEmpty() && m_watcher->paths().contains(path))
        apply(path);
}

} // namespace Lifeline
