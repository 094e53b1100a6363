// SPDX-License-Identifier: MIT
#include "outputbuffer.h"

namespace Lifeline {

OutputBuffer::OutputBuffer(std::FILE *file)
    : m_file(file)
    , m_buffer(new char[kCapacity])
{
}

OutputBuffer::~OutputBuffer()
{
    flush();
}

void OutputBuffer::reserve(qsizetype bytes)
{
    if (kCapacity - m_used < bytes) {
        std::fwrite(m_buffer.get(), 1, size_t(m_used), m_file);
        m_used = 0;
    }
}

void OutputBuffer::append(QStringView text)
{
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    const qsizetype worst = m_encoder.requiredSpace(text.size());
    if (worst > kCapacity) {
        const QByteArray whole = m_encoder.encode(text);
        append(QByteArrayView(whole));
        return;
    }
    reserve(worst);
    char *end = m_encoder.appendToBuffer(m_buffer.get() + m_used, text);
    m_used = end - m_buffer.get();
}

void OutputBuffer::appendSlow(QByteArrayView bytes)
{
    if (bytes.size() > kCapacity) {
        reserve(kCapacity);
        std::fwrite(bytes.data(), 1, size_t(bytes.size()), m_file);
        return;
    }
    reserve(bytes.size());
    std::memcpy(m_buffer.get() + m_used, bytes.data(), size_t(bytes.size()));
    m_used += bytes.size();
}

void OutputBuffer::flush()
{
    if (m_used > 0)
        std::fwrite(m_buffer.get(), 1, size_t(m_used), m_file);
    m_used = 0;
    std::fflush(m_file);
}

} // namespace Lifeline
