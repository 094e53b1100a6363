// SPDX-License-Identifier: MIT
#pragma once
// The loop's ready queue: a FIFO of the scheduler's 8-byte entries in one ring buffer that
// doubles when full and never shrinks (a scheduler lives for one run). Half the cost of
// std::deque's push and pop, which check block boundaries at every one; the loop does one
// of each per callback.

#include <QtGlobal>

#include <algorithm>
#include <vector>

namespace Lifeline {

class ReadyQueue
{
public:
    bool empty() const { return m_size == 0; }
    size_t size() const { return m_size; }
    void push(quint64 entry)
    {
        if (m_size == m_ring.size())
            grow();
        m_ring[(m_head + m_size) & (m_ring.size() - 1)] = entry;
        ++m_size;
    }
    quint64 front() const
    {
        Q_ASSERT(m_size > 0);
        return m_ring[m_head];
    }
    void pop()
    {
        Q_ASSERT(m_size > 0);
        m_head = (m_head + 1) & (m_ring.size() - 1);
        --m_size;
    }
    // Empties the queue and hands each entry, front first, to `release`.
    template <typename F> void drain(F &&release)
    {
        // Moved out first: releasing an entry may free objects that touch the loop.
        const ReadyQueue entries = std::move(*this);
        *this = ReadyQueue();
        for (size_t i = 0; i < entries.m_size; ++i)
            release(entries.m_ring[(entries.m_head + i) & (entries.m_ring.size() - 1)]);
    }

private:
    void grow()
    {
        std::vector<quint64> ring(std::max<size_t>(64, m_ring.size() * 2));
        for (size_t i = 0; i < m_size; ++i)
            ring[i] = m_ring[(m_head + i) & (m_ring.size() - 1)];
        m_ring = std::move(ring);
        m_head = 0;
    }

    std::vector<quint64> m_ring; // a power of two in size
    size_t m_head = 0;
    size_t m_size = 0;
};

} // namespace Lifeline
