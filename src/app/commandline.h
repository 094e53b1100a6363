#pragma once
// The `lifeline` command line: parses argv with QCommandLineParser and runs the headless
// subcommands (run, check, events, export-python, export-trace, examples) under a
// QCoreApplication. Commands that paint or open a window are handed to guicommands.h before any
// application object exists. Exit status: 0 ok, 1 an exception escaped main, 2 invalid input.

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
