// SPDX-License-Identifier: MIT
#include "eventnumbering.h"

#include <algorithm>

namespace Lifeline {

void EventNumbering::clear()
{
    m_before.clear();
    m_indexed = 0;
    m_numbered = 0;
    m_anySteps = false;
}

void EventNumbering::update(const EventLog &log)
{
    const size_t count = log.count();
    for (size_t i = m_indexed; i < count; ++i) {
        if (i % Stride == 0)
            m_before.push_back(m_numbered);
        if (log.kindAt(i) == EventKind::StepBegan)
            m_anySteps = true;
        else
            ++m_numbered;
    }
    m_indexed = std::max(m_indexed, count);
}

qint64 EventNumbering::countBefore(const EventLog &log, size_t count) const
{
    count = std::min(count, m_indexed);
    if (!m_anySteps)
        return qint64(count);
    if (count == m_indexed)
        return m_numbered;
    const size_t block = count / Stride;
    qint64 n = m_before[block];
    for (size_t i = block * Stride; i < count; ++i)
        if (log.kindAt(i) != EventKind::StepBegan)
            ++n;
    return n;
}

qint64 EventNumbering::number(const EventLog &log, size_t index) const
{
    if (index >= m_indexed || log.kindAt(index) == EventKind::StepBegan)
        return -1;
    return countBefore(log, index);
}

} // namespace Lifeline
