// SPDX-License-Identifier: MIT
#include "traceeventstore.h"

#include <algorithm>
#include <cstring>

namespace Lifeline {

namespace {

// Kinds and details fit a nibble each (the trace format packs them so); anything else is
// written after an escape, so the store takes any TraceEvent.
constexpr quint8 Escape = 0x0F;
static_assert(int(EventKind::TaskJoined) < Escape, "a kind's nibble must not be the escape");
// Kind byte, escape's two bytes, a 64-bit varint and two 32-bit ones.
constexpr quint32 MaxEventBytes = 1 + 2 + 10 + 5 + 5;
constexpr quint32 FirstChunkBytes = 256; // a test's recording of a few events stays small
constexpr quint32 MaxChunkBytes = 64 * 1024;

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return qint64(v >> 1) ^ -qint64(v & 1);
}

quint8 *putVarint(quint8 *p, quint64 v)
{
    while (v >= 0x80) {
        *p++ = quint8(v) | 0x80;
        v >>= 7;
    }
    *p++ = quint8(v);
    return p;
}

// The store wrote these bytes itself, so no bounds are checked.
quint64 getVarint(const quint8 *&p)
{
    quint64 v = 0;
    for (int shift = 0;; shift += 7) {
        const quint8 b = *p++;
        v |= quint64(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

} // namespace

TraceEventStore::~TraceEventStore() = default;

void TraceEventStore::push_back(const TraceEvent &e)
{
    quint8 encoded[MaxEventBytes];
    quint8 *p = encoded;
    const quint8 kind = quint8(e.kind);
    if (kind < Escape && e.detail < 16) {
        *p++ = quint8(kind | e.detail << 4);
    } else {
        *p++ = Escape;
        *p++ = kind;
        *p++ = e.detail;
    }
    const quint32 subject = e.subject + 1; // None wraps to 0
    p = putVarint(p, zigzag(qint64(quint64(e.time) - quint64(m_time))));
    p = putVarint(p, zigzag(qint64(subject) - qint64(m_subject)));
    p = putVarint(p, quint32(e.arg + 1));
    const quint32 n = quint32(p - encoded);

    if (m_chunks.empty() || m_chunks.back().capacity - m_chunks.back().used < n) {
        // An event never straddles two chunks; chunks double up to 64 KB.
        const quint32 capacity = m_chunks.empty()
            ? FirstChunkBytes
            : std::min(MaxChunkBytes, 2 * m_chunks.back().capacity);
        m_chunks.push_back(Chunk { std::make_unique<quint8[]>(capacity), capacity, 0 });
    }
    Chunk &chunk = m_chunks.back();
    if (m_size % CheckpointEvery == 0) {
        Cursor c;
        c.m_index = m_size;
        c.m_chunk = quint32(m_chunks.size() - 1);
        c.m_offset = chunk.used;
        c.m_time = m_time;
        c.m_subject = m_subject;
        m_checkpoints.push_back(c);
    }
    std::memcpy(chunk.bytes.get() + chunk.used, encoded, n);
    chunk.used += n;
    m_time = e.time;
    m_subject = subject;
    m_last = e;
    ++m_size;
}

bool TraceEventStore::read(Cursor *cursor, TraceEvent *out) const
{
    if (cursor->m_index >= m_size)
        return false;
    if (cursor->m_offset == m_chunks[cursor->m_chunk].used) {
        ++cursor->m_chunk; // the rest of that chunk had no room for this event
        cursor->m_offset = 0;
    }
    const quint8 *const start = m_chunks[cursor->m_chunk].bytes.get() + cursor->m_offset;
    const quint8 *p = start;
    const quint8 first = *p++;
    if ((first & 0x0F) == Escape) {
        out->kind = EventKind(p[0]);
        out->detail = p[1];
        p += 2;
    } else {
        out->kind = EventKind(first & 0x0F);
        out->detail = first >> 4;
    }
    cursor->m_time = qint64(quint64(cursor->m_time) + quint64(unzigzag(getVarint(p))));
    cursor->m_subject = quint32(qint64(cursor->m_subject) + unzigzag(getVarint(p)));
    out->time = cursor->m_time;
    out->subject = cursor->m_subject - 1;
    out->arg = quint32(getVarint(p)) - 1;
    cursor->m_offset += quint32(p - start);
    ++cursor->m_index;
    return true;
}

TraceEventStore::Cursor TraceEventStore::checkpoint(size_t c) const
{
    return m_checkpoints[c];
}

size_t TraceEventStore::decodeGroup(size_t c, TraceEvent *out) const
{
    Cursor cursor = checkpoint(c);
    const size_t n = std::min(CheckpointEvery, m_size - cursor.m_index);
    for (size_t i = 0; i < n; ++i)
        read(&cursor, out + i);
    return n;
}

TraceEvent TraceEventStore::operator[](size_t i) const
{
    Cursor cursor = checkpoint(i / CheckpointEvery);
    TraceEvent e;
    while (cursor.m_index <= i)
        read(&cursor, &e);
    return e;
}

size_t TraceEventStore::memoryUsage() const
{
    size_t bytes = m_chunks.capacity() * sizeof(Chunk) + m_checkpoints.capacity() * sizeof(Cursor);
    for (const Chunk &c : m_chunks)
        bytes += c.capacity;
    return bytes;
}

} // namespace Lifeline
