// SPDX-License-Identifier: MIT
#pragma once
// Standard output for the headless commands: text is encoded straight into one fixed buffer,
// which is written out whenever it fills and when the buffer is flushed or destroyed. A run
// prints millions of lines; growing a QByteArray for each one cost a twelfth of `lifeline run`.

#include <QByteArrayView>
#include <QStringEncoder>
#include <QStringView>

#include <cstdio>
#include <cstring>
#include <memory>

namespace Lifeline {

class OutputBuffer
{
public:
    explicit OutputBuffer(std::FILE *file = stdout);
    ~OutputBuffer();
    OutputBuffer(const OutputBuffer &) = delete;
    OutputBuffer &operator=(const OutputBuffer &) = delete;

    void append(QStringView text);
    // Inline for the common case, a line that fits: `lifeline run` appends one per print.
    void append(QByteArrayView bytes)
    {
        if (bytes.size() <= kCapacity - m_used) {
            std::memcpy(m_buffer.get() + m_used, bytes.data(), size_t(bytes.size()));
            m_used += bytes.size();
        } else {
            appendSlow(bytes);
        }
    }
    void append(char c)
    {
        if (m_used == kCapacity)
            reserve(1);
        m_buffer[m_used++] = c;
    }
    // Writes what is buffered and flushes the stream.
    void flush();

private:
    static constexpr qsizetype kCapacity = 1 << 20;
    void reserve(qsizetype bytes);
    void appendSlow(QByteArrayView bytes);

    std::FILE *m_file;
    std::unique_ptr<char[]> m_buffer;
    qsizetype m_used = 0;
    // Stateless: each text is whole, so nothing may carry over from one to the next.
    QStringEncoder m_encoder { QStringEncoder::Utf8, QStringConverter::Flag::Stateless };
};

} // namespace Lifeline
