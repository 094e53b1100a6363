// SPDX-License-Identifier: MIT
#pragma once
// An array that never moves what it holds once it is big: elements live in fixed chunks of
// 2^ChunkBits, so growing a table of millions appends one chunk instead of copying the whole
// array into freshly faulted memory (one such copy of a 40 MB span table blocked the GUI for
// 50-90 ms). The first chunk grows like a vector (1, 3, 6, 12, ...), so a table of three
// elements costs three; while that is the only chunk the object holds its pointer directly
// (16 bytes in all, for the million short lanes of a big timeline). Indexing is a shift and a
// mask past the first chunk. Implements the part of std::vector's interface the timeline uses.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace Lifeline {

template <typename T, int ChunkBits = 12> class ChunkedArray
{
public:
    static constexpr std::size_t ChunkSize = std::size_t(1) << ChunkBits;
    static constexpr std::size_t ChunkMask = ChunkSize - 1;

    ChunkedArray() = default;
    ChunkedArray(const ChunkedArray &) = delete;
    ChunkedArray &operator=(const ChunkedArray &) = delete;
    ChunkedArray(ChunkedArray &&other) noexcept
        : m_data(std::exchange(other.m_data, nullptr))
        , m_size(std::exchange(other.m_size, 0))
        , m_firstCapacity(std::exchange(other.m_firstCapacity, 0))
    {
    }
    ChunkedArray &operator=(ChunkedArray &&other) noexcept
    {
        if (this != &other) {
            release();
            m_data = std::exchange(other.m_data, nullptr);
            m_size = std::exchange(other.m_size, 0);
            m_firstCapacity = std::exchange(other.m_firstCapacity, 0);
        }
        return *this;
    }
    ~ChunkedArray() { release(); }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    T &operator[](std::size_t i) { return slot(i); }
    const T &operator[](std::size_t i) const { return const_cast<ChunkedArray *>(this)->slot(i); }
    T &back() { return slot(m_size - 1); }
    const T &back() const { return (*this)[m_size - 1]; }

    template <typename... Args> T &emplace_back(Args &&...args)
    {
        T *at = grow();
        new (at) T(std::forward<Args>(args)...);
        ++m_size;
        return *at;
    }
    void push_back(const T &value) { emplace_back(value); }
    void push_back(T &&value) { emplace_back(std::move(value)); }
    // Grows with default-constructed elements, or copies of `value` (never shrinks).
    void resize(std::size_t n)
    {
        while (m_size < n)
            emplace_back();
    }
    void resize(std::size_t n, const T &value)
    {
        while (m_size < n)
            emplace_back(value);
    }
    // Makes room for n elements in the first chunk at once (beyond it chunks come whole).
    void reserve(std::size_t n)
    {
        if (chunkCount() <= 1 && n > m_firstCapacity)
            regrowFirst(n < ChunkSize ? n : ChunkSize);
    }
    void clear() { release(); }
    // Bytes allocated, for the memory figures.
    std::size_t memoryUsage() const
    {
        const std::size_t chunks = chunkCount();
        if (chunks <= 1)
            return m_firstCapacity * sizeof(T);
        return chunks * ChunkSize * sizeof(T) + tableCapacity(chunks) * sizeof(T *);
    }

private:
    std::size_t chunkCount() const
    {
        if (m_firstCapacity < ChunkSize)
            return m_firstCapacity ? 1 : 0;
        return m_size <= ChunkSize ? 1 : (m_size + ChunkMask) >> ChunkBits;
    }
    bool chunked() const { return m_size > ChunkSize; }
    T *&table(std::size_t chunk) { return static_cast<T **>(m_data)[chunk]; }
    static std::size_t tableCapacity(std::size_t chunks) { return std::bit_ceil(chunks); }
    T &slot(std::size_t i)
    {
        if (!chunked())
            return static_cast<T *>(m_data)[i];
        return table(i >> ChunkBits)[i & ChunkMask];
    }
    static T *allocate(std::size_t n)
    {
        return static_cast<T *>(::operator new(n * sizeof(T), std::align_val_t(alignof(T))));
    }
    static void deallocate(T *p) { ::operator delete(p, std::align_val_t(alignof(T))); }

    // Moves the only chunk into one of `capacity` elements (at most ChunkSize).
    void regrowFirst(std::size_t capacity)
    {
        T *old = static_cast<T *>(m_data);
        T *fresh = allocate(capacity);
        for (std::size_t i = 0; i < m_size; ++i) {
            new (fresh + i) T(std::move(old[i]));
            old[i].~T();
        }
        if (old)
            deallocate(old);
        m_data = fresh;
        m_firstCapacity = capacity;
    }

    // Room for element m_size, not yet constructed.
    T *grow()
    {
        if (m_size < m_firstCapacity)
            return static_cast<T *>(m_data) + m_size;
        if (m_firstCapacity < ChunkSize) {
            // 1, 3, then doubling: a lane of one span costs one, and a class lifecycle's three
            // spans (acquire, ready, release) fit exactly, not in a fourth slot paid per lane.
            const std::size_t grown
                = m_firstCapacity > 1 ? 2 * m_firstCapacity : 2 * m_firstCapacity + 1;
            regrowFirst(grown < ChunkSize ? grown : ChunkSize);
            return static_cast<T *>(m_data) + m_size;
        }
        const std::size_t chunk = m_size >> ChunkBits;
        if ((m_size & ChunkMask) == 0) {
            // A new chunk; the table of chunk pointers doubles when full.
            if (chunk == 1) {
                T **t = static_cast<T **>(::operator new(2 * sizeof(T *)));
                t[0] = static_cast<T *>(m_data);
                m_data = t;
            } else if (std::has_single_bit(chunk)) {
                T **t = static_cast<T **>(::operator new(2 * chunk * sizeof(T *)));
                for (std::size_t c = 0; c < chunk; ++c)
                    t[c] = table(c);
                ::operator delete(m_data);
                m_data = t;
            }
            table(chunk) = allocate(ChunkSize);
        }
        return table(chunk) + (m_size & ChunkMask);
    }

    void release()
    {
        if constexpr (!std::is_trivially_destructible_v<T>)
            for (std::size_t i = 0; i < m_size; ++i)
                slot(i).~T();
        if (chunked()) {
            const std::size_t chunks = chunkCount();
            for (std::size_t c = 0; c < chunks; ++c)
                deallocate(table(c));
            ::operator delete(m_data);
        } else if (m_data) {
            deallocate(static_cast<T *>(m_data));
        }
        m_data = nullptr;
        m_size = 0;
        m_firstCapacity = 0;
    }

    // The first chunk's elements while there is one chunk, else the table of chunk pointers.
    void *m_data = nullptr;
    std::uint32_t m_size = 0;
    std::uint32_t m_firstCapacity = 0;
};

} // namespace Lifeline
