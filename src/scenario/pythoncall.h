// SPDX-License-Identifier: MIT
#pragma once
// The calls of an exported program that make an instance lane, written once for the two places
// that show them: the program's source (PythonExporter) and the lane's label in the event log
// (Interpreter). A lane then always names the call the program makes, as the tracer records it
// from the running program: NAME(ARGS), each argument as its repr() (the lane rule of
// docs/events.md, "Lanes"). Knows nothing about runs.

#include <QString>

namespace Lifeline {

class PythonCall
{
public:
    // A resource's class or function called with its `arg`: `Name("x")` in source, `Name('x')`
    // as a label; `Name()` in both when `arg` is empty (the parameter's default, `arg=""`,
    // keeps `{arg}` working). `name` is the exported one (PythonNamePlan::resources()).
    static QString resourceSource(const QString &name, const QString &arg);
    static QString resourceLabel(const QString &name, const QString &arg);
    // `timeout(0.15)`: asyncio.timeout given `ms` as the seconds the program writes, whose
    // repr() is that same text. Source and label alike; the source puts `asyncio.` before it.
    static QString timeout(qint64 ms);
    // `TaskGroup()`, likewise.
    static QString taskGroup();

private:
    enum class Quoting : quint8 { Source, Label };
    static QString resource(const QString &name, const QString &arg, Quoting quoting);
    static QString call(const QString &name, const QString &argument);
};

} // namespace Lifeline
