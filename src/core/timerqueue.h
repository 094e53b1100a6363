#pragma once
// The loop's timers, in (due time, order scheduled) order: BaseEventLoop's heap with the
// virtual clock's tie rule. A virtual-clock run schedules thousands of timers for each due
// millisecond, so timers are kept in one FIFO bucket per due time and only the distinct times
// are heap-ordered: push and pop are O(1) but for the first timer of a new time, and a timer
// costs 4 bytes instead of a 24-byte heap entry that every pop would sift.

#include <QtGlobal>

#include <climits>

#include <unordered_map>
#include <vector>

namespace Lifeline {

class TimerQueue
{
public:
    void push(qint64 when, quint32 handle);
    bool isEmpty() const { return m_count == 0; }
    size_t size() const { return m_count; }
    // The earliest timer; the queue must not be empty.
    qint64 frontWhen() const { return m_times.front(); }
    quint32 front() const
    {
        const Bucket &b = m_buckets[m_frontBucket];
        return b.handles[b.head];
    }
    void pop();
    // Every queued handle, in no particular order; then the queue is empty.
    template<typename F>
    void drain(F &&release)
    {
        // Moved out first: releasing a handle may free objects that touch the loop.
        const std::vector<Bucket> buckets = std::move(m_buckets);
        *this = TimerQueue();
        for (const Bucket &b : buckets)
            for (size_t i = b.head; i < b.handles.size(); ++i)
                release(b.handles[i]);
    }

private:
    struct Bucket
    {
        std::vector<quint32> handles;
        size_t head = 0;
    };
    quint32 bucketFor(qint64 when);

    std::vector<qint64> m_times; // min-heap of the due times that have a bucket
    std::unordered_map<qint64, quint32> m_bucketOf;
    std::vector<Bucket> m_buckets;
    std::vector<quint32> m_freeBuckets;
    quint32 m_frontBucket = 0; // bucket of m_times.front()
    qint64 m_lastWhen = LLONG_MIN; // the last push's time and bucket: runs of equal times are common
    quint32 m_lastBucket = 0;
    size_t m_count = 0;
};

} // namespace Lifeline
