// SPDX-License-Identifier: MIT
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

    Type type() const { return Type(m_bits & TypeMask); }
    bool isString() const { return type() == Type::String; }
    bool isNumber() const { return type() == Type::Number; }
    bool isBool() const { return type() == Type::True || type() == Type::False; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }

    // Byte offset of the value's first character in the source.
    quint32 offset() const { return m_offset; }
    // Numbers: written without fraction or exponent, and fits a qint64.
    bool fitsInt64() const { return (flags() & WholeFlag) && !(flags() & OverflowFlag); }
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
    bool isContainer() const { return type() >= Type::Array; }

    friend class JsonDocument;

    enum Flag : quint8 {
        KeyEscapedFlag = 2,
        StringEscapedFlag = 4, // the string holds a backslash escape
        WholeFlag = 8,
        OverflowFlag = 16,
    };
    static constexpr quint32 TypeMask = 7;
    static constexpr int FlagShift = 3;
    static constexpr int KeyDeltaShift = 8;
    // A member whose key starts this far or farther before its value keeps the key's offset in
    // JsonDocument instead (only a file with megabytes of whitespace after a colon has one).
    static constexpr quint32 FarKeyDelta = (1u << (32 - KeyDeltaShift)) - 1;

    quint8 flags() const { return quint8((m_bits >> FlagShift) & 31); }
    void setType(Type type) { m_bits = (m_bits & ~TypeMask) | quint32(type); }
    void addFlags(quint8 flags) { m_bits |= quint32(flags) << FlagShift; }
    quint32 keyDelta() const { return m_bits >> KeyDeltaShift; }

    // 16 bytes: a large file holds millions of nodes, and first touching the array's pages costs
    // more than parsing into it. A number keeps no text length (numberText() finds it again) and
    // splits its integer over m_length and m_size, which only strings and containers need. A
    // member keeps how far before its value its key starts, not the key's length, which its
    // closing quote gives.
    quint32 m_offset = 0;
    quint32 m_length = 0; // string: bytes between quotes; container: children
    quint32 m_size = 1; // container: nodes in this subtree, itself included
    quint32 m_bits = 0; // key delta (24 bits), flags (5), type (3)
};
static_assert(sizeof(JsonValue) == 16);

} // namespace Lifeline
