// SPDX-License-Identifier: MIT
#include "fuzzcheck.h"

#include "eventcaption.h"
#include "eventformatter.h"
#include "pythonexporter.h"
#include "scenario.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "traceexporter.h"
#include "tracereader.h"
#include "tracerecording.h"
#include "tracereplay.h"
#include "tracescenario.h"

#include <QByteArray>

namespace Lifeline {

namespace {

constexpr size_t RunEvents = 2000;

bool hasControl(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f))
            return true;
    }
    return false;
}

// Where two readings of one file differ, or empty.
QString difference(const TraceRecording &a, const TraceRecording &b)
{
    if (a.error.kind != b.error.kind || a.error.offset != b.error.offset
        || a.error.message != b.error.message)
        return QLatin1String("error: ") + a.error.toString() + QLatin1String(" vs ")
            + b.error.toString();
    if (a.version != b.version || a.strings != b.strings || a.types.size() != b.types.size()
        || a.exceptions.size() != b.exceptions.size() || a.links.size() != b.links.size()
        || a.groups != b.groups || a.lanes.size() != b.lanes.size()
        || a.prints.size() != b.prints.size() || a.meta != b.meta
        || a.sources.size() != b.sources.size() || a.locations.size() != b.locations.size()
        || a.eventLocations != b.eventLocations)
        return QStringLiteral("definitions");
    if (a.events.size() != b.events.size())
        return QStringLiteral("event count: %1 vs %2").arg(a.events.size()).arg(b.events.size());
    for (size_t i = 0; i < a.events.size(); ++i) {
        const TraceEvent &x = a.events[i], &y = b.events[i];
        if (x.time != y.time || x.kind != y.kind || x.detail != y.detail || x.subject != y.subject
            || x.arg != y.arg)
            return QStringLiteral("event %1").arg(i);
    }
    if (a.end.has_value() != b.end.has_value()
        || (a.end && (a.end->how != b.end->how || a.end->status != b.end->status)))
        return QStringLiteral("END");
    return {};
}

// What `lifeline events` (text and --json), the window's captions and `export-trace` make of
// every event of a log: each looks up the lanes, exceptions and prints the events name.
void describeAll(const EventLog &log, const Scenario &scenario)
{
    const EventCaption captions(&log, &scenario);
    for (size_t i = 0; i < log.count(); ++i) {
        EventFormatter::describe(log, i);
        EventFormatter::toJson(log, i);
        captions.caption(i);
    }
    TraceExporter::toJson(log, scenario.title);
}

} // namespace

QString FuzzCheck::scenario(QByteArrayView bytes)
{
    // A copy, as QFile::readAll() gives the loader: its own, null-terminated buffer.
    const QByteArray copy = bytes.toByteArray();
    std::vector<Diagnostic> problems;
    const auto loaded = ScenarioLoader::fromData(copy, QStringLiteral("fuzz.json"), &problems);
    if (!loaded && problems.empty())
        return QStringLiteral("refused with no diagnostic");
    for (const Diagnostic &d : problems) {
        if (hasControl(d.toString()))
            return QLatin1String("a control character in: ") + Diagnostic::escaped(d.toString());
    }
    if (!loaded || loaded->trace)
        return {}; // a trace's replay is trace()'s part
    // What trusts the loader's Scenario: export-python, and a run (its first events only, so that
    // an input runs in milliseconds) with every event described.
    PythonExporter::exportScenario(*loaded);
    ScenarioRun run(loaded);
    run.setRecordSteps(true);
    run.runUntilEvents(RunEvents);
    describeAll(run.log(), *loaded);
    return {};
}

QString FuzzCheck::trace(QByteArrayView bytes)
{
    const TraceRecording whole = TraceReader::read(bytes);

    // Chunk lengths from a hash of the input (FNV-1a, then an LCG), so that each input has its
    // own split points and a failing one splits the same way again.
    quint64 state = 1469598103934665603ull;
    for (const char c : bytes)
        state = (state ^ quint8(c)) * 1099511628211ull;
    TraceRecording grown;
    {
        TraceReader reader(&grown);
        qsizetype at = 0;
        while (at < bytes.size()) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            const qsizetype chunk = qsizetype((state >> 33) % quint64(bytes.size() / 3 + 2)) + 1;
            const qsizetype n = std::min(chunk, bytes.size() - at);
            reader.append(bytes.sliced(at, n));
            reader.readSome();
            at += n;
        }
        reader.finish();
    }
    const QString differs = difference(whole, grown);
    if (!differs.isEmpty())
        return QLatin1String("read whole and in chunks, it differs: ") + differs;

    std::vector<Diagnostic> problems;
    const auto opened = TraceScenario::fromData(bytes, QStringLiteral("fuzz.lltrace"), &problems);
    if (!opened)
        return problems.empty() ? QStringLiteral("refused with no diagnostic") : QString();
    TraceReplay replay(opened);
    replay.runToEnd();
    if (!replay.isFinished())
        return QStringLiteral("the replay did not finish");
    const EventLog &log = replay.log();
    if (log.count() != whole.events.size())
        return QStringLiteral("the replay logged %1 events of %2")
            .arg(log.count())
            .arg(whole.events.size());
    describeAll(log, *opened);
    return {};
}

} // namespace Lifeline
