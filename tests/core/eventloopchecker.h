// SPDX-License-Identifier: MIT
#pragma once
// Proves a Qt event loop stayed responsive (QCoro's EventLoopChecker): a QTimer counts its own
// ticks and remembers the longest real gap between two of them, including the stretch from the
// last tick to stop(). A blocked loop shows as few ticks and one long gap. Header-only, Qt Core
// only, so GUI tests in any layer can include it. It measures wall time on purpose: a live loop
// is the thing it checks; never use it to wait for an engine result. It also measures the
// thread's own CPU time between two ticks (longestBusyMs): the work the loop did in one go,
// without the time a busy machine gave other processes, which no code of ours can shorten. On
// Linux it also reads how long the thread waited, ready to run, for a CPU the kernel gave
// another process (/proc/thread-self/schedstat), over the longest gap (longestGapWaitMs).

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <ctime>

#if defined(Q_OS_LINUX)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace Lifeline::Test {

namespace SchedStat {
// The calling thread's /proc/thread-self/schedstat, open for reading; -1 where there is none.
inline int openForThisThread()
{
#if defined(Q_OS_LINUX)
    return ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
#else
    return -1;
#endif
}
inline void close(int fd)
{
#if defined(Q_OS_LINUX)
    if (fd >= 0)
        ::close(fd);
#else
    Q_UNUSED(fd);
#endif
}
// Nanoseconds the thread has spent runnable but not running (the file's second field); -1 when
// unknown (no file, or a kernel that keeps no scheduler statistics and shows zeros).
inline qint64 waitedNs(int fd)
{
#if defined(Q_OS_LINUX)
    char text[96];
    if (fd < 0)
        return -1;
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    if (n <= 0)
        return -1;
    text[n] = 0;
    const QByteArrayList fields = QByteArray(text).split(' ');
    return fields.size() >= 2 && fields[0].toLongLong() > 0 ? fields[1].toLongLong() : -1;
#else
    Q_UNUSED(fd);
    return -1;
#endif
}
} // namespace SchedStat

class EventLoopChecker
{
public:
    explicit EventLoopChecker(int intervalMs = 5)
    {
        m_timer.setInterval(intervalMs);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            gapEnds(m_sinceTick.restart());
            busySinceTick();
            ++m_ticks;
        });
    }
    ~EventLoopChecker() { SchedStat::close(m_schedstat); }
    EventLoopChecker(const EventLoopChecker &) = delete;
    EventLoopChecker &operator=(const EventLoopChecker &) = delete;

    void start()
    {
        m_ticks = 0;
        m_longestGap = 0;
        m_longestBusyNs = 0;
        m_longestGapWaitNs = -1;
        if (m_schedstat < 0) // the thread that starts the checker is the one it watches
            m_schedstat = SchedStat::openForThisThread();
        m_sinceTick.start();
        m_cpuAtTick = threadCpuNs();
        m_waitAtTick = waitedNs();
        m_timer.start();
    }
    void stop()
    {
        m_timer.stop();
        gapEnds(m_sinceTick.elapsed());
        busySinceTick();
    }

    int intervalMs() const { return m_timer.interval(); }
    // The ticking timer, for a profiler that tells its ticks from the work between them.
    const QTimer *timer() const { return &m_timer; }
    int ticks() const { return m_ticks; }
    qint64 longestGapMs() const { return m_longestGap; }
    // The longest stretch of this thread's CPU time between two ticks (or start, or stop).
    qint64 longestBusyMs() const { return m_longestBusyNs / 1'000'000; }
    // Of the longest gap, how long the thread waited, ready to run, for a CPU (-1: unknown).
    qint64 longestGapWaitMs() const
    {
        return m_longestGapWaitNs < 0 ? -1 : m_longestGapWaitNs / 1'000'000;
    }
    // At least minTicks ticks, and the loop never went maxGapMs without one.
    bool stayedResponsive(int minTicks, qint64 maxGapMs) const
    {
        return m_ticks >= minTicks && m_longestGap < maxGapMs;
    }

private:
    static qint64 threadCpuNs()
    {
        timespec t = {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
    }
    qint64 waitedNs() const { return SchedStat::waitedNs(m_schedstat); }
    void gapEnds(qint64 gapMs)
    {
        const qint64 waited = waitedNs();
        if (gapMs >= m_longestGap) {
            m_longestGap = gapMs;
            m_longestGapWaitNs = waited >= 0 && m_waitAtTick >= 0 ? waited - m_waitAtTick : -1;
        }
        m_waitAtTick = waited;
    }
    void busySinceTick()
    {
        const qint64 now = threadCpuNs();
        m_longestBusyNs = std::max(m_longestBusyNs, now - m_cpuAtTick);
        m_cpuAtTick = now;
    }

    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    int m_ticks = 0;
    qint64 m_longestGap = 0;
    qint64 m_cpuAtTick = 0;
    qint64 m_longestBusyNs = 0;
    qint64 m_waitAtTick = -1;
    qint64 m_longestGapWaitNs = -1;
    int m_schedstat = -1;
};

} // namespace Lifeline::Test
