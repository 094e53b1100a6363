// SPDX-License-Identifier: MIT
#pragma once
// A child task as the gather and TaskGroup tests describe it in data rows: sleeps, or raises
// after a sleep, or raises when cancelled. See coretesthelpers.h for the coroutines.

#include <QList>
#include <QMetaType>
#include <QString>

namespace Lifeline::Test {

struct ChildSpec
{
    enum Kind { Sleeps, Fails, FailsOnCancel };
    QString name;
    Kind kind = Sleeps;
    qint64 ms = 0;
    int type = -1; // ExceptionTypes id of what it raises
    QString message;
};

inline ChildSpec sleeps(const QString &name, qint64 ms)
{
    return { name, ChildSpec::Sleeps, ms, -1, {} };
}
inline ChildSpec fails(const QString &name, qint64 ms, int type, const QString &message)
{
    return { name, ChildSpec::Fails, ms, type, message };
}
inline ChildSpec failsOnCancel(const QString &name, qint64 ms, int type, const QString &message)
{
    return { name, ChildSpec::FailsOnCancel, ms, type, message };
}

using ChildSpecs = QList<ChildSpec>;

} // namespace Lifeline::Test

Q_DECLARE_METATYPE(Lifeline::Test::ChildSpecs)
