// SPDX-License-Identifier: MIT
#pragma once
// An async generator frame (the body of an @asynccontextmanager function) as a C++ coroutine
// that can stop at `co_yield` and be resumed by anext() / athrow() / aclose(), while its own
// awaits (a phase's sleep) suspend the whole task as usual. Values are not modelled: a yield
// produces nothing but the fact that it happened.

#include "coro.h"
#include "eventlog.h"
#include "task.h"

#include <coroutine>
#include <utility>

namespace Lifeline {

class AsyncGenerator
{
public:
    enum class Status : quint8 { Created, Running, Suspended, Finished };

    struct promise_type
    {
        std::coroutine_handle<> continuation;
        ExcId thrown = None; // what the resumer throws in at the yield
        ExcId result = None; // exception the frame ended with; None = StopAsyncIteration
        Status status = Status::Created;
        // While Running: the task resuming it, and that task's frame depth in the generator.
        Task *driver = nullptr;
        int driverDepth = 0;

        AsyncGenerator get_return_object()
        {
            return AsyncGenerator(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct Transfer
        {
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept
            {
                auto next = h.promise().continuation;
                return next ? next : std::noop_coroutine();
            }
            ExcId await_resume() noexcept
            {
                return m_promise ? std::exchange(m_promise->thrown, None) : None;
            }
            promise_type *m_promise = nullptr;
        };
        // `co_yield 0` suspends back to the resumer and evaluates to what it throws in next.
        Transfer yield_value(int)
        {
            status = Status::Suspended;
            return Transfer { this };
        }
        Transfer final_suspend() noexcept
        {
            status = Status::Finished;
            return Transfer { nullptr };
        }
        void return_value(ExcId exc) { result = exc; }
        void unhandled_exception() { std::terminate(); }
        static void *operator new(std::size_t n) { return FramePool::allocate(n); }
        static void operator delete(void *p, std::size_t n) { FramePool::deallocate(p, n); }
    };
    using Handle = std::coroutine_handle<promise_type>;

    AsyncGenerator() = default;
    explicit AsyncGenerator(Handle h)
        : m_h(h)
    {
    }
    AsyncGenerator(AsyncGenerator &&o) noexcept
        : m_h(std::exchange(o.m_h, {}))
    {
    }
    AsyncGenerator &operator=(AsyncGenerator &&o) noexcept
    {
        std::swap(m_h, o.m_h);
        return *this;
    }
    ~AsyncGenerator()
    {
        if (m_h)
            m_h.destroy();
    }

    Status status() const { return m_h ? m_h.promise().status : Status::Finished; }
    // Running inside `task`: the task waits somewhere in this generator's frame.
    bool isRunningIn(const Task *task) const
    {
        return status() == Status::Running && m_h.promise().driver == task;
    }
    // Closes the coroutine of the task running this generator (see Task::closeCoroutine()).
    void closeDriver() const
    {
        const promise_type &p = m_h.promise();
        p.driver->closeCoroutine(p.continuation, p.driverDepth);
    }

    // What one resumption produced.
    struct Outcome
    {
        bool yielded = false;
        ExcId exception = None; // when it finished: None means StopAsyncIteration
    };

    // Awaitable: resume the frame (throwing `exc` in at its yield when given) until it yields
    // or finishes.
    class Resume
    {
    public:
        Resume(Handle h, Task *driver, ExcId exc)
            : m_h(h)
            , m_driver(driver)
            , m_exc(exc)
        {
        }
        // An exhausted or closed generator is not resumed: anext() and athrow() on it raise
        // StopAsyncIteration (an Outcome with no exception).
        bool await_ready() const noexcept { return !m_h || m_h.done(); }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept
        {
            promise_type &p = m_h.promise();
            p.continuation = caller;
            p.thrown = m_exc;
            p.status = Status::Running;
            p.driver = m_driver;
            p.driverDepth = m_driver->depth();
            return m_h;
        }
        Outcome await_resume() noexcept
        {
            if (!m_h)
                return { false, None };
            const promise_type &p = m_h.promise();
            // Still running: the awaiting coroutine is being closed (closeDriver()), and the
            // awaitable raises what was thrown in without resuming the generator.
            if (p.status == Status::Running)
                return { false, m_driver->takeThrown() };
            if (p.status == Status::Suspended)
                return { true, None };
            if (p.status == Status::Finished && m_wasDone)
                return { false, None };
            return { false, p.result };
        }

    private:
        Handle m_h;
        Task *m_driver;
        ExcId m_exc;
        bool m_wasDone = !m_h || m_h.done();
    };
    // `driver` is the task awaiting this: the one the generator then runs in.
    Resume resume(Task *driver, ExcId throwIn = None) { return Resume(m_h, driver, throwIn); }

private:
    Handle m_h;
};

} // namespace Lifeline
