// SPDX-License-Identifier: MIT
// Exceptions as Python shows them: ExceptionTypes' hierarchy (issubclass), EventLog's repr() and
// str() with Python's quoting rules, PyErrors::chain (implicit chaining with CPython's
// cycle cut) and EventLog::chain (what a traceback prints). Expected strings are what
// CPython 3.11.7 prints for the same objects.
#include "eventlog.h"
#include "exceptiontypes.h"
#include "pyerrors.h"

#include <QTest>

using namespace Lifeline;

class tst_Exceptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void isSubclass_data();
    void isSubclass();
    void findNamesOnlyNameableClasses();
    void reprAndStr_data();
    void reprAndStr();
    void groupReprAndStr();
    void implicitChaining_data();
    void implicitChaining();
    void tracebackChain_data();
    void tracebackChain();

private:
    static ExceptionTypes typesWithCustomClasses();
};

ExceptionTypes tst_Exceptions::typesWithCustomClasses()
{
    // class DbError(Exception); class QueryError(DbError); class Abort(BaseException)
    ExceptionTypes types;
    const int db = types.addCustom(QStringLiteral("DbError"), ExceptionTypes::Exception);
    types.addCustom(QStringLiteral("QueryError"), db);
    types.addCustom(QStringLiteral("Abort"), ExceptionTypes::BaseException);
    return types;
}

void tst_Exceptions::isSubclass_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("ofType");
    QTest::addColumn<bool>("expected");
    const auto row = [](const char *name, const char *type, const char *of, bool expected) {
        QTest::newRow(name) << QString::fromLatin1(type) << QString::fromLatin1(of) << expected;
    };
    row("a class is its own subclass", "ValueError", "ValueError", true);
    row("ZeroDivisionError is an ArithmeticError", "ZeroDivisionError", "ArithmeticError", true);
    row("KeyError is a LookupError", "KeyError", "LookupError", true);
    row("KeyError is not an IndexError", "KeyError", "IndexError", false);
    row("TimeoutError is an OSError", "TimeoutError", "OSError", true);
    row("TimeoutError is not a ConnectionError", "TimeoutError", "ConnectionError", false);
    row("ConnectionResetError is a ConnectionError", "ConnectionResetError", "ConnectionError",
        true);
    row("ConnectionRefusedError is an OSError", "ConnectionRefusedError", "OSError", true);
    row("PermissionError is an OSError", "PermissionError", "OSError", true);
    row("NotImplementedError is a RuntimeError", "NotImplementedError", "RuntimeError", true);
    row("UnboundLocalError is a NameError", "UnboundLocalError", "NameError", true);
    row("ValueError is not a TypeError", "ValueError", "TypeError", false);
    row("CancelledError is not an Exception", "CancelledError", "Exception", false);
    row("CancelledError is a BaseException", "CancelledError", "BaseException", true);
    row("ExceptionGroup is a BaseExceptionGroup", "ExceptionGroup", "BaseExceptionGroup", true);
    row("ExceptionGroup is also an Exception", "ExceptionGroup", "Exception", true);
    row("ExceptionGroup is a BaseException", "ExceptionGroup", "BaseException", true);
    row("BaseExceptionGroup is not an Exception", "BaseExceptionGroup", "Exception", false);
    row("BaseExceptionGroup is not an ExceptionGroup", "BaseExceptionGroup", "ExceptionGroup",
        false);
    row("StopAsyncIteration is an Exception", "StopAsyncIteration", "Exception", true);
    row("GeneratorExit is not an Exception", "GeneratorExit", "Exception", false);
    row("AttributeError is an Exception", "AttributeError", "Exception", true);
    row("a custom class is its base's subclass", "DbError", "Exception", true);
    row("a custom class of a custom class reaches the built-ins", "QueryError", "Exception", true);
    row("a custom class of a custom class is its base's subclass", "QueryError", "DbError", true);
    row("a base is not its subclass's subclass", "DbError", "QueryError", false);
    row("a custom BaseException is not an Exception", "Abort", "Exception", false);
    row("a built-in is not a custom class", "ValueError", "DbError", false);
}

void tst_Exceptions::isSubclass()
{
    QFETCH(QString, type);
    QFETCH(QString, ofType);
    QFETCH(bool, expected);
    const ExceptionTypes types = typesWithCustomClasses();
    // BaseExceptionGroup and GeneratorExit are not nameable: look them up by id.
    const auto id = [&](const QString &name) {
        if (name == u"BaseExceptionGroup")
            return int(ExceptionTypes::BaseExceptionGroup);
        if (name == u"GeneratorExit")
            return int(ExceptionTypes::GeneratorExit);
        if (name == u"StopAsyncIteration")
            return int(ExceptionTypes::StopAsyncIteration);
        if (name == u"AttributeError")
            return int(ExceptionTypes::AttributeError);
        return types.find(name);
    };
    QVERIFY2(id(type) >= 0, qPrintable(type));
    QVERIFY2(id(ofType) >= 0, qPrintable(ofType));
    QCOMPARE(types.isSubclass(id(type), id(ofType)), expected);
    QCOMPARE(types.name(id(type)), type);
}

