// SPDX-License-Identifier: MIT
#pragma once
// A trace's events, kept for as long as the trace is open, a few bytes each. A replay appends
// them to its own EventLog one step at a time, so the recording holds every event a second
// time: as 24-byte TraceEvents that was 240 MB beside a 10M-event log's 160. Here an event is
// stored as its differences from the one before: a byte of kind and detail, then varints of
// the time's step, the subject's step and arg + 1, 4 bytes for each event of a traced
// lifecycle. Read forwards with a Cursor (a replay, a live trace's as it grows); operator[]
// decodes from the nearest checkpoint (one every 64 events) for a look back. Append-only.

#include "eventlog.h"

#include <QtGlobal>

#include <memory>
#include <optional>
#include <vector>

namespace Lifeline {

// An EVENT record with its time summed: subject and arg as the event log keeps them (None is
// 0xFFFFFFFF), so they go into an EventLog unchanged.
struct TraceEvent
{
    qint64 time = 0; // nanoseconds from 0 (the clock META key says whose)
    EventKind kind = EventKind::TaskCreated;
    quint8 detail = 0;
    quint32 subject = quint32(None);
    quint32 arg = quint32(None);

    bool operator==(const TraceEvent &) const = default;
};

class TraceEventStore
{
public:
    // A place between two events: read() decodes the one after it. It stays valid while the
    // store grows, so a reader at the end goes on once more is appended.
    class Cursor
    {
    public:
        size_t index() const { return m_index; } // of the next event to read
    private:
        friend class TraceEventStore;
        size_t m_index = 0;
        quint32 m_chunk = 0;
        quint32 m_offset = 0;
        qint64 m_time = 0; // the event before's: the differences count from it
        quint32 m_subject = 0; // subject + 1
    };

    TraceEventStore() = default;
    TraceEventStore(TraceEventStore &&) noexcept = default;
    TraceEventStore &operator=(TraceEventStore &&) noexcept = default;
    ~TraceEventStore();

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    void push_back(const TraceEvent &e);
    // Decodes the event at `cursor` and moves it on; false at the end.
    bool read(Cursor *cursor, TraceEvent *out) const;
    // Event i, decoded from the checkpoint before it (at most 63 events read).
    TraceEvent operator[](size_t i) const;
    TraceEvent back() const { return m_last; }
    // The last event `matches` says yes to, read backwards a checkpoint's events at a time.
    template <typename F> std::optional<TraceEvent> findLast(F &&matches) const
    {
        TraceEvent group[CheckpointEvery];
        for (size_t c = m_checkpoints.size(); c-- > 0;) {
            const size_t n = decodeGroup(c, group);
            for (size_t i = n; i-- > 0;) {
                if (matches(group[i]))
                    return group[i];
            }
        }
        return std::nullopt;
    }
    size_t memoryUsage() const;
    void clear() { *this = TraceEventStore(); }

    static constexpr size_t CheckpointEvery = 64;

private:
    struct Chunk
    {
        std::unique_ptr<quint8[]> bytes;
        quint32 capacity = 0;
        quint32 used = 0;
    };
    // Where checkpoint c's first event is, and the state before it.
    Cursor checkpoint(size_t c) const;
    size_t decodeGroup(size_t c, TraceEvent *out) const;

    std::vector<Chunk> m_chunks;
    std::vector<Cursor> m_checkpoints; // before events 0, 64, 128, ...
    size_t m_size = 0;
    qint64 m_time = 0; // the last event's, for the next difference
    quint32 m_subject = 0;
    TraceEvent m_last;
};

} // namespace Lifeline
