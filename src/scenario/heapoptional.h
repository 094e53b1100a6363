// SPDX-License-Identifier: MIT
#pragma once
// An optional value kept on the heap: one pointer, where std::optional costs the value's whole
// size. For fields most instances leave empty (a Step's rare parts: only `raise`, a failing
// `execute` and `try` have them) in a model that holds millions of them. Reads like std::optional;
// copies are deep.

#include <memory>
#include <optional>

namespace Lifeline {

template <typename T> class HeapOptional
{
public:
    HeapOptional() = default;
    HeapOptional(const T &value)
        : m_value(std::make_unique<T>(value))
    {
    }
    HeapOptional(const std::optional<T> &value)
        : m_value(value ? std::make_unique<T>(*value) : nullptr)
    {
    }
    HeapOptional(const HeapOptional &other)
        : m_value(other.m_value ? std::make_unique<T>(*other.m_value) : nullptr)
    {
    }
    HeapOptional(HeapOptional &&other) noexcept = default;
    HeapOptional &operator=(const HeapOptional &other)
    {
        if (this != &other)
            m_value = other.m_value ? std::make_unique<T>(*other.m_value) : nullptr;
        return *this;
    }
    HeapOptional &operator=(HeapOptional &&other) noexcept = default;
    HeapOptional &operator=(const T &value)
    {
        m_value = std::make_unique<T>(value);
        return *this;
    }
    HeapOptional &operator=(const std::optional<T> &value)
    {
        m_value = value ? std::make_unique<T>(*value) : nullptr;
        return *this;
    }

    bool has_value() const { return m_value != nullptr; }
    explicit operator bool() const { return has_value(); }
    T &operator*() { return *m_value; }
    const T &operator*() const { return *m_value; }
    T *operator->() { return m_value.get(); }
    const T *operator->() const { return m_value.get(); }
    void reset() { m_value.reset(); }

private:
    std::unique_ptr<T> m_value;
};

} // namespace Lifeline
