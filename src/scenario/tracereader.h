#pragma once
// Parses the bytes of a .lltrace file (docs/trace-format.md) into a TraceRecording. Built to be
// fed anything (it is fuzzed): every number, length and id is checked against the bytes left and
// against what is defined so far, so it never reads past the end, allocates more than the file's
// size allows, or loops; the first bad record ends the reading and every record before it is
// kept. It never builds an event log or a Scenario (TraceReplay and TraceScenario do).

#include "tracerecording.h"

#include <QByteArrayView>
#include <QLatin1StringView>

namespace Lifeline {

class TraceReader
{
public:
    static constexpr int FormatVersion = 1;
    static constexpr qsizetype HeaderSize = 12; // magic, version, three reserved bytes
    // Times fit an EVENTS block's 56 bits: 2.3 years of nanoseconds, or 72 billion virtual
    // milliseconds (a scenario's sleeps go up to a billion each).
    static constexpr qint64 MaxTime = (qint64(1) << 56) - 1;

    // The 8 magic bytes, `\x89LLTRACE`.
    static QByteArrayView magic();
    // Whether `bytes` begin with the magic: a trace (perhaps a bad one), whatever its name.
    static bool isTrace(QByteArrayView bytes);
    static TraceRecording read(QByteArrayView bytes);
    // The name of the record a tag starts (`EVENT` for 0x01), empty for a tag it does not know.
    static QLatin1StringView recordName(quint8 tag);
};

} // namespace Lifeline
