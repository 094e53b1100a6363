// SPDX-License-Identifier: MIT
#pragma once
// A function's local variables by slot, in 16 bytes: up to two inline (nearly every scenario
// function has one or two `async with ... as` names), more on the heap. A Task holds one, and a
// million tasks are alive at once in the largest runs, where QVarLengthArray's 32 bytes showed.

#include <QtGlobal>

#include <algorithm>
#include <memory>

namespace Lifeline {

class LocalSlots
{
public:
    LocalSlots() = default;
    LocalSlots(const LocalSlots &) = delete;
    LocalSlots &operator=(const LocalSlots &) = delete;
    ~LocalSlots()
    {
        if (m_size > Inline)
            delete[] m_heap;
    }

    // Before first use only: every slot set to `value`.
    void resize(qint32 size, qint32 value)
    {
        Q_ASSERT(m_size == 0);
        m_size = size;
        std::fill_n(m_size > Inline ? (m_heap = new qint32[size_t(size)]) : m_inline, size_t(size),
                    value);
    }
    qint32 size() const { return m_size; }
    qint32 &operator[](size_t i)
    {
        Q_ASSERT(i < size_t(m_size));
        return m_size > Inline ? m_heap[i] : m_inline[i];
    }

private:
    static constexpr qint32 Inline = 2;
    union
    {
        qint32 m_inline[Inline] = {};
        qint32 *m_heap;
    };
    qint32 m_size = 0;
};

} // namespace Lifeline
