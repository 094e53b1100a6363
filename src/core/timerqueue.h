// SPDX-License-Identifier: MIT
#pragma once
// The loop's timers, in (due time, order scheduled) order: BaseEventLoop's heap with the
// virtual clock's tie rule. A virtual-clock run schedules thousands of timers for each due
// millisecond, so timers are kept in one FIFO bucket per due time and only the distinct times
// are heap-ordered: push and pop are O(1) but for the first timer of a new time, and a timer
// costs 8 bytes instead of a 24-byte heap entry that every pop would sift. An entry is the
// scheduler's (Scheduler::Entry); 0 is one cancelled where it stands (clear()).

#include <QtGlobal>

#include <climits>

#include <unordered_map>
#include <vector>

namespace Lifeline {

class TimerQueue
{
public:
    // Where an entry is, valid until it is popped.
    struct Position
    {
        quint32 bucket = ~0u;
        quint32 slot = 0;
        bool isValid() const { return bucket != ~0u; }
    };

    Position push(qint64 when, quint64 entry);
    // Replaces a queued entry with 0, which keeps its place until popped like any other.
    void clear(Position p) { m_buckets[p.bucket].entries[p.slot] = 0; }
    quint64 entryAt(Position p) const { return m_buckets[p.bucket].entries[p.slot]; }
    bool isEmpty() const { return m_count == 0; }
    size_t size() const { return m_count; }
    // The earliest timer; the queue must not be empty.
    qint64 frontWhen() const { return m_times.front(); }
    quint64 front() const
    {
        const Bucket &b = m_buckets[m_frontBucket];
        return b.entries[b.head];
    }
    void pop();
    // Every queued entry, in no particular order; then the queue is empty.
    template <typename F> void drain(F &&release)
    {
        // Moved out first: releasing a handle may free objects that touch the loop.
        const std::vector<Bucket> buckets = std::move(m_buckets);
        *this = TimerQueue();
        for (const Bucket &b : buckets)
            for (size_t i = b.head; i < b.entries.size(); ++i)
                release(b.entries[i]);
    }

private:
    static constexpr size_t KeptCapacity = 4096;
    struct Bucket
    {
        std::vector<quint64> entries;
        size_t head = 0;
    };
    quint32 bucketFor(qint64 when);

    std::vector<qint64> m_times; // min-heap of the due times that have a bucket
    std::unordered_map<qint64, quint32> m_bucketOf;
    std::vector<Bucket> m_buckets;
    std::vector<quint32> m_freeBuckets;
    quint32 m_frontBucket = 0; // bucket of m_times.front()
    qint64 m_lastWhen
        = LLONG_MIN; // the last push's time and bucket: runs of equal times are common
    quint32 m_lastBucket = 0;
    size_t m_count = 0;
};

} // namespace Lifeline
