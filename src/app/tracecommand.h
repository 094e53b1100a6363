// SPDX-License-Identifier: MIT
#pragma once
// `lifeline trace [options] PROGRAM.py [ARGS...]` (or `-m MODULE`): runs a real Python program
// under the tracer (src/tracer, installed as share/lifeline/tracer beside the executable's
// bin/), with stdin, stdout, stderr, working directory and environment untouched, then appends
// the END record saying how it ended. It writes nothing to stdout and exits as the program did
// (128+N for signal N); its own failures (no suitable Python, no tracer, OUT not writable, a
// missing program, bad usage) exit 125. Works on argv's bytes, so arguments pass unchanged.
// With `--live` it hands the program to the window (GuiCommands::runLiveTrace), which runs it
// and shows its lifecycles as they happen. The tracer's command line is TraceLaunch's.

namespace Lifeline {

class TraceCommand
{
public:
    // argv[0] is the executable, argv[1] `trace`.
    static int run(int argc, char **argv);
};

} // namespace Lifeline
