// SPDX-License-Identifier: MIT
#pragma once
// The command-line entry points that need a GUI (or at least fonts): the window, the guided
// demo and image rendering. They live in the `lifeline-gui` module, which the executable loads
// only for them (GuiModule), so `lifeline run` and the other headless commands never load Qt
// Widgets or Gui: that alone was 4 ms of every run. The dispatcher calls them before any
// application object exists; each creates the one it needs (QApplication only for a window).
// They return the process exit status (exitstatus.h): Ok, CannotWrite, Invalid.

#include <QString>

namespace Lifeline {

struct TraceLaunch;

struct GuiCommands
{
    // `lifeline [FILE|EXAMPLE]`: the main window; empty opens the seed example.
    int (*runGui)(int &argc, char **argv, const QString &fileOrExample);
    // `lifeline demo [--headless] [-o PNG]`: the guided tour in a window, or as text on stdout
    // plus the final timeline as a PNG (default lifeline-demo.png), with no display needed.
    int (*runDemo)(int &argc, char **argv, bool headless, const QString &out);
    // `lifeline render FILE -o out.png|out.svg [--width W]`; width <= 0 picks the default.
    int (*runRender)(int &argc, char **argv, const QString &fileOrExample, const QString &out,
                     int width);
    // `lifeline trace --live [options] PROGRAM [ARGS...]`: the window, tracing the program live
    // with the tracer in `tracerDir`; returns when the window is closed.
    int (*runLiveTrace)(int &argc, char **argv, const TraceLaunch &launch,
                        const QString &tracerDir);
};

} // namespace Lifeline

// The module's one exported symbol.
extern "C" const Lifeline::GuiCommands *lifelineGuiCommands();
#define LIFELINE_GUI_COMMANDS_SYMBOL "lifelineGuiCommands"
