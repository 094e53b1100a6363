// SPDX-License-Identifier: MIT
#pragma once
// A parsed JSON document: the source bytes (shared, never copied) and JsonReader's flat node
// array. Answers what a validator needs: strings decoded on demand, keys compared without
// decoding, line and column computed only when a problem is reported. Read-only once built.

#include "jsonvalue.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace Lifeline {

class JsonDocument
{
public:
    JsonDocument() = default;

    bool isEmpty() const { return m_nodes.empty(); }
    const JsonValue &root() const { return m_nodes.front(); }
    const QByteArray &source() const { return m_source; }

    // A string value's bytes between the quotes, escapes not decoded.
    QByteArrayView rawString(const JsonValue &value) const;
    QString string(const JsonValue &value) const;
    // Whether a string value holds a backslash escape (its raw bytes are then not its text).
    bool isEscaped(const JsonValue &value) const
    {
        return value.flags() & JsonValue::StringEscapedFlag;
    }
    // A number's text as written.
    QByteArrayView numberText(const JsonValue &value) const;
    // A member's key as UTF-8; `scratch` holds it when the key had to be unescaped.
    QByteArrayView key(const JsonValue &member, QByteArray *scratch) const;
    // Byte offset of a member's key's opening quote.
    quint32 keyOffset(const JsonValue &member) const
    {
        const quint32 delta = member.keyDelta();
        return delta != JsonValue::FarKeyDelta ? member.m_offset - delta : farKeyOffset(member);
    }
    bool keyEquals(const JsonValue &member, std::string_view key) const
    {
        // Inline: the validator asks this for every member against every allowed key. A key
        // without escapes holds no quote, so its closing quote is where `key` must end; the
        // comparison stops at that quote at the latest.
        if (!(member.flags() & JsonValue::KeyEscapedFlag)) {
            const char *text = m_source.constData() + keyOffset(member) + 1;
            return sameBytes(text, key.data(), key.size()) && text[key.size()] == '"';
        }
        return escapedKeyEquals(member, key);
    }
    // memcmp() == 0 without the library call, which cost more than comparing the few bytes of
    // a key (8% of a load went to it).
    static bool sameBytes(const char *a, const char *b, size_t n)
    {
        for (size_t i = 0; i < n; ++i) {
            if (a[i] != b[i])
                return false;
        }
        return true;
    }
    QString keyString(const JsonValue &member) const;

    // 1-based line and column (in code points) of byte offsets, which must be ascending: one
    // pass over the text however many there are.
    static std::vector<std::pair<int, int>> lineColumns(QByteArrayView utf8,
                                                        const std::vector<quint32> &offsets);

private:
    friend class JsonReader;
    bool escapedKeyEquals(const JsonValue &member, std::string_view key) const;
    quint32 farKeyOffset(const JsonValue &member) const;
    QByteArray m_source;
    std::vector<JsonValue> m_nodes;
    // Key offsets of the members whose key is FarKeyDelta or more bytes before the value, by
    // node index.
    std::unordered_map<quint32, quint32> m_farKeys;
};

} // namespace Lifeline
