// SPDX-License-Identifier: MIT
#pragma once
// A vector in one pointer: size and capacity live in the heap block, in front of the elements,
// so an empty one costs 8 bytes instead of std::vector's 24. A Step holds seven of them and a
// million-task scenario holds millions of Steps, most of whose lists are empty. Implements the
// part of std::vector's interface the scenario model uses; elements may be move-only.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <utility>
#include <vector>

namespace Lifeline {

template <typename T> class CompactVector
{
public:
    using value_type = T;
    using size_type = std::size_t;
    using iterator = T *;
    using const_iterator = const T *;
    using reference = T &;
    using const_reference = const T &;

    CompactVector() = default;
    CompactVector(std::initializer_list<T> items)
    {
        reserve(items.size());
        for (const T &item : items)
            push_back(item);
    }
    CompactVector(std::vector<T> &&items)
    {
        reserve(items.size());
        for (T &item : items)
            push_back(std::move(item));
    }
    CompactVector(const CompactVector &other)
    {
        reserve(other.size());
        for (const T &item : other)
            push_back(item);
    }
    CompactVector(CompactVector &&other) noexcept
        : m_block(std::exchange(other.m_block, nullptr))
    {
    }
    CompactVector &operator=(const CompactVector &other)
    {
        if (this != &other) {
            CompactVector copy(other);
            swap(copy);
        }
        return *this;
    }
    CompactVector &operator=(CompactVector &&other) noexcept
    {
        CompactVector moved(std::move(other));
        swap(moved);
        return *this;
    }
    ~CompactVector()
    {
        clear();
        release(m_block);
    }
    void swap(CompactVector &other) noexcept { std::swap(m_block, other.m_block); }

    size_type size() const { return m_block ? header()->size : 0; }
    size_type capacity() const { return m_block ? header()->capacity : 0; }
    bool empty() const { return size() == 0; }
    T *data() { return m_block ? elements() : nullptr; }
    const T *data() const { return m_block ? elements() : nullptr; }
    iterator begin() { return data(); }
    iterator end() { return data() + size(); }
    const_iterator begin() const { return data(); }
    const_iterator end() const { return data() + size(); }
    const_iterator cbegin() const { return begin(); }
    const_iterator cend() const { return end(); }
    T &operator[](size_type i) { return data()[i]; }
    const T &operator[](size_type i) const { return data()[i]; }
    T &front() { return data()[0]; }
    const T &front() const { return data()[0]; }
    T &back() { return data()[size() - 1]; }
    const T &back() const { return data()[size() - 1]; }

    void reserve(size_type n)
    {
        if (n <= capacity())
            return;
        char *block = allocate(n);
        const size_type count = size();
        T *to = reinterpret_cast<T *>(block + Offset);
        for (size_type i = 0; i < count; ++i) {
            new (to + i) T(std::move(elements()[i]));
            elements()[i].~T();
        }
        reinterpret_cast<Header *>(block)->size = std::uint32_t(count);
        release(m_block);
        m_block = block;
    }
    template <typename... Args> T &emplace_back(Args &&...args)
    {
        if (size() == capacity())
            reserve(std::max<size_type>(1, capacity() * 2));
        T *slot = elements() + header()->size;
        new (slot) T(std::forward<Args>(args)...);
        ++header()->size;
        return *slot;
    }
    void push_back(const T &v) { emplace_back(v); }
    void push_back(T &&v) { emplace_back(std::move(v)); }
    void pop_back()
    {
        back().~T();
        --header()->size;
    }
    void resize(size_type n)
    {
        reserve(n);
        while (size() > n)
            pop_back();
        while (size() < n)
            emplace_back();
    }
    void clear()
    {
        while (!empty())
            pop_back();
    }

private:
    struct Header
    {
        std::uint32_t size;
        std::uint32_t capacity;
    };
    static constexpr size_type Align = alignof(T) > alignof(Header) ? alignof(T) : alignof(Header);
    static constexpr size_type Offset = (sizeof(Header) + alignof(T) - 1) / alignof(T) * alignof(T);

    static char *allocate(size_type n)
    {
        auto *block
            = static_cast<char *>(::operator new(Offset + n * sizeof(T), std::align_val_t(Align)));
        auto *h = reinterpret_cast<Header *>(block);
        h->size = 0;
        h->capacity = std::uint32_t(n);
        return block;
    }
    static void release(char *block)
    {
        if (block)
            ::operator delete(block, std::align_val_t(Align));
    }
    Header *header() const { return reinterpret_cast<Header *>(m_block); }
    T *elements() const { return reinterpret_cast<T *>(m_block + Offset); }

    char *m_block = nullptr;
};

} // namespace Lifeline
