// SPDX-License-Identifier: MIT
#pragma once
// asyncio's event loop on a virtual clock: a FIFO ready queue, timers ordered by (due time,
// order set), and BaseEventLoop._run_once's pass structure (a pass runs only the callbacks that
// were ready when it began; due timers join the back of the queue). Time is whole milliseconds
// and jumps to the next timer when nothing is ready. The scheduler never waits by itself: a
// driver (ScenarioRun) calls step() from a QTimer, in slices, or in a tight loop.

#include "eventlog.h"
#include "readyqueue.h"
#include "refcounted.h"
#include "timerqueue.h"

#include <QDeadlineTimer>

#include <unordered_map>
#include <vector>

namespace Lifeline {

class Future;
class Task;

class Scheduler
{
public:
    // A loop callback: fn(target, argument, number). Both pointers are kept alive while queued.
    using Callback = void (*)(RefCounted *target, RefCounted *arg, qint32 number);
    struct DoneCallback
    {
        Callback fn;
        Ref<RefCounted> target;
    };

    struct HandleRef
    {
        quint32 index = ~0u;
        quint32 generation = 0;
        bool isValid() const { return index != ~0u; }
    };

    explicit Scheduler(EventLog &log);
    ~Scheduler();

    EventLog &log() { return m_log; }
    qint64 time() const { return m_now; }

    HandleRef callSoon(Callback fn, RefCounted *target, RefCounted *arg = nullptr,
                       qint32 number = 0);
    HandleRef callLater(qint64 delayMs, Callback fn, RefCounted *target, RefCounted *arg = nullptr,
                        qint32 number = 0);
    HandleRef callAt(qint64 when, Callback fn, RefCounted *target, RefCounted *arg = nullptr,
                     qint32 number = 0);
    void cancel(HandleRef handle);

    enum class Next { RunCallback, AdvanceClock, StartPass, Stopped, Idle };
    // What step() would do next; for AdvanceClock, *when is the due time of the next timer.
    Next next(qint64 *when = nullptr);
    // Does the one next thing: runs one callback, or begins a pass (jumping the clock when the
    // ready queue is empty). Returns false when there is nothing left at all (Idle) or when a
    // stop() request ended run_forever (Stopped; cleared by this call).
    bool step();
    // stop(): like loop.stop(): the current pass finishes, then step() reports Stopped.
    void stop() { m_stopping = true; }
    bool isStopping() const { return m_stopping; }
    // loop.close(): the queue and the timers are dropped; awaiting anything afterwards fails.
    void close();
    bool isClosed() const { return m_closed; }

    // The host's slice (ScenarioRun's few milliseconds of a GUI frame): a long callback (a
    // gather creating a quarter of a million tasks) checks hostSliceSpent() now and then and,
    // when it is, suspends its task for the host (HostYield); the next step() resumes that
    // task before anything else, so the program cannot tell. Forever by default.
    void setHostDeadline(QDeadlineTimer deadline) { m_hostDeadline = deadline; }
    bool hostSliceSpent() const { return m_hostDeadline.hasExpired(); }
    void setContinuation(Task *t);

    // A task about to sleep until `when` while nothing else is ready (the pass's callbacks are
    // in the ready queue too) and no other timer is due by then would see its timer fire, a
    // pass end, its wakeup queued and run, and nothing else in between: jumpClockTo() does all
    // that at once and says so, when the driver lets the clock run free (not in real-time
    // play, which paces the jumps) and the host's slice is not spent (Task::sleepInPlace).
    void setClockRunsFree(bool on) { m_clockRunsFree = on; }
    bool jumpClockTo(qint64 when)
    {
        if (!m_clockRunsFree || !m_ready.empty() || m_continuation || m_stopping || m_closed
            || (!m_timers.isEmpty() && m_timers.frontWhen() <= when) || hostSliceSpent())
            return false;
        m_now = when;
        ++m_clockJumps;
        return true;
    }
    int clockJumps() const { return m_clockJumps; }
    int hostYields() const { return m_hostYields; }

    Task *currentTask() const { return m_current; }
    void setCurrentTask(Task *t) { m_current = t; }

