// SPDX-License-Identifier: MIT
#pragma once
// File > Open Recent: the last few scenario files opened, kept in QSettings and shown in a
// menu whose actions ask for the file to be opened again.

#include <QObject>
#include <QStringList>
#include <QThreadPool>

class QMenu;

namespace Lifeline {

class RecentFiles : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxFiles = 8;

    // Reads the list from QSettings and fills `menu`.
    RecentFiles(QMenu *menu, QObject *parent = nullptr);

    // Moves `absolutePath` to the top and saves the list.
    void add(const QString &absolutePath);
    const QStringList &files() const { return m_files; }
    // Where an Open dialog should start: the latest file's directory, or empty.
    QString lastDirectory() const;

Q_SIGNALS:
    void openRequested(const QString &path);

private:
    void rebuildMenu();

    QMenu *m_menu;
    QStringList m_files;
    QThreadPool m_writer; // its destructor waits: the last list reaches the settings file
};

} // namespace Lifeline
