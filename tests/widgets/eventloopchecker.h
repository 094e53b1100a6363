#pragma once
// Proves an event loop stayed live (QCoro's EventLoopChecker): a QTimer counts its own ticks and
// remembers the longest real gap between two of them. A blocked loop shows as a long gap.

#include <QElapsedTimer>
#include <QTimer>

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
    int ticks() const { return m_ticks; }
    qint64 longestGapMs() const { return m_longestGap; }

private:
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    int m_ticks = 0;
    qint64 m_longestGap = 0;
};

} // namespace Lifeline::Test
