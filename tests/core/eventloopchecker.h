#pragma once
// Proves a Qt event loop stayed responsive (QCoro's EventLoopChecker): a QTimer counts its own
// ticks and remembers the longest real gap between two of them, including the stretch from the
// last tick to stop(). A blocked loop shows as few ticks and one long gap. Header-only, Qt Core
// only, so GUI tests in any layer can include it. It measures wall time on purpose: a live loop
// is the thing it checks; never use it to wait for an engine result.

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace Lifeline::Test {

class EventLoopChecker
{
public:
    explicit EventLoopChecker(int intervalMs = 5)
    {
        m_timer.setInterval(intervalMs);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_longestGap = std::max(m_longestGap, m_sinceTick.restart());
            ++m_ticks;
        });
    }

    void start()
    {
        m_ticks = 0;
        m_longestGap = 0;
        m_sinceTick.start();
        m_timer.start();
    }
    void stop()
    {
        m_timer.stop();
        m_longestGap = std::max(m_longestGap, m_sinceTick.elapsed());
    }

    int intervalMs() const { return m_timer.interval(); }
    int ticks() const { return m_ticks; }
    qint64 longestGapMs() const { return m_longestGap; }
    // At least minTicks ticks, and the loop never went maxGapMs without one.
    bool stayedResponsive(int minTicks, qint64 maxGapMs) const
    {
        return m_ticks >= minTicks && m_longestGap < maxGapMs;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    int m_ticks = 0;
    qint64 m_longestGap = 0;
};

} // namespace Lifeline::Test
