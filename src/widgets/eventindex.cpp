// SPDX-License-Identifier: MIT
#include "eventindex.h"

namespace Lifeline {

void EventIndex::clear()
{
    m_entries.clear();
    m_keys.clear();
}

void EventIndex::add(qint32 key, quint32 event)
{
    if (key < 0)
        return;
    m_keys.resize(size_t(key) + 1);
    const quint32 entry = quint32(m_entries.size());
    m_entries.push_back({ event, End });
    Key &k = m_keys[size_t(key)];
    if (k.last == End)
        k.first = entry;
    else
        m_entries[k.last].next = entry;
    k.last = entry;
}

quint32 EventIndex::next(qint32 key, quint32 entry) const
{
    if (entry != End)
        return m_entries[entry].next;
    return key >= 0 && size_t(key) < m_keys.size() ? m_keys[size_t(key)].first : End;
}

} // namespace Lifeline
