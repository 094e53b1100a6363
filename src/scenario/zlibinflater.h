// SPDX-License-Identifier: MIT
#pragma once
// Inflates a zlib stream (RFC 1950) that must fill exactly a given number of bytes and end with
// its input: TraceReader's EVENTS blocks. Memory grows with what the stream really holds, never
// with the size a caller expects, so a block that lies about its count costs nothing; and it
// grows a chunk at a time, never copying what it inflated (a vector doubling through 16 MB held
// a live window for milliseconds). A big block takes tens of milliseconds (a million events:
// ~40 ms), so it can be inflated a slice at a time. It never decodes what it inflates.

#include <QByteArrayView>
#include <QDeadlineTimer>

#include <memory>
#include <vector>

struct z_stream_s;

namespace Lifeline {

class ZlibInflater
{
public:
    enum class Status : quint8 { More, Done, Bad };
    // A multiple of 8: no value of an EVENTS block's columns straddles two chunks.
    static constexpr size_t ChunkBytes = size_t(1) << 16;

    // Expects exactly `size` bytes out.
    explicit ZlibInflater(size_t size);
    ~ZlibInflater();
    ZlibInflater(const ZlibInflater &) = delete;
    ZlibInflater &operator=(const ZlibInflater &) = delete;

    // Inflates more of `in`, the whole stream (the same bytes at every call, wherever they are
    // now), until it is done or `deadline` expires: More, then Done or Bad (not one whole stream
    // of exactly `size` bytes, or bytes after it).
    Status inflateSome(QByteArrayView in, QDeadlineTimer deadline);
    Status status() const { return m_status; }
    size_t size() const { return m_produced; }
    // The inflated byte at `offset` (< size()); the ChunkBytes-aligned run it starts is contiguous.
    const uchar *at(size_t offset) const
    {
        return m_chunks[offset / ChunkBytes].get() + offset % ChunkBytes;
    }

private:
    std::unique_ptr<z_stream_s> m_z;
    size_t m_size;
    qsizetype m_fed = 0; // bytes of `in` handed to zlib so far
    std::vector<std::unique_ptr<uchar[]>> m_chunks;
    size_t m_produced = 0;
    Status m_status = Status::More;
};

} // namespace Lifeline
