// SPDX-License-Identifier: MIT
#include "zlibinflater.h"

#include <algorithm>

#include <zlib.h>

namespace Lifeline {

namespace {
// Input handed to zlib at a time; about 0.1 ms of inflating between two looks at the deadline.
constexpr qsizetype InputChunk = 1 << 16;
} // namespace

ZlibInflater::ZlibInflater(size_t size)
    : m_z(std::make_unique<z_stream_s>())
    , m_size(size)
{
    *m_z = {};
    if (inflateInit(m_z.get()) != Z_OK) {
        m_status = Status::Bad;
        m_z.reset();
    }
}

ZlibInflater::~ZlibInflater()
{
    if (m_z)
        inflateEnd(m_z.get());
}

ZlibInflater::Status ZlibInflater::inflateSome(QByteArrayView in, QDeadlineTimer deadline)
{
    if (m_status != Status::More)
        return m_status;
    z_stream &z = *m_z;
    // The bytes may have moved since the last call (a live trace's buffer grows): point zlib at
    // where it stopped reading.
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()))
        + (m_fed - qsizetype(z.avail_in));
    // One spare byte past `size` shows a stream that is longer than the block says.
    uchar spare = 0;
    int result = Z_OK;
    while (result == Z_OK) {
        if (z.avail_in == 0 && m_fed < in.size()) {
            const qsizetype n = std::min(in.size() - m_fed, InputChunk);
            z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data() + m_fed));
            z.avail_in = uInt(n);
            m_fed += n;
        }
        // A chunk is allocated only once the stream has filled the one before.
        const size_t offset = m_produced % ChunkBytes;
        if (m_produced < m_size && offset == 0 && m_produced / ChunkBytes == m_chunks.size())
            m_chunks.push_back(std::make_unique_for_overwrite<uchar[]>(ChunkBytes));
        const size_t room
            = m_produced < m_size ? std::min(ChunkBytes - offset, m_size - m_produced) : 0;
        z.next_out = room ? m_chunks.back().get() + offset : &spare;
        z.avail_out = uInt(room ? room : 1);
        result = inflate(&z, Z_NO_FLUSH);
        const size_t produced = (room ? room : 1) - z.avail_out;
        if (!room && produced > 0) {
            result = Z_DATA_ERROR; // longer than the block says
            break;
        }
        m_produced += produced;
        // No progress possible: the stream stops before its end.
        if (result == Z_BUF_ERROR
            || (result == Z_OK && produced == 0 && z.avail_in == 0 && m_fed == in.size()))
            break;
        if (result == Z_OK && deadline.hasExpired())
            return Status::More;
    }
    const bool whole
        = result == Z_STREAM_END && z.avail_in == 0 && m_fed == in.size() && m_produced == m_size;
    m_status = whole ? Status::Done : Status::Bad;
    inflateEnd(&z);
    m_z.reset();
    return m_status;
}

} // namespace Lifeline
