// SPDX-License-Identifier: MIT
#pragma once
// What the window's dock and click tests share: a settings store of their own, a shown window,
// and opening a file or example and waiting until it is open.

#include "mainwindow.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

namespace Lifeline::WindowTest {

// Settings in a test location, under the test's own name.
inline void useTestSettings(const char *testName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LifelineTest"));
    QCoreApplication::setApplicationName(QString::fromLatin1(testName));
}

// A window at `size`, shown and exposed (null if the platform never exposed it).
inline MainWindow *shownWindow(QSize size)
{
    auto *window = new MainWindow;
    window->resize(size);
    window->show();
    if (!QTest::qWaitForWindowExposed(window)) {
        delete window;
        return nullptr;
    }
    return window;
}

inline bool openAndWait(MainWindow *window, const QString &source)
{
    QSignalSpy opened(window, &MainWindow::scenarioOpened);
    window->open(source);
    return opened.wait(10000);
}

} // namespace Lifeline::WindowTest