void tst_Exceptions::findNamesOnlyNameableClasses()
{
    const ExceptionTypes types = typesWithCustomClasses();
    QCOMPARE(types.find(QStringLiteral("ValueError")), int(ExceptionTypes::ValueError));
    QCOMPARE(types.find(QStringLiteral("CancelledError")), int(ExceptionTypes::CancelledError));
    QCOMPARE(types.find(QStringLiteral("ExceptionGroup")), int(ExceptionTypes::ExceptionGroup));
    // The machinery's own classes cannot be named by a scenario.
    QCOMPARE(types.find(QStringLiteral("BaseExceptionGroup")), -1);
    QCOMPARE(types.find(QStringLiteral("GeneratorExit")), -1);
    QCOMPARE(types.find(QStringLiteral("NoSuchError")), -1);
    const int query = types.find(QStringLiteral("QueryError"));
    QVERIFY(query >= ExceptionTypes::BuiltinCount);
    QVERIFY(!types.isBuiltin(query));
    QCOMPARE(types.name(types.base(query)), QStringLiteral("DbError"));
    QVERIFY(types.isGroup(ExceptionTypes::ExceptionGroup));
    QVERIFY(types.isGroup(ExceptionTypes::BaseExceptionGroup));
    QVERIFY(!types.isGroup(ExceptionTypes::ValueError));
    QVERIFY(types.isNameableBuiltin(QStringLiteral("TimeoutError")));
    QVERIFY(!types.isNameableBuiltin(QStringLiteral("GeneratorExit")));
    QVERIFY(!types.isNameableBuiltin(QStringLiteral("QueryError")));
    QVERIFY(ExceptionTypes::nameableBuiltins().contains(QStringLiteral("CancelledError")));
    QVERIFY(!ExceptionTypes::nameableBuiltins().contains(QStringLiteral("BaseExceptionGroup")));
}

void tst_Exceptions::reprAndStr_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("hasMessage");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("repr");
    QTest::addColumn<QString>("str");

    const int V = ExceptionTypes::ValueError;
    const int K = ExceptionTypes::KeyError;
    QTest::newRow("plain") << V << true << QStringLiteral("boom")
                           << QStringLiteral("ValueError('boom')") << QStringLiteral("boom");
    QTest::newRow("single quote inside: double quotes")
        << V << true << QStringLiteral("it's") << QStringLiteral("ValueError(\"it's\")")
        << QStringLiteral("it's");
    QTest::newRow("double quote inside: single quotes, unescaped")
        << V << true << QStringLiteral("say \"hi\"") << QStringLiteral("ValueError('say \"hi\"')")
        << QStringLiteral("say \"hi\"");
    QTest::newRow("both quotes: single quotes, the single one escaped")
        << V << true << QStringLiteral("say \"hi\" it's")
        << QStringLiteral("ValueError('say \"hi\" it\\'s')") << QStringLiteral("say \"hi\" it's");
    QTest::newRow("backslash doubled")
        << V << true << QStringLiteral("a\\b") << QStringLiteral("ValueError('a\\\\b')")
        << QStringLiteral("a\\b");
    QTest::newRow("newline, tab and carriage return escaped")
        << V << true << QStringLiteral("a\nb\tc\rd")
        << QStringLiteral("ValueError('a\\nb\\tc\\rd')") << QStringLiteral("a\nb\tc\rd");
    QTest::newRow("control characters as \\x")
        << V << true << QStringLiteral("\x01\x7f") << QStringLiteral("ValueError('\\x01\\x7f')")
        << QStringLiteral("\x01\x7f");
    QTest::newRow("non-ASCII printable kept")
        << V << true << QStringLiteral("café 日本 😀") << QStringLiteral("ValueError('café 日本 😀')")
        << QStringLiteral("café 日本 😀");
    QTest::newRow("no-break space U+00A0 as \\xa0")
        << V << true << QStringLiteral("a\u00a0b") << QStringLiteral("ValueError('a\\xa0b')")
        << QStringLiteral("a\u00a0b");
    QTest::newRow("Latin-1 controls and soft hyphen as \\x")
        << V << true << QStringLiteral("\u0080\u00ad") << QStringLiteral("ValueError('\\x80\\xad')")
        << QStringLiteral("\u0080\u00ad");
    QTest::newRow("line separator U+2028 as \\u")
        << V << true << QStringLiteral("\u2028") << QStringLiteral("ValueError('\\u2028')")
        << QStringLiteral("\u2028");
    QTest::newRow("zero-width space (a format character) as \\u")
        << V << true << QStringLiteral("\u200b") << QStringLiteral("ValueError('\\u200b')")
        << QStringLiteral("\u200b");
    QTest::newRow("private use as \\u")
        << V << true << QStringLiteral("\ue000") << QStringLiteral("ValueError('\\ue000')")
        << QStringLiteral("\ue000");
    QTest::newRow("astral format character as \\U")
        << V << true << QString::fromUcs4(U"\U000e0001")
        << QStringLiteral("ValueError('\\U000e0001')") << QString::fromUcs4(U"\U000e0001");
    QTest::newRow("no message") << V << false << QString() << QStringLiteral("ValueError()")
                                << QString();
    QTest::newRow("empty message")
        << V << true << QString() << QStringLiteral("ValueError('')") << QString();
    QTest::newRow("KeyError's str is the repr of its argument")
        << K << true << QStringLiteral("k") << QStringLiteral("KeyError('k')")
        << QStringLiteral("'k'");
    QTest::newRow("KeyError's str quotes like repr")
        << K << true << QStringLiteral("it's") << QStringLiteral("KeyError(\"it's\")")
        << QStringLiteral("\"it's\"");
    QTest::newRow("KeyError with an empty message")
        << K << true << QString() << QStringLiteral("KeyError('')") << QStringLiteral("''");
    QTest::newRow("KeyError with no message")
        << K << false << QString() << QStringLiteral("KeyError()") << QString();
    QTest::newRow("CancelledError() from a cancellation")
        << int(ExceptionTypes::CancelledError) << false << QString()
        << QStringLiteral("CancelledError()") << QString();
    QTest::newRow("TimeoutError() from a timeout")
        << int(ExceptionTypes::TimeoutError) << false << QString()
        << QStringLiteral("TimeoutError()") << QString();
}

