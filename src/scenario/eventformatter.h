// SPDX-License-Identifier: MIT
#pragma once
// One event of a log as `lifeline events` prints it: a line of text naming lanes and exceptions
// the way Python would (repr), or one JSON object. Reads the log only; captions that explain an
// event in a sentence are EventCaption's job.

#include "eventlog.h"

#include <QJsonObject>
#include <QString>
#include <QVariant>

namespace Lifeline {

class EventFormatter
{
public:
    static QString describe(const EventLog &log, size_t index);
    static QJsonObject toJson(const EventLog &log, size_t index);
    // A time of the log in milliseconds, exactly: `12` for a scenario; for a traced program's
    // nanoseconds the shortest decimal (`12.5`, `0.000123`), whole when it is.
    static QString milliseconds(const EventLog &log, qint64 ticks);
    static QString milliseconds(qint64 ticks, qint64 ticksPerMs);
    // A time as the window's tables show it: a scenario's whole milliseconds as a number (so
    // it sorts and aligns as one), a traced program's milliseconds to the microsecond.
    static QVariant tableMilliseconds(const EventLog &log, qint64 ticks);
    // TaskAwaits and TaskJoined: what the task waits on or joins, as printed (`sleep(0.1)`,
    // `gather #1`, a task's or TaskGroup's lane name); and whether that is a lane.
    static QString target(const EventLog &log, const Event &e);
    static bool targetIsLane(const Event &e);
};

} // namespace Lifeline
