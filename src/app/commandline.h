// SPDX-License-Identifier: MIT
#pragma once
// The `lifeline` command line: parses argv with QCommandLineParser and runs the headless
// subcommands (run, check, events, export-python, export-trace, examples) under a
// QCoreApplication. Commands that paint or open a window are handed to guicommands.h before any
// application object exists. Its exit statuses are exitstatus.h's; loading and reporting are
// CommandSupport's, shared with the GUI module.

#include <QStringList>

namespace Lifeline {

class CommandLine
{
public:
    // The whole program: returns the process exit status.
    static int main(int argc, char **argv);
    static QStringList subcommands();
};

} // namespace Lifeline
