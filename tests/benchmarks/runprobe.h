// SPDX-License-Identifier: MIT
#pragma once
// Measures one scenario run from inside a process (the engine benchmark starts it as a child of
// itself, `bench_engine --probe FILE`, so each figure has a process of its own): load time, run
// time, the event log's size and span count, and the run's own peak memory above the loaded
// scenario. The run is ScenarioRun::runToEnd(), the log recorded exactly as `lifeline run` does.
// It reports figures; judging them against goals is the caller's business.

#include <QString>

namespace Lifeline {

class EventLog;

class RunProbe
{
public:
    struct Figures
    {
        double loadSeconds = 0;
        double runSeconds = 0;
        qint64 events = 0;
        qint64 spans = 0; // what the timeline draws: phase spans plus one per task lane
        qint64 logBytes = 0; // EventLog::memoryUsage() at the end of the run
        qint64 loadedKb = 0; // resident after loading (and trimming the loader's garbage)
        qint64 peakKb = 0; // resident high-water mark while running; 0 when unmeasurable
        bool ok = false;
    };

    // Loads and runs FILE in this process.
    static Figures measure(const QString &file);
    static qint64 countSpans(const EventLog &log);

    // The one line a probe child prints, and its parsing in the parent.
    static QString toLine(const Figures &f);
    static Figures fromLine(const QString &line);
};

} // namespace Lifeline
