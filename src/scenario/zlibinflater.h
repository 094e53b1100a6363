#pragma once
// Inflates a zlib stream (RFC 1950) that must fill exactly a given number of bytes and end with
// its input: TraceReader's EVENTS blocks. Memory grows with what the stream really holds, never
// with the size a caller expects, so a block that lies about its count costs nothing.

#include <QByteArrayView>
#include <vector>

namespace Lifeline {

class ZlibInflater
{
public:
    // False when `in` is not one whole zlib stream of exactly `size` bytes (nothing after it).
    static bool inflateExactly(QByteArrayView in, size_t size, std::vector<uchar> *out);
};

} // namespace Lifeline
