// SPDX-License-Identifier: MIT
#include "exceptiontypes.h"

namespace Lifeline {

ExceptionTypes::ExceptionTypes()
{
    auto add = [this](const char *name, int base, int secondBase = -1) {
        m_types.push_back({ QString::fromLatin1(name), base, secondBase });
    };
    // Order must match the Builtin enum.
    add("BaseException", -1);
    add("Exception", BaseException);
    add("ArithmeticError", Exception);
    add("ZeroDivisionError", ArithmeticError);
    add("LookupError", Exception);
    add("KeyError", LookupError);
    add("IndexError", LookupError);
    add("ValueError", Exception);
    add("TypeError", Exception);
    add("RuntimeError", Exception);
    add("NotImplementedError", RuntimeError);
    add("OSError", Exception);
    add("ConnectionError", OSError);
    add("ConnectionResetError", ConnectionError);
    add("ConnectionRefusedError", ConnectionError);
    add("TimeoutError", OSError);
    add("PermissionError", OSError);
    add("AssertionError", Exception);
    add("NameError", Exception);
    add("UnboundLocalError", NameError);
    add("ExceptionGroup", BaseExceptionGroup, Exception);
    add("CancelledError", BaseException);
    add("BaseExceptionGroup", BaseException);
    add("GeneratorExit", BaseException);
    add("StopAsyncIteration", Exception);
    add("AttributeError", Exception);
}

int ExceptionTypes::find(const QString &name) const
{
    for (int i = 0; i < count(); ++i) {
        if (i >= BaseExceptionGroup && i < BuiltinCount)
            continue;
        if (m_types[size_t(i)].name == name)
            return i;
    }
    return -1;
}

int ExceptionTypes::addCustom(const QString &name, int base)
{
    m_types.push_back({ name, base, -1 });
    return count() - 1;
}

bool ExceptionTypes::isSubclass(int type, int ofType) const
{
    // Depth is tiny (a chain of custom classes at most), and only ExceptionGroup has two bases.
    while (type >= 0) {
        if (type == ofType)
            return true;
        const Type &t = m_types[size_t(type)];
        if (t.secondBase >= 0 && isSubclass(t.secondBase, ofType))
            return true;
        type = t.base;
    }
    return false;
}

bool ExceptionTypes::isNameableBuiltin(const QString &name) const
{
    for (int i = 0; i < BaseExceptionGroup; ++i)
        if (m_types[size_t(i)].name == name)
            return true;
    return false;
}

QStringList ExceptionTypes::nameableBuiltins()
{
    ExceptionTypes t;
    QStringList names;
    for (int i = 0; i < BaseExceptionGroup; ++i)
        names << t.name(i);
    return names;
}

} // namespace Lifeline
