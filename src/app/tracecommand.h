#pragma once
// `lifeline trace [options] PROGRAM.py [ARGS...]` (or `-m MODULE`): runs a real Python program
// under the tracer (src/tracer, installed as share/lifeline/tracer beside the executable's
// bin/), with stdin, stdout, stderr, working directory and environment untouched, then appends
// the END record saying how it ended. It writes nothing to stdout and exits as the program did
// (128+N for signal N); its own failures (no suitable Python, no tracer, OUT not writable, a
// missing program, bad usage) exit 125. Works on argv's bytes, so arguments pass unchanged.

#include <QString>
#include <QStringList>

namespace Lifeline {

class TraceCommand
{
public:
    // argv[0] is the executable, argv[1] `trace`.
    static int run(int argc, char **argv);
    // Where the tracer's lifeline_trace.py is, relative to the executable's directory: the
    // installed `../share/lifeline/tracer`, then the build tree's `../../share/lifeline/tracer`.
    // Empty when neither holds it; `searched` gets the directories looked in.
    static QString tracerDirectory(const QString &executableDir, QStringList *searched = nullptr);
    // OUT when -o is not given: PROGRAM with `.py` replaced by `.lltrace`, or `MODULE.lltrace`.
    static QString defaultOutput(const QString &programOrModule, bool isModule);
};

} // namespace Lifeline
