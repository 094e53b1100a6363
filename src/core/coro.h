// SPDX-License-Identifier: MIT
#pragma once
// Co<T>: the lazy C++20 coroutine type every interpreted Python function runs as. Awaiting a Co
// transfers control to it symmetrically and resumes the awaiter when it finishes, so a chain of
// Python calls suspends as a whole when its innermost frame waits on the loop. Python exceptions
// are values (ExcId), never C++ throws: throwing costs ~6× on the engine's hot path.
// Frames come from FramePool.

#include "framepool.h"

#include <coroutine>
#include <cstddef>
#include <exception>
#include <utility>

namespace Lifeline {

template <typename T> class [[nodiscard]] Co
{
public:
    struct promise_type
    {
        T value {};
        std::coroutine_handle<> continuation;

        Co get_return_object()
        {
            return Co(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct FinalAwaiter
        {
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept
            {
                auto next = h.promise().continuation;
                return next ? next : std::noop_coroutine();
            }
            void await_resume() noexcept { }
        };
        FinalAwaiter final_suspend() noexcept { return {}; }
        void return_value(T v) { value = std::move(v); }
        void unhandled_exception() { std::terminate(); }
        static void *operator new(std::size_t n) { return FramePool::allocate(n); }
        static void operator delete(void *p, std::size_t n) { FramePool::deallocate(p, n); }
    };
    using Handle = std::coroutine_handle<promise_type>;

    Co() = default;
    explicit Co(Handle h)
        : m_h(h)
    {
    }
    Co(Co &&o) noexcept
        : m_h(std::exchange(o.m_h, {}))
    {
    }
    Co &operator=(Co &&o) noexcept
    {
        if (this != &o) {
            reset();
            m_h = std::exchange(o.m_h, {});
        }
        return *this;
    }
    Co(const Co &) = delete;
    ~Co() { reset(); }

    void reset()
    {
        if (m_h)
            m_h.destroy();
        m_h = {};
    }
    Handle handle() const { return m_h; }
    bool done() const { return !m_h || m_h.done(); }
    T &result() { return m_h.promise().value; }

    // Awaiting runs the coroutine now and resumes the awaiter with its result.
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept
    {
        m_h.promise().continuation = caller;
        return m_h;
    }
    T await_resume() { return std::move(m_h.promise().value); }

private:
    Handle m_h;
};

} // namespace Lifeline
