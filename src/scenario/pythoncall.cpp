// SPDX-License-Identifier: MIT
#include "pythoncall.h"

#include "eventlog.h"
#include "pythonliteral.h"

namespace Lifeline {

QString PythonCall::call(const QString &name, const QString &argument)
{
    return name + u'(' + argument + u')';
}

QString PythonCall::resource(const QString &name, const QString &arg, Quoting quoting)
{
    if (arg.isEmpty())
        return call(name, QString());
    return call(name,
                quoting == Quoting::Source ? PythonLiteral::string(arg) : pythonStringRepr(arg));
}

QString PythonCall::resourceSource(const QString &name, const QString &arg)
{
    return resource(name, arg, Quoting::Source);
}

QString PythonCall::resourceLabel(const QString &name, const QString &arg)
{
    return resource(name, arg, Quoting::Label);
}

QString PythonCall::timeout(qint64 ms)
{
    // Exact decimal seconds with at most three decimals: the shortest text that reads back as
    // the same float, which is what Python's repr() prints (0.15, 1.0, 1000000.0).
    return call(QStringLiteral("timeout"), PythonLiteral::seconds(ms));
}

QString PythonCall::taskGroup()
{
    return call(QStringLiteral("TaskGroup"), QString());
}

} // namespace Lifeline
