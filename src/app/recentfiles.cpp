// SPDX-License-Identifier: MIT
#include "recentfiles.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace Lifeline {

namespace {
const QString SettingsKey = QStringLiteral("recentFiles");
}

RecentFiles::RecentFiles(QMenu *menu, QObject *parent)
    : QObject(parent)
    , m_menu(menu)
    , m_files(QSettings().value(SettingsKey).toStringList())
{
    m_writer.setMaxThreadCount(1);
    while (m_files.size() > MaxFiles)
        m_files.removeLast();
    rebuildMenu();
}

void RecentFiles::add(const QString &absolutePath)
{
    m_files.removeAll(absolutePath);
    m_files.prepend(absolutePath);
    while (m_files.size() > MaxFiles)
        m_files.removeLast();
    // QSettings writes its file (and syncs it to disk) when it goes out of scope: on the writer
    // thread, not while the GUI thread is opening a scenario. One thread keeps writes in order.
    m_writer.start([files = m_files] { QSettings().setValue(SettingsKey, files); });
    rebuildMenu();
}

QString RecentFiles::lastDirectory() const
{
    return m_files.isEmpty() ? QString() : QFileInfo(m_files.first()).absolutePath();
}

void RecentFiles::rebuildMenu()
{
    m_menu->clear();
    for (const QString &path : std::as_const(m_files)) {
        QAction *action = m_menu->addAction(QFileInfo(path).fileName());
        action->setToolTip(path);
        action->setStatusTip(path);
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    m_menu->setEnabled(!m_files.isEmpty());
}

} // namespace Lifeline
