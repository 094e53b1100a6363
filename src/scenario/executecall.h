// SPDX-License-Identifier: MIT
#pragma once
// An execute step's variable and query in one pointer. The loader makes equal pairs from one
// file share a payload (and equal queries one string, which the interpreter's print cache keys
// on), so the executes of a million tasks cost a pointer and a reference count each.

#include "sharedstring.h"

namespace Lifeline {

class ExecuteCall
{
public:
    ExecuteCall() = default;
    ExecuteCall(const SharedString &variable, const SharedString &query)
        : m_d(new Payload { {}, variable, query })
    {
    }

    const QString &variable() const { return m_d ? m_d->variable.str() : empty(); }
    const QString &query() const { return m_d ? m_d->query.str() : empty(); }

private:
    // As for SharedString: LoadContext counts a load's copies and adds them at its end.
    friend class LoadContext;

    struct Payload : QSharedData
    {
        SharedString variable;
        SharedString query;
    };
    static const QString &empty()
    {
        static const QString none;
        return none;
    }
    QExplicitlySharedDataPointer<Payload> m_d;
};

} // namespace Lifeline
