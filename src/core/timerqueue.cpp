// SPDX-License-Identifier: MIT
#include "timerqueue.h"

#include <algorithm>
#include <functional>

namespace Lifeline {

quint32 TimerQueue::bucketFor(qint64 when)
{
    if (when == m_lastWhen)
        return m_lastBucket;
    quint32 index;
    const auto it = m_bucketOf.find(when);
    if (it != m_bucketOf.end()) {
        index = it->second;
    } else {
        if (!m_freeBuckets.empty()) {
            index = m_freeBuckets.back();
            m_freeBuckets.pop_back();
        } else {
            index = quint32(m_buckets.size());
            m_buckets.emplace_back();
        }
        m_bucketOf.emplace(when, index);
        m_times.push_back(when);
        std::push_heap(m_times.begin(), m_times.end(), std::greater<>());
        if (m_times.front() == when)
            m_frontBucket = index;
    }
    m_lastWhen = when;
    m_lastBucket = index;
    return index;
}

TimerQueue::Position TimerQueue::push(qint64 when, quint64 entry)
{
    const quint32 bucket = bucketFor(when);
    std::vector<quint64> &entries = m_buckets[bucket].entries;
    entries.push_back(entry);
    ++m_count;
    return { bucket, quint32(entries.size() - 1) };
}

void TimerQueue::pop()
{
    Bucket &b = m_buckets[m_frontBucket];
    --m_count;
    if (++b.head < b.entries.size())
        return;
    // The earliest time is used up: recycle its bucket. A small one keeps its capacity; a big
    // one lets it go, for the bucket that its timers' tasks fill next (a million tasks going
    // from one sleep to the next kept 8 MB each in two buckets).
    if (b.entries.capacity() > KeptCapacity)
        std::vector<quint64>().swap(b.entries);
    else
        b.entries.clear();
    b.head = 0;
    m_freeBuckets.push_back(m_frontBucket);
    const qint64 when = m_times.front();
    m_bucketOf.erase(when);
    if (m_lastWhen == when)
        m_lastWhen = LLONG_MIN;
    std::pop_heap(m_times.begin(), m_times.end(), std::greater<>());
    m_times.pop_back();
    if (!m_times.empty())
        m_frontBucket = m_bucketOf.find(m_times.front())->second;
}

} // namespace Lifeline
