#include "zlibinflater.h"

#include <algorithm>

#include <zlib.h>

namespace Lifeline {

bool ZlibInflater::inflateExactly(QByteArrayView in, size_t size, std::vector<uchar> *out)
{
    z_stream z = {};
    if (inflateInit(&z) != Z_OK)
        return false;
    constexpr size_t Chunk = 1 << 16;
    out->reserve(std::min(size, Chunk));
    uchar buffer[Chunk];
    qsizetype fed = 0;
    int result = Z_OK;
    while (result == Z_OK) {
        if (z.avail_in == 0 && fed < in.size()) {
            const qsizetype n = std::min<qsizetype>(in.size() - fed, qsizetype(Chunk));
            z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data() + fed));
            z.avail_in = uInt(n);
            fed += n;
        }
        z.next_out = buffer;
        z.avail_out = uInt(Chunk);
        result = inflate(&z, Z_NO_FLUSH);
        const size_t produced = Chunk - z.avail_out;
        if (out->size() + produced > size) {
            result = Z_DATA_ERROR; // longer than the block says
            break;
        }
        out->insert(out->end(), buffer, buffer + produced);
        // No progress possible: the stream stops before its end.
        if (result == Z_BUF_ERROR
            || (result == Z_OK && produced == 0 && z.avail_in == 0 && fed == in.size()))
            break;
    }
    const bool whole
        = result == Z_STREAM_END && z.avail_in == 0 && fed == in.size() && out->size() == size;
    inflateEnd(&z);
    return whole;
}

} // namespace Lifeline
