// SPDX-License-Identifier: MIT
#include "jsondocument.h"

#include "jsonreader.h"

namespace Lifeline {

QByteArrayView JsonDocument::rawString(const JsonValue &value) const
{
    // The offset is the opening quote.
    return QByteArrayView(m_source.constData() + value.m_offset + 1, value.m_length);
}

QString JsonDocument::string(const JsonValue &value) const
{
    const QByteArrayView raw = rawString(value);
    if (!(value.flags() & JsonValue::StringEscapedFlag))
        return QString::fromUtf8(raw);
    return QString::fromUtf8(JsonReader::unescape(raw));
}

QByteArrayView JsonDocument::numberText(const JsonValue &value) const
{
    // The parser accepted the number, so it ends at the first byte that cannot be part of one.
    const char *begin = m_source.constData() + value.m_offset;
    const char *end = m_source.constData() + m_source.size();
    const char *p = begin;
    while (p < end
           && ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' || *p == 'e'
               || *p == 'E'))
        ++p;
    return QByteArrayView(begin, p - begin);
}

quint32 JsonDocument::farKeyOffset(const JsonValue &member) const
{
    return m_farKeys.at(quint32(&member - m_nodes.data()));
}

QByteArrayView JsonDocument::key(const JsonValue &member, QByteArray *scratch) const
{
    // The key ends at its first quote not escaped by a backslash (parse() checked its escapes).
    const char *begin = m_source.constData() + keyOffset(member) + 1;
    const char *end = begin;
    while (*end != '"')
        end += *end == '\\' ? 2 : 1;
    const QByteArrayView raw(begin, end - begin);
    if (!(member.flags() & JsonValue::KeyEscapedFlag))
        return raw;
    *scratch = JsonReader::unescape(raw);
    return *scratch;
}

bool JsonDocument::escapedKeyEquals(const JsonValue &member, std::string_view key) const
{
    QByteArray scratch;
    return this->key(member, &scratch) == QByteArrayView(key.data(), qsizetype(key.size()));
}

QString JsonDocument::keyString(const JsonValue &member) const
{
    QByteArray scratch;
    return QString::fromUtf8(key(member, &scratch));
}

std::vector<std::pair<int, int>> JsonDocument::lineColumns(QByteArrayView utf8,
                                                           const std::vector<quint32> &offsets)
{
    std::vector<std::pair<int, int>> result;
    result.reserve(offsets.size());
    const auto *data = reinterpret_cast<const uchar *>(utf8.data());
    const qsizetype size = utf8.size();
    // An editor does not show the byte-order mark, so it is not a column.
    qsizetype pos = size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
    int line = 1;
    int column = 1;
    for (quint32 offset : offsets) {
        const qsizetype target = qMin(qsizetype(offset), size);
        for (; pos < target; ++pos) {
            const uchar c = data[pos];
            if (c == '\n') {
                ++line;
                column = 1;
            } else if (c == '\r') {
                if (pos + 1 < size && data[pos + 1] == '\n')
                    continue; // \r\n is one line break, counted at the \n
                ++line;
                column = 1;
            } else if ((c & 0xC0) != 0x80) {
                ++column; // continuation bytes belong to the character before them
            }
        }
        result.emplace_back(line, column);
    }
    return result;
}

} // namespace Lifeline
