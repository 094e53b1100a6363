// SPDX-License-Identifier: MIT
#pragma once
// Every exit status `lifeline` gives, in one place: the command line, the GUI module's commands
// and `lifeline trace` return these. README.md ("Exit status"), docs/user-guide.md ("Exit
// status") and `lifeline --help` name them: change them together. Plain ints rather than an
// enum class: they are process statuses, returned from main and compared with a child's wait
// status, and several meanings share 1.

namespace Lifeline::ExitStatus {

constexpr int Ok = 0;
// An exception escaped the program's `main` (run, events on a scenario).
constexpr int Exception = 1;
// `check --lint` found problems.
constexpr int Problems = 1;
// render or demo could not write its image, or the GUI module could not be loaded.
constexpr int CannotWrite = 1;
// An invalid scenario or trace file, or bad usage; also export-python and export-trace when
// OUT cannot be written (render's image is CannotWrite: both as released, kept so).
constexpr int Invalid = 2;
// A trace cut short or corrupt: the command used its valid part.
constexpr int TraceDamaged = 3;
// `lifeline trace` could not trace at all (no Python 3.11+, no tracer, OUT not writable), as
// env(1) and timeout(1) report theirs: apart from the statuses a program usually exits with.
// Otherwise `trace` exits with the program's own status, 128+N when signal N ended it.
constexpr int OwnFailure = 125;

} // namespace Lifeline::ExitStatus