void tst_Exceptions::reprAndStr()
{
    QFETCH(int, type);
    QFETCH(bool, hasMessage);
    QFETCH(QString, message);
    QFETCH(QString, repr);
    QFETCH(QString, str);
    EventLog log;
    const ExcId e = log.newException(type, message, hasMessage);
    QCOMPARE(log.repr(e), repr);
    QCOMPARE(log.str(e), str);
}

void tst_Exceptions::groupReprAndStr()
{
    // ExceptionGroup('unhandled errors in a TaskGroup',
    //                [ValueError('a'), ExceptionGroup('inner', [KeyError('k')])])
    ExceptionTypes types = typesWithCustomClasses();
    const int query = types.find(QStringLiteral("QueryError"));
    EventLog log(types);
    const ExcId a = log.newException(ExceptionTypes::ValueError, QStringLiteral("a"), true);
    const ExcId k = log.newException(ExceptionTypes::KeyError, QStringLiteral("k"), true);
    const ExcId q = log.newException(query, QStringLiteral("it's"), true);
    const ExcId inner
        = log.newException(ExceptionTypes::ExceptionGroup, QStringLiteral("inner"), true);
    log.exception(inner).members = { k };
    const ExcId outer = log.newException(ExceptionTypes::ExceptionGroup,
                                         QStringLiteral("unhandled errors in a TaskGroup"), true);
    log.exception(outer).members = { a, inner, q };
    QCOMPARE(log.repr(inner), QStringLiteral("ExceptionGroup('inner', [KeyError('k')])"));
    QCOMPARE(log.str(inner), QStringLiteral("inner (1 sub-exception)"));
    QCOMPARE(log.repr(outer),
             QStringLiteral("ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('a'), "
                            "ExceptionGroup('inner', [KeyError('k')]), QueryError(\"it's\")])"));
    QCOMPARE(log.str(outer), QStringLiteral("unhandled errors in a TaskGroup (3 sub-exceptions)"));
    const ExcId base = log.newException(ExceptionTypes::BaseExceptionGroup,
                                        QStringLiteral("unhandled errors in a TaskGroup"), true);
    log.exception(base).members = { log.newException(ExceptionTypes::CancelledError, {}, false) };
    QCOMPARE(log.repr(base),
             QStringLiteral("BaseExceptionGroup('unhandled errors in a TaskGroup', "
                            "[CancelledError()])"));
}

