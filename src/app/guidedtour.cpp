// SPDX-License-Identifier: MIT
#include "guidedtour.h"

#include "runcontroller.h"

#include <QFile>
#include <QTimer>

namespace Lifeline {

QList<GuidedTour::Part> GuidedTour::parts()
{
    return {
        { tr("The seed: two resources, one after the other"),
          tr("A database connection (a class with __aenter__/__aexit__) and a GPU resource "
             "(an @asynccontextmanager generator). Watch each lane go through acquire, ready "
             "and release; the connection is closed before the GPU is acquired."),
          QStringLiteral("seed"), QString() },
        { tr("The variant: the query fails inside both scopes"),
          tr("The same resources, nested, and the query raises QueryError. The exception "
             "travels outwards: the generator's finally runs and lets it pass, then __aexit__ "
             "receives it and returns False, and QueryError escapes main."),
          QString(), QStringLiteral(":/tour/seed-query-fails.json") },
    };
}

QByteArray GuidedTour::partData(const Part &part)
{
    QFile file(part.resource);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

GuidedTour::GuidedTour(RunController *controller, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(1600);
    connect(m_timer, &QTimer::timeout, this, &GuidedTour::tick);
    connect(m_controller, &RunController::positionChanged, this, &GuidedTour::updateStatus);
}

void GuidedTour::setStepInterval(int ms)
{
    m_timer->setInterval(ms);
}

void GuidedTour::start()
{
    m_active = true;
    m_paused = false;
    m_part = 0;
    Q_EMIT activeChanged(true);
    Q_EMIT pausedChanged(false);
    m_waitingForOpen = true;
    Q_EMIT openPart(m_part);
    updateStatus();
}

void GuidedTour::stop()
{
    if (!m_active)
        return;
    m_timer->stop();
    m_active = false;
    m_waitingForOpen = false;
    Q_EMIT activeChanged(false);
}

void GuidedTour::partOpened()
{
    if (!m_active || !m_waitingForOpen)
        return;
    m_waitingForOpen = false;
    updateStatus();
    if (!m_paused)
        m_timer->start();
}

void GuidedTour::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (m_paused)
        m_timer->stop();
    else if (m_active && !m_waitingForOpen)
        m_timer->start();
    Q_EMIT pausedChanged(m_paused);
    updateStatus();
}

void GuidedTour::tick()
{
    if (m_waitingForOpen)
        return;
    if (!m_controller->atEnd()) {
        m_controller->step();
        return;
    }
    // The part is over; its last caption stayed up for one interval.
    if (m_part + 1 < parts().size()) {
        m_timer->stop();
        ++m_part;
        m_waitingForOpen = true;
        Q_EMIT openPart(m_part);
        updateStatus();
    } else {
        m_timer->stop();
        m_paused = true;
        Q_EMIT pausedChanged(true);
        Q_EMIT statusChanged(tr("Tour finished. Step back through it, or pick an example from the "
                                "Examples menu."));
    }
}

void GuidedTour::next()
{
    if (!m_active)
        return;
    setPaused(true); // the reader took over
    if (m_controller->atEnd() && m_part + 1 < parts().size()) {
        ++m_part;
        m_waitingForOpen = true;
        Q_EMIT openPart(m_part);
        updateStatus();
        return;
    }
    m_controller->step();
}

void GuidedTour::back()
{
    if (!m_active)
        return;
    setPaused(true);
    if (m_controller->position() == 0 && m_part > 0) {
        --m_part;
        m_waitingForOpen = true;
        Q_EMIT openPart(m_part);
        updateStatus();
        return;
    }
    m_controller->stepBack();
}

void GuidedTour::updateStatus()
{
    if (!m_active)
        return;
    const QList<Part> all = parts();
    const Part &p = all[m_part];
    QString text
        = tr("<b>Part %1 of %2: %3.</b> %4").arg(m_part + 1).arg(all.size()).arg(p.title, p.intro);
    if (m_waitingForOpen)
        text += tr(" <i>Opening…</i>");
    else if (m_controller->atEnd())
        text += m_part + 1 < all.size() ? tr(" <i>End of this part: Next goes on.</i>")
                                        : tr(" <i>End of the tour.</i>");
    Q_EMIT statusChanged(text);
}

} // namespace Lifeline
