// SPDX-License-Identifier: MIT
#pragma once
// Python's exception plumbing as the engine needs it: creating exception objects (recorded in
// the event log), implicit chaining exactly as CPython's _PyErr_SetObject does it, and
// isinstance checks. Free functions over the log; no state of their own.

#include "eventlog.h"

namespace Lifeline {

class Scheduler;

namespace PyErrors {

// A new exception object, logged as raised at the current time on the current task's lane.
ExcId create(Scheduler &s, int type, const QString &message, bool hasMessage, RaiseOrigin origin);
// value.__context__ = handled, cutting `value` out of handled's chain first (no cycles).
void chain(EventLog &log, ExcId value, ExcId handled);
bool isInstance(const EventLog &log, ExcId exc, int type);
// asyncio.CancelledError or a subclass of it.
bool isCancelled(const EventLog &log, ExcId exc);

} // namespace PyErrors
} // namespace Lifeline
