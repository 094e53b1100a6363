#pragma once
// The path of a JSON value from the document root, as diagnostics print it: keys joined by `.`,
// indexes in brackets, `$` for the root (`main[0].with`, `resources[1].exit.suppress[0]`).
// A cheap stack while walking; text is built only when a problem is reported. Keys are views:
// whoever pushes one keeps its bytes alive until it is popped.

#include <QByteArrayView>
#include <QString>
#include <vector>

namespace Lifeline {

class JsonPath
{
public:
    JsonPath() { m_segments.reserve(128); } // JSON nests at most 100 deep: no regrowth
    void pushKey(QByteArrayView utf8Key) { m_segments.push_back({ utf8Key, -1 }); }
    void pushIndex(qint64 index) { m_segments.push_back({ {}, index }); }
    void pop() { m_segments.pop_back(); }
    bool isEmpty() const { return m_segments.empty(); }

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
    std::vector<Segment> m_segments;
};

} // namespace Lifeline
