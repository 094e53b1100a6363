#pragma once
// One value of a parsed JSON document, laid out by JsonReader in a flat pre-order array: a
// container's children follow it and every node knows the size of its subtree, so walking the
// tree needs neither pointers nor allocations. A node holds byte offsets into the source, never
// decoded text (JsonDocument decodes strings on demand). Must not outlive its JsonDocument.

#include <QtGlobal>

namespace Lifeline {

class JsonValue
{
public:
    enum class Type : quint8 { Null, False, True, Number, String, Array, Object };

    Type type() const { return m_type; }
    bool isString() const { return m_type == Type::String; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isBool() const { return m_type == Type::True || m_type == Type::False; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }

    // Byte offset of the value's first character in the source.
    quint32 offset() const { return m_offset; }
    // Object members only: byte offset of the key's opening quote.
    bool hasKey() const { return m_flags & KeyFlag; }
    quint32 keyOffset() const { return m_keyOffset; }

    // Numbers: written without fraction or exponent, and then whether it fits a qint64.
    bool isWholeNumber() const { return m_flags & WholeFlag; }
    bool fitsInt64() const { return (m_flags & WholeFlag) && !(m_flags & OverflowFlag); }
    qint64 integer() const { return fitsInt64() ? qint64(quint64(m_size) << 32 | m_length) : 0; }

    // Arrays and objects: the number of children (members for an object).
    quint32 count() const { return isContainer() ? m_length : 0; }

    // The next sibling in document order (past this whole subtree).
    const JsonValue *next() const { return this + (isContainer() ? m_size : 1); }

    class Iterator
    {
    public:
        Iterator(const JsonValue *value, quint32 remaining)
            : m_value(value)
            , m_remaining(remaining)
        {
        }
        const JsonValue &operator*() const { return *m_value; }
        const JsonValue *operator->() const { return m_value; }
        Iterator &operator++()
        {
            m_value = m_value->next();
            --m_remaining;
            return *this;
        }
        bool operator==(const Iterator &other) const { return m_remaining == other.m_remaining; }

    private:
        const JsonValue *m_value;
        quint32 m_remaining;
    };
    // Children of an array, members of an object (use their keys), nothing for a scalar.
    Iterator begin() const { return Iterator(this + 1, count()); }
    Iterator end() const { return Iterator(nullptr, 0); }

private:
    friend class JsonReader;
    bool isContainer() const { return m_type >= Type::Array; }

    friend class JsonDocument;

    enum Flag : quint8 {
        KeyFlag = 1,
        KeyEscapedFlag = 2,
        StringEscapedFlag = 4, // the string holds a backslash escape
        WholeFlag = 8,
        OverflowFlag = 16,
    };

    // 24 bytes: a large file holds millions of nodes, and first touching the array's pages costs
    // more than parsing into it. A number keeps no text length (numberText() finds it again) and
    // splits its integer over m_length and m_size, which only strings and containers need.
    quint32 m_offset = 0;
    quint32 m_keyOffset = 0;
    quint32 m_keyLength = 0; // bytes between the key's quotes
    quint32 m_length = 0; // string: bytes between quotes; container: children
    quint32 m_size = 1; // container: nodes in this subtree, itself included
    Type m_type = Type::Null;
    quint8 m_flags = 0;
};
static_assert(sizeof(JsonValue) == 24);

} // namespace Lifeline