    // Not-done tasks in creation order (asyncio.all_tasks, made deterministic).
    void registerTask(Task *t);
    void unregisterTask(Task *t);
    std::vector<Task *> liveTasks() const;
    int nextTaskOrdinal() { return ++m_taskOrdinal; }

    size_t readyCount() const { return m_ready.size(); }
    size_t timerCount() const { return m_timers.size(); }

private:
    friend class Future;
    friend class Task;

    // A queued callback is one 8-byte entry: a handle's index, or a task or future with one of
    // its own callbacks, which need no handle (a million tasks each have one queued at once in
    // the largest runs, and a handle is 32 bytes). The low 3 bits say which; tasks and futures
    // are at least 8-byte aligned (FramePool), so the pointer keeps the rest.
    using Entry = quint64;
    enum EntryTag : quint64 {
        CancelledTimer = 0, // a task's sleep timer cancelled in the timer queue (TimerQueue::clear)
        HandleEntry = 1, // the handle's index above the tag
        TaskStep = 2, // Task.__step() with no exception: its first step, or after a bare yield
        TaskSleepTimer = 3, // the timer of a sleep the task stands in for (Task::suspendOnSleep)
        TaskSleepWakeup = 4, // __wakeup on that sleep's future
        FutureFirstCallback = 5, // the first done callback a future keeps inline
    };
    static constexpr int TagBits = 3;
    static constexpr Entry TagMask = (1 << TagBits) - 1;
    // The task's own callbacks: the entry holds a reference to the task.
    void callSoon(Task *task, EntryTag callback);
    TimerQueue::Position callLater(Task *task, qint64 delayMs);
    void callFirstDoneCallback(Future *future);
    // A sleep timer still in the timer queue (the task knows, Task::m_sleepTimerQueued).
    void cancelTimer(TimerQueue::Position timer);
    static Task *taskOf(Entry entry)
    {
        return reinterpret_cast<Task *>(quintptr(entry & ~TagMask));
    }
    static Future *futureOf(Entry entry)
    {
        return reinterpret_cast<Future *>(quintptr(entry & ~TagMask));
    }
    void run(Entry entry);
    void release(Entry entry);
    bool isCancelled(Entry entry) const
    {
        return entry == CancelledTimer
            || ((entry & TagMask) == HandleEntry && m_handles[entry >> TagBits].cancelled);
    }

    // A callback that is not a task's or future's own (those need none: Entry): its function,
    // target and argument, and the generation a HandleRef must match to cancel it. 32 bytes.
    struct Handle
    {
        Callback fn = nullptr;
        RefCounted *target = nullptr;
        RefCounted *arg = nullptr;
        union
        {
            qint32 number = 0; // in use
            quint32 nextFree; // on the free list
        };
        quint32 generation : 31 = 0;
        quint32 cancelled : 1 = 0;
    };
    static_assert(sizeof(void *) != 8 || sizeof(Handle) == 32);
    quint32 allocHandle(Callback fn, RefCounted *target, RefCounted *arg, qint32 number);
    void releaseHandle(quint32 index);
    void beginPass();

    EventLog &m_log;
    qint64 m_now = 0;
    std::vector<Handle> m_handles;
    quint32 m_freeHandle = ~0u;
    ReadyQueue m_ready;
    TimerQueue m_timers;
    size_t m_passRemaining = 0;
    bool m_moving = false; // beginPass() gave the host a turn before all due timers were ready
    bool m_stopping = false;
    bool m_closed = false;
    bool m_clockRunsFree = false;
    int m_clockJumps = 0;
    Task *m_current = nullptr;
    Ref<Task> m_continuation; // suspended for the host mid-callback; runs next
    QDeadlineTimer m_hostDeadline { QDeadlineTimer::Forever };
    int m_hostYields = 0;
    // The done callbacks of futures that have more than one, past the first (Future).
    std::unordered_map<const RefCounted *, std::vector<DoneCallback>> m_moreCallbacks;
    Task *m_firstLive = nullptr;
    Task *m_lastLive = nullptr;
    int m_taskOrdinal = 0;
};

} // namespace Lifeline
