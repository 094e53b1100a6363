// SPDX-License-Identifier: MIT
#include "pyerrors.h"

#include "scheduler.h"
#include "task.h"

namespace Lifeline::PyErrors {

ExcId create(Scheduler &s, int type, const QString &message, bool hasMessage, RaiseOrigin origin)
{
    EventLog &log = s.log();
    const ExcId id = log.newException(type, message, hasMessage);
    const Task *t = s.currentTask();
    log.append(s.time(), EventKind::ExceptionRaised, quint32(id), quint32(t ? t->lane() : None),
               quint8(origin));
    return id;
}

void chain(EventLog &log, ExcId value, ExcId handled)
{
    if (handled == None || handled == value)
        return;
    // _PyErr_SetObject: avoid creating a cycle through the context chain.
    ExcId o = handled;
    int guard = 0;
    while (guard++ < 100000) {
        const ExcId context = log.exception(o).context;
        if (context == None)
            break;
        if (context == value) {
            log.exception(o).context = None;
            break;
        }
        o = context;
    }
    log.exception(value).context = handled;
}

bool isInstance(const EventLog &log, ExcId exc, int type)
{
    return exc != None && log.types().isSubclass(log.exception(exc).type, type);
}

bool isCancelled(const EventLog &log, ExcId exc)
{
    return isInstance(log, exc, ExceptionTypes::CancelledError);
}

} // namespace Lifeline::PyErrors
