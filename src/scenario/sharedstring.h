// SPDX-License-Identifier: MIT
#pragma once
// An immutable string that costs one pointer where a QString costs three: an execute's variable
// and query, a with item's name. A million-task scenario holds millions of them, and the loader
// makes equal ones from one file share a single payload, so copying is a reference count.
// Reads as a const QString; an empty SharedString reads as an empty (null) QString.

#include <QSharedData>
#include <QString>

namespace Lifeline {

class SharedString
{
public:
    SharedString() = default;
    // Implicit, so code and tests that build scenarios by hand can assign a QString.
    SharedString(const QString &text)
        : m_d(text.isNull() ? nullptr : new Payload(text))
    {
    }

    const QString &str() const { return m_d ? m_d->text : empty(); }
    // Which payload this is: equal identities mean one shared string.
    const void *identity() const { return m_d.data(); }
    operator const QString &() const { return str(); }
    bool isEmpty() const { return str().isEmpty(); }
    friend bool operator==(const SharedString &a, const SharedString &b)
    {
        return a.str() == b.str();
    }
    friend bool operator==(const SharedString &a, const QString &b) { return a.str() == b; }

private:
    // LoadContext gives a scenario's steps copies whose references it counts itself and adds to
    // each payload once, when the load ends: each atomic count is a full memory barrier, which
    // cost a tenth of loading a file of 100,000 steps.
    friend class LoadContext;

    struct Payload : QSharedData
    {
        explicit Payload(const QString &t)
            : text(t)
        {
        }
        const QString text;
    };
    static const QString &empty()
    {
        static const QString none;
        return none;
    }
    QExplicitlySharedDataPointer<Payload> m_d;
};

} // namespace Lifeline
