// SPDX-License-Identifier: MIT
#pragma once
// The exception classes a scenario can name: the format's built-ins (docs/scenario-format.md)
// with CPython's hierarchy, then the scenario's own classes. Type ids are dense ints, built-ins
// first in a fixed order, so the engine compares ints and never strings. Knows nothing about
// raising or chaining.

#include <QString>
#include <QStringList>
#include <vector>

namespace Lifeline {

class ExceptionTypes
{
public:
    enum Builtin : int {
        BaseException,
        Exception,
        ArithmeticError,
        ZeroDivisionError,
        LookupError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        RuntimeError,
        NotImplementedError,
        OSError,
        ConnectionError,
        ConnectionResetError,
        ConnectionRefusedError,
        TimeoutError,
        PermissionError,
        AssertionError,
        NameError,
        UnboundLocalError,
        ExceptionGroup,
        CancelledError,
        // Not nameable in a scenario, but CPython's machinery raises or relies on them.
        BaseExceptionGroup,
        GeneratorExit,
        StopAsyncIteration,
        AttributeError,
        BuiltinCount
    };

    ExceptionTypes();

    int count() const { return int(m_types.size()); }
    // -1 when unknown. Only the format's nameable built-ins and custom classes are found.
    int find(const QString &name) const;
    // Adds a custom class deriving from `base`; returns its id.
    int addCustom(const QString &name, int base);
    QString name(int type) const { return m_types[size_t(type)].name; }
    int base(int type) const { return m_types[size_t(type)].base; }
    bool isBuiltin(int type) const { return type < BuiltinCount; }
    bool isSubclass(int type, int ofType) const;
    // True for ExceptionGroup and classes derived from it: never raised by a scenario.
    bool isGroup(int type) const { return isSubclass(type, BaseExceptionGroup); }
    bool isNameableBuiltin(const QString &name) const;
    static QStringList nameableBuiltins();

private:
    struct Type
    {
        QString name;
        int base = -1;
        int secondBase = -1; // ExceptionGroup is both a BaseExceptionGroup and an Exception
    };
    std::vector<Type> m_types;
};

} // namespace Lifeline
