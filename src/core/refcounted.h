// SPDX-License-Identifier: MIT
#pragma once
// Intrusive, single-threaded reference counting for the engine's futures and callback targets.
// One run lives on one thread, so the count is a plain int (an atomic would cost on every
// callback of a million-task run). Mirrors CPython's ownership: a scheduled callback keeps its
// target alive, exactly as a Handle keeps its arguments alive.

#include "coro.h"

#include <cstddef>
#include <utility>

namespace Lifeline {

class RefCounted
{
public:
    RefCounted() = default;
    RefCounted(const RefCounted &) = delete;
    RefCounted &operator=(const RefCounted &) = delete;
    virtual ~RefCounted() = default;

    // Tasks and futures come and go by the million: take them from the frame pool too.
    static void *operator new(std::size_t n) { return FramePool::allocate(n); }
    static void operator delete(void *p, std::size_t n) { FramePool::deallocate(p, n); }

    void ref() { ++m_refs; }
    void deref()
    {
        if (--m_refs == 0)
            delete this;
    }

private:
    int m_refs = 0;
};

template <typename T> class Ref
{
public:
    Ref() = default;
    Ref(T *p)
        : m_p(p)
    {
        if (m_p)
            m_p->ref();
    }
    Ref(const Ref &o)
        : m_p(o.m_p)
    {
        if (m_p)
            m_p->ref();
    }
    Ref(Ref &&o) noexcept
        : m_p(std::exchange(o.m_p, nullptr))
    {
    }
    ~Ref()
    {
        if (m_p)
            m_p->deref();
    }
    Ref &operator=(Ref o) noexcept
    {
        std::swap(m_p, o.m_p);
        return *this;
    }
    T *get() const { return m_p; }
    T *operator->() const { return m_p; }
    T &operator*() const { return *m_p; }
    explicit operator bool() const { return m_p != nullptr; }

private:
    T *m_p = nullptr;
};

} // namespace Lifeline