void tst_Exceptions::implicitChaining_data()
{
    // Exceptions 0..3 are ValueError('e0') .. ValueError('e3'). `contexts` sets the chain
    // before the call as "x->y" (x.__context__ = y); chain(value, handled) is the raise of
    // `value` while `handled` is being handled; `after` is every __context__ afterwards.
    QTest::addColumn<QStringList>("contexts");
    QTest::addColumn<int>("value");
    QTest::addColumn<int>("handled"); // -1: nothing is being handled
    QTest::addColumn<QStringList>("after");

    QTest::newRow("nothing handled: no context") << QStringList {} << 0 << -1 << QStringList {};
    QTest::newRow("the handled exception becomes the context")
        << QStringList {} << 1 << 0 << QStringList { "1->0" };
    QTest::newRow("a bare re-raise of the handled exception changes nothing")
        << QStringList { "0->1" } << 0 << 0 << QStringList { "0->1" };
    // try: raise a / except a: try: raise b / except b: raise a
    // CPython: a.__context__ is b, and b.__context__ (which was a) is cut to None.
    QTest::newRow("re-raising an older exception cuts the cycle at the link back to it")
        << QStringList { "1->0" } << 0 << 1 << QStringList { "0->1" };
    QTest::newRow("the cut happens deep in the chain, at the link back to the value")
        << QStringList { "3->2", "2->1", "1->0" } << 1 << 3 << QStringList { "1->3", "3->2" };
    QTest::newRow("an existing context of the raised exception is replaced")
        << QStringList { "0->2" } << 0 << 1 << QStringList { "0->1" };
    QTest::newRow("the handled exception keeps its own context")
        << QStringList { "1->2" } << 0 << 1 << QStringList { "0->1", "1->2" };
}

void tst_Exceptions::implicitChaining()
{
    QFETCH(QStringList, contexts);
    QFETCH(int, value);
    QFETCH(int, handled);
    QFETCH(QStringList, after);
    EventLog log;
    for (int i = 0; i < 4; ++i)
        log.newException(ExceptionTypes::ValueError, QStringLiteral("e%1").arg(i), true);
    for (const QString &link : contexts) {
        const QStringList ends = link.split(QStringLiteral("->"));
        log.exception(ends[0].toInt()).context = ends[1].toInt();
    }
    PyErrors::chain(log, value, handled);
    QStringList links;
    for (int i = 0; i < 4; ++i) {
        if (log.exception(i).context != None)
            links << QStringLiteral("%1->%2").arg(i).arg(log.exception(i).context);
    }
    QCOMPARE(links, after);
}

void tst_Exceptions::tracebackChain_data()
{
    // Exceptions 0..3; the chain is what a traceback prints, newest first.
    QTest::addColumn<QStringList>("links"); // "x cause y", "x context y", "x suppress"
    QTest::addColumn<int>("start");
    QTest::addColumn<QList<int>>("expected");

    QTest::newRow("alone") << QStringList {} << 0 << QList<int> { 0 };
    QTest::newRow("context followed")
        << QStringList { "0 context 1", "1 context 2" } << 0 << QList<int> { 0, 1, 2 };
    QTest::newRow("cause wins over context")
        << QStringList { "0 cause 1", "0 context 2", "0 suppress" } << 0 << QList<int> { 0, 1 };
    QTest::newRow("raise ... from None: context suppressed")
        << QStringList { "0 context 1", "0 suppress" } << 0 << QList<int> { 0 };
    QTest::newRow("the cause's own context is followed")
        << QStringList { "0 cause 1", "0 suppress", "1 context 2" } << 0 << QList<int> { 0, 1, 2 };
    QTest::newRow("a repeat stops the chain")
        << QStringList { "0 context 1", "1 cause 0" } << 0 << QList<int> { 0, 1 };
}

void tst_Exceptions::tracebackChain()
{
    QFETCH(QStringList, links);
    QFETCH(int, start);
    QFETCH(QList<int>, expected);
    EventLog log;
    for (int i = 0; i < 4; ++i)
        log.newException(ExceptionTypes::RuntimeError, QStringLiteral("e%1").arg(i), true);
    for (const QString &link : links) {
        const QStringList parts = link.split(u' ');
        ExceptionRecord &e = log.exception(parts[0].toInt());
        if (parts[1] == u"cause")
            e.cause = parts[2].toInt();
        else if (parts[1] == u"context")
            e.context = parts[2].toInt();
        else
            e.suppressContext = true;
    }
    const std::vector<ExcId> chain = log.chain(start);
    QCOMPARE(QList<int>(chain.begin(), chain.end()), expected);
}

QTEST_GUILESS_MAIN(tst_Exceptions)
#include "tst_exceptions.moc"
