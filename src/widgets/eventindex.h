// SPDX-License-Identifier: MIT
#pragma once
// Which events concern each key (a lane, an exception), built as a run grows: one entry per
// (key, event) in a chunked array, linked per key. A half-million-lane run allocates nothing
// per lane, and forgetting a run frees a few hundred chunks instead of a vector per lane
// (14 ms of a Restart). Entries of one key come in the order they were added.

#include "chunkedarray.h"

#include <QtGlobal>

namespace Lifeline {

class EventIndex
{
public:
    static constexpr quint32 End = 0xffffffffu;

    void clear();
    // Negative keys are ignored (an event about no lane).
    void add(qint32 key, quint32 event);
    // The entry after `entry` for the same key; from End, the key's first entry. End when
    // there is none (yet: a later add() links one in).
    quint32 next(qint32 key, quint32 entry) const;
    quint32 event(quint32 entry) const { return m_entries[entry].event; }

private:
    struct Entry
    {
        quint32 event;
        quint32 next;
    };
    struct Key
    {
        quint32 first = End;
        quint32 last = End;
    };
    ChunkedArray<Entry, 14> m_entries;
    ChunkedArray<Key, 14> m_keys;
};

} // namespace Lifeline
