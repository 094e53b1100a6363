// SPDX-License-Identifier: MIT
#pragma once
// Parses the bytes of a .lltrace file (docs/trace-format.md) into a TraceRecording. Built to be
// fed anything (it is fuzzed): every number, length and id is checked against the bytes left and
// against what is defined so far, so it never reads past the end, allocates more than the file's
// size allows, or loops; the first bad record ends the reading and every record before it is
// kept. It never builds an event log or a Scenario (TraceReplay and TraceScenario do).
//
// A file still being written (a live trace) is read as it grows: append() what the writer added,
// readSome() reads the records that are whole, within a deadline, and leaves a record cut at the
// end of what was appended for later: "not yet", not an error, until finish() says the writer is
// done. The whole file read at once or fed in any chunks gives the same recording.

#include "tracerecording.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDeadlineTimer>
#include <QLatin1StringView>

#include <memory>

namespace Lifeline {

class TraceReader
{
public:
    // The version written, and the oldest read: version 2 added the TaskAwaits and TaskJoined
    // events (an older reader refuses a version-2 file as newer rather than as corrupt).
    static constexpr int FormatVersion = 2;
    static constexpr int OldestFormatVersion = 1;
    static constexpr qsizetype HeaderSize = 12; // magic, version, three reserved bytes
    // Times fit an EVENTS block's 56 bits: 2.3 years of nanoseconds, or 72 billion virtual
    // milliseconds (a scenario's sleeps go up to a billion each).
    static constexpr qint64 MaxTime = (qint64(1) << 56) - 1;

    // The 8 magic bytes, `\x89LLTRACE`.
    static QByteArrayView magic();
    // Whether `bytes` begin with the magic: a trace (perhaps a bad one), whatever its name.
    static bool isTrace(QByteArrayView bytes);
    // A whole file.
    static TraceRecording read(QByteArrayView bytes);
    // The name of the record a tag starts (`EVENT` for 0x01), empty for a tag it does not know.
    static QLatin1StringView recordName(quint8 tag);

    // Reads a growing file into `recording`, which must outlive the reader and which only the
    // reader adds to (others may read it between two calls).
    explicit TraceReader(TraceRecording *recording);
    ~TraceReader();
    TraceReader(const TraceReader &) = delete;
    TraceReader &operator=(const TraceReader &) = delete;

    // The bytes the writer appended since the last call; kept until their records are read.
    void append(QByteArrayView bytes);
    // Reads the whole records appended so far until `deadline`; true when it caught up (every
    // record left is cut, or none is left), false when the deadline stopped it first.
    bool readSome(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    // The writer is done: what was appended is all there is, so a cut record or a missing END is
    // the error read() would report. Reads on until `deadline`; true once done.
    bool finish(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));
    bool isFinished() const;
    // The file offset where the next record starts: the end of the last whole one read.
    qint64 offset() const;
    // Appended and not read yet: a record cut short, or what a deadline left.
    qsizetype pending() const;
    // A bad record ended the reading (the recording's error says which): nothing after it is
    // read. Bytes appended after an END record are such a record.
    bool isStopped() const;

    // What reading keeps between two calls (tracereader.cpp); public only so that the parser
    // there can name it.
    struct State;

private:
    std::unique_ptr<State> m_state;
};

} // namespace Lifeline
