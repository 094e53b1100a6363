// SPDX-License-Identifier: MIT
#include "shortcutshelp.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Lifeline {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ShortcutsHelp", text);
}

QString row(const QString &keys, const QString &what)
{
    return QStringLiteral("<tr><td style=\"padding-right:16px\"><b>%1</b></td><td>%2</td></tr>")
        .arg(keys.toHtmlEscaped(), what.toHtmlEscaped());
}

// One table for all sections, so that the descriptions line up.
QString section(const QString &title, const QString &rows)
{
    return QStringLiteral("<tr><td colspan=\"2\"><h3>%1</h3></td></tr>%2")
        .arg(title.toHtmlEscaped(), rows);
}

} // namespace

QString ShortcutsHelp::html(const QList<QAction *> &actions)
{
    QString window;
    for (const QAction *a : actions) {
        if (a->shortcut().isEmpty())
            continue;
        const QString key = a->shortcut().toString(QKeySequence::NativeText);
        // The tooltip says more ("Run the scenario at the chosen speed"), without the key.
        QString what = a->toolTip();
        what.remove(QStringLiteral(" (%1)").arg(key));
        what.remove(u'&');
        what.remove(QStringLiteral("…"));
        window += row(key, what);
    }
    const QString timeline = row(tr("+  /  -"), tr("Zoom in and out around the centre"))
        + row(tr("Ctrl+wheel"), tr("Zoom around the pointer"))
        + row(tr("F"), tr("Fit the whole run")) + row(tr("Drag, Shift+wheel"), tr("Pan in time"))
        + row(tr("Wheel, Up, Down, Page Up, Page Down"), tr("Scroll the lanes"))
        + row(tr(".  /  ,"), tr("Select the next or previous event"))
        + row(tr("Click a mark, a badge or a span's edge"),
              tr("Move the playhead to that event; the other views follow"))
        + row(tr("Click inside a span, or a label"), tr("Select that lane"))
        + row(tr("Drag the labels' edge"),
              tr("Widen or narrow the label column (double-click it: automatic)"));
    const QString events
        = row(tr("Click, double-click, Enter"), tr("Move the playhead to that event"))
        + row(tr("Up, Down"), tr("Select an event"))
        + row(tr("Shift+click, Shift+Up, Shift+Down"), tr("Select consecutive events"))
        + row(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText),
              tr("Copy the selected events as tab-separated text"));
    const QString printed
        = row(tr("Click, double-click, Enter"), tr("Move the playhead to the print of that line"));
    const QString code = row(tr("Drag"), tr("Select text"))
        + row(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText),
              tr("Copy the selection"))
        + row(QKeySequence(QKeySequence::SelectAll).toString(QKeySequence::NativeText),
              tr("Select the whole program"));
    return QStringLiteral("<table>%1</table>")
        .arg(section(tr("Window"), window) + section(tr("Timeline (click it first)"), timeline)
             + section(tr("Event log"), events) + section(tr("Printed"), printed)
             + section(tr("Code"), code));
}

void ShortcutsHelp::show(QWidget *parent, const QList<QAction *> &actions)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(tr("Keyboard and Mouse"));
    auto *layout = new QVBoxLayout(&dialog);
    auto *text = new QTextBrowser(&dialog);
    text->setHtml(html(actions));
    text->setMinimumSize(520, 480);
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.exec();
}

} // namespace Lifeline
