// SPDX-License-Identifier: MIT
#pragma once
// Writes an event log as Chrome Trace Event Format JSON (chrome://tracing, Perfetto, Speedscope):
// instances become async tracks with their phases nested, tasks become complete slices, exceptions
// instant events joined by flow arrows along their hop path. The mapping is in README.md, "Trace
// export". Reads only the log; one virtual millisecond is 1000 µs of `ts`.

#include "eventlog.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

namespace Lifeline {

class TraceExporter
{
public:
    // `events` limits the export to a prefix of the log (-1: all of it).
    static QJsonArray traceEvents(const EventLog &log, const QString &title, qsizetype events = -1);
    static QByteArray toJson(const EventLog &log, const QString &title, qsizetype events = -1);
    // False with `error` set when the file cannot be written.
    static bool writeFile(const EventLog &log, const QString &title, const QString &path,
                          QString *error = nullptr);
};

} // namespace Lifeline
