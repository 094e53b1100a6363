// SPDX-License-Identifier: MIT
#pragma once
// The path of a JSON value from the document root, as diagnostics print it: keys joined by `.`,
// indexes in brackets, `$` for the root (`main[0].with`, `resources[1].exit.suppress[0]`).
// A cheap stack while walking; text is built only when a problem is reported. Keys are views:
// whoever pushes one keeps its bytes alive until it is popped.

#include <QByteArrayView>
#include <QString>
#include <array>

namespace Lifeline {

class JsonPath
{
public:
    // Inline and without bounds growth: the loader pushes and pops a segment for nearly every
    // value it reads.
    void pushKey(QByteArrayView utf8Key) { push({ utf8Key, -1 }); }
    void pushIndex(qint64 index) { push({ {}, index }); }
    void pop() { --m_size; }
    bool isEmpty() const { return m_size == 0; }

    QString toString() const;

    // Keys that are not plain identifiers are quoted: `main[0]["odd key"]`.
    static void appendKey(QString *path, QByteArrayView utf8Key);
    static void appendIndex(QString *path, qint64 index);

private:
    struct Segment
    {
        QByteArrayView key;
        qint64 index = -1;
    };
    // JSON nests at most 100 deep (JsonReader::MaxDepth) and a reported key adds one more, so
    // nothing is ever dropped; were it, the depth would still be counted and pops stay paired.
    static constexpr int Capacity = 128;
    void push(const Segment &segment)
    {
        if (m_size < Capacity)
            m_segments[size_t(m_size)] = segment;
        ++m_size;
    }
    std::array<Segment, Capacity> m_segments;
    int m_size = 0;
};

} // namespace Lifeline
