// SPDX-License-Identifier: MIT
// PythonExporter: the spec's Python shape for each construct, names that never collide,
// literals that round-trip, stepLines, and (with python3 on PATH) that CPython accepts and runs
// what is exported. Past 500 lines because each construct's row carries its scenario and the
// Python it must become: one contract, the exporter's.

#include "examples.h"
#include "pythonexporter.h"
#include "pythonliteral.h"
#include "pythonnameplan.h"
#include "scenariobuilders.h"
#include "scenarioloader.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;
using namespace Lifeline::Build;

Q_DECLARE_METATYPE(Lifeline::Scenario)

namespace {

const QString kDb = QStringLiteral("db");

Scenario withResources(std::vector<ResourceDef> resources, Block main)
{
    Scenario s;
    s.resources = std::move(resources);
    s.main = std::move(main);
    return finish(s);
}

ResourceDef plainClass(const QString &id = QStringLiteral("db"), const QString &name = {})
{
    return classResource(id, name, QStringLiteral("x"), PhaseSpec {}, PhaseSpec {},
                         phase(QStringLiteral("Executing: {query}"), 50));
}

ResourceDef plainGenerator(const QString &id = QStringLiteral("gpu"))
{
    return generator(id, {}, QStringLiteral("g"), phase(QStringLiteral("Acquiring {arg}"), 100),
                     phase(QStringLiteral("Releasing {arg}"), 10));
}

QStringList linesOf(const QString &code)
{
    return code.split(u'\n');
}

// Writes `code` to `dir` and runs python3 on it with `arguments` before the file name
// (program.py is appended). Empty python3 means it is not on PATH.
struct PythonRun
{
    bool started = false;
    int exitCode = -1;
    QString out, err;
};

PythonRun runPython(const QString &python3, const QTemporaryDir &dir, const QString &code,
                    QStringList arguments = {})
{
    const QString path = dir.filePath(QStringLiteral("program.py"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(code.toUtf8());
    file.close();
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));
    process.setProcessEnvironment(env);
    process.start(python3, arguments << path);
    if (!process.waitForFinished(60000))
        return {};
    return { true, process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
             QString::fromUtf8(process.readAllStandardError()) };
}

std::shared_ptr<Scenario> loadExample(const QString &name)
{
    const std::optional<ExampleInfo> info = Examples::find(name);
    if (!info)
        return nullptr;
    std::vector<Diagnostic> diagnostics;
    return ScenarioLoader::fromFile(info->resourcePath, &diagnostics);
}

} // namespace

class tst_PythonExporter : public QObject
{
    Q_OBJECT

private slots:
    void constructs_data();
    void constructs();
    void names_data();
    void names();
    void resourceNamesKeepScenarioNames();
    void laneNamesAreThePlansNames_data() { names_data(); }
    void laneNamesAreThePlansNames();
    void laneNamesOfALoadedScenarioUseTheLoadersVariables();
    void stringLiteral_data();
    void stringLiteral();
    void templates_data();
    void templates();
    void seconds_data();
    void seconds();
    void stepLines();
    void pythonRuns_data();
    void pythonRuns();
    void examplesParse_data();
    void examplesParse();
    void seedExampleRuns();
    void headerSaysWhereOrderIsNotPinned_data();
    void headerSaysWhereOrderIsNotPinned();
};

void tst_PythonExporter::constructs_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QStringList>("expected"); // whole lines, indentation included

    QTest::newRow("seed: class and generator")
        << seed()
        << QStringList {
               QStringLiteral("import asyncio"),
               QStringLiteral("from contextlib import asynccontextmanager"),
               QStringLiteral("class AsyncDatabaseConnection:"),
               QStringLiteral("    def __init__(self, arg):"),
               QStringLiteral("        self.arg = arg"),
               QStringLiteral("        self.connected = False"),
               QStringLiteral("    async def __aenter__(self):"),
               QStringLiteral("        print(f\"Connecting to {self.arg}\")"),
               QStringLiteral("        await asyncio.sleep(0.1)"),
               QStringLiteral("        self.connected = True"),
               QStringLiteral("        return self"),
               QStringLiteral("    async def __aexit__(self, exc_type, exc, tb):"),
               QStringLiteral("        print(\"Closing connection\")"),
               QStringLiteral("        return False"),
               QStringLiteral("    async def execute(self, query, ms=0.05, fail=None):"),
               QStringLiteral("        if not self.connected:"),
               QStringLiteral("            raise RuntimeError(\"Not connected\")"),
               QStringLiteral("        print(f\"Executing: {query}\")"),
               QStringLiteral("        await asyncio.sleep(ms)"),
               QStringLiteral("        if fail is not None:"),
               QStringLiteral("            raise fail"),
               QStringLiteral("        return {\"result\": \"success\"}"),
               QStringLiteral("@asynccontextmanager"),
               QStringLiteral("async def managed_resource(arg):"),
               QStringLiteral("    resource = {\"id\": arg, \"status\": \"initialized\"}"),
               QStringLiteral("    print(f\"Acquiring resource {arg}\")"),
               QStringLiteral("    try:"),
               QStringLiteral("        await asyncio.sleep(0.1)"),
               QStringLiteral("        resource[\"status\"] = \"ready\""),
               QStringLiteral("        yield resource"),
               QStringLiteral("    finally:"),
               QStringLiteral("        print(f\"Releasing resource {arg}\")"),
               QStringLiteral("async def main():"),
               QStringLiteral("    async with "
                              "AsyncDatabaseConnection(\"postgresql://localhost/mydb\") as db:"),
               QStringLiteral("        await db.execute(\"SELECT * FROM users\")"),
               QStringLiteral("        print(\"Query result: {'result': 'success'}\")"),
               QStringLiteral("    async with managed_resource(\"GPU-001\") as gpu:"),
               QStringLiteral("        await asyncio.sleep(0.2)"),
               QStringLiteral("if __name__ == \"__main__\":"),
               QStringLiteral("    asyncio.run(main())"),
           };

    {
        ResourceDef r = plainClass();
        r.suppress = ResourceDef::Suppress::Types;
        r.suppressTypes = { ExceptionTypes::ValueError, ExceptionTypes::CancelledError };
        QTest::newRow("class suppresses a list")
            << withResources({ r }, {})
            << QStringList { QStringLiteral(
                   "        return exc_type is not None and issubclass(exc_type, "
                   "(ValueError, asyncio.CancelledError))") };
        r.suppress = ResourceDef::Suppress::Everything;
        QTest::newRow("class suppresses everything")
            << withResources({ r }, {}) << QStringList { QStringLiteral("        return True") };
    }
    {
        ResourceDef r = plainClass();
        r.enter = phase(QStringLiteral("Connecting"), 100,
                        exc(ExceptionTypes::ConnectionRefusedError, QStringLiteral("refused")));
        r.exit = phase({}, -1, exc(ExceptionTypes::RuntimeError, QStringLiteral("cleanup failed")));
        QTest::newRow("class enter and exit raise")
            << withResources({ r }, {})
            << QStringList { QStringLiteral("        raise ConnectionRefusedError(\"refused\")"),
                             QStringLiteral("        self.connected = False"),
                             QStringLiteral("        raise RuntimeError(\"cleanup failed\")") };
    }
    {
        ResourceDef r = plainClass();
        r.execute
            = phase(QStringLiteral("Run"), -1, exc(ExceptionTypes::KeyError, QStringLiteral("k")));
        QTest::newRow("execute without ms, with raise")
            << withResources({ r }, {})
            << QStringList { QStringLiteral(
                                 "    async def execute(self, query, ms=None, fail=None):"),
                             QStringLiteral("        if ms is not None:"),
                             QStringLiteral("            await asyncio.sleep(ms)"),
                             QStringLiteral("        raise KeyError(\"k\")") };
    }
    {
        ResourceDef r = classResource(kDb, {}, QString(), PhaseSpec {}, PhaseSpec {});
        QTest::newRow("empty arg and phases")
            << withResources({ r }, { with({ item(0, QStringLiteral("conn")) }, {}) })
            << QStringList { QStringLiteral("    def __init__(self, arg=\"\"):"),
                             QStringLiteral("    async def __aenter__(self):"),
                             QStringLiteral("        self.connected = True"),
                             QStringLiteral("    async with db() as conn:"),
                             QStringLiteral("        pass") };
    }
    {
        ResourceDef r = plainGenerator();
        r.suppress = ResourceDef::Suppress::Everything;
        QTest::newRow("generator suppresses everything")
            << withResources({ r }, {})
            << QStringList { QStringLiteral("    try:"),
                             QStringLiteral("        yield resource"),
                             QStringLiteral("    except BaseException:"),
                             QStringLiteral("        pass"),
                             QStringLiteral("    finally:"),
                             QStringLiteral("        await asyncio.sleep(0.01)") };
        r.suppress = ResourceDef::Suppress::Types;
        r.suppressTypes = { ExceptionTypes::KeyError };
        QTest::newRow("generator suppresses a list")
            << withResources({ r }, {})
            << QStringList { QStringLiteral("    except (KeyError,):") };
    }
    {
        ResourceDef r = plainGenerator();
        r.enter = phase(QStringLiteral("Acquiring"), 100,
                        exc(ExceptionTypes::RuntimeError, QStringLiteral("no GPU")));
        QTest::newRow("generator enter raises inside try")
            << withResources({ r }, {})
            << QStringList { QStringLiteral("    print(\"Acquiring\")"), QStringLiteral("    try:"),
                             QStringLiteral("        raise RuntimeError(\"no GPU\")"),
                             QStringLiteral("        yield resource"),
                             QStringLiteral("    finally:") };
    }
    {
        ResourceDef r = plainGenerator();
        r.cleanup = ResourceDef::Cleanup::AfterYield;
        QTest::newRow("generator cleanup after yield")
            << withResources({ r }, {})
            << QStringList { QStringLiteral("    await asyncio.sleep(0.1)"),
                             QStringLiteral("    resource[\"status\"] = \"ready\""),
                             QStringLiteral("    yield resource"),
                             QStringLiteral("    print(f\"Releasing {arg}\")") };
        r.suppress = ResourceDef::Suppress::Types;
        r.suppressTypes = { ExceptionTypes::ValueError };
        QTest::newRow("generator cleanup after yield, suppressing")
            << withResources({ r }, {})
            << QStringList { QStringLiteral("    resource[\"status\"] = \"ready\""),
                             QStringLiteral("    try:"),
                             QStringLiteral("        yield resource"),
                             QStringLiteral("    except (ValueError,):"),
                             QStringLiteral("        pass"),
                             QStringLiteral("    print(f\"Releasing {arg}\")") };
    }
    {
        ResourceDef r = plainGenerator();
        r.yields = 0;
        QTest::newRow("generator yields 0")
            << withResources({ r }, {})
            << QStringList {
                   QStringLiteral("        if False:"),
                   QStringLiteral(
                       "            yield  # never runs; it keeps this function a generator")
               };
        r.yields = 2;
        QTest::newRow("generator yields 2")
            << withResources({ r }, {})
            << QStringList { QStringLiteral("        yield resource"),
                             QStringLiteral("        yield resource") };
    }
    QTest::newRow("multi-item with")
        << withResources(
               { plainClass(), plainGenerator() },
               { with({ item(0, QStringLiteral("a")), item(1, QStringLiteral("b")) },
                      { execute(QStringLiteral("a"), QStringLiteral("q"), 200,
                                exc(ExceptionTypes::ValueError, QStringLiteral("bad"))) }) })
        << QStringList { QStringLiteral("    async with db(\"x\") as a, gpu(\"g\") as b:"),
                         QStringLiteral(
                             "        await a.execute(\"q\", ms=0.2, fail=ValueError(\"bad\"))") };
    {
        std::vector<ResourceDef> rs;
        std::vector<WithItem> items;
        for (int i = 0; i < 4; ++i) {
            rs.push_back(classResource(QStringLiteral("resource_with_a_long_name_%1").arg(i), {},
                                       QStringLiteral("an argument"), PhaseSpec {}, PhaseSpec {}));
            items.push_back(item(i, QStringLiteral("r%1").arg(i)));
        }
        QTest::newRow("long multi-item with is parenthesized")
            << withResources(rs, { with(items, {}) })
            << QStringList {
                   QStringLiteral("    async with ("),
                   QStringLiteral("        resource_with_a_long_name_0(\"an argument\") as r0,"),
                   QStringLiteral("        resource_with_a_long_name_3(\"an argument\") as r3,"),
                   QStringLiteral("    ):")
               };
    }
    QTest::newRow("sleep, print, raise, timeout")
        << withResources({},
                         { sleepFor(150), print(QStringLiteral("hi")),
                           timeout(1000000000, { sleepFor(0) }),
                           raise(exc(ExceptionTypes::ValueError)),
                           raise(exc(ExceptionTypes::ValueError, QString())),
                           raise(exc(ExceptionTypes::CancelledError, QStringLiteral("stop"))) })
        << QStringList { QStringLiteral("    await asyncio.sleep(0.15)"),
                         QStringLiteral("    print(\"hi\")"),
                         QStringLiteral("    async with asyncio.timeout(1000000.0):"),
                         QStringLiteral("        await asyncio.sleep(0.0)"),
                         QStringLiteral("    raise ValueError()"),
                         QStringLiteral("    raise ValueError(\"\")"),
                         QStringLiteral("    raise asyncio.CancelledError(\"stop\")") };
    QTest::newRow("try, except, else, finally, reraise")
        << withResources(
               {},
               { tryStep({ raise(exc(ExceptionTypes::KeyError, QStringLiteral("k"))) },
                         { { { ExceptionTypes::KeyError, ExceptionTypes::IndexError },
                             { print(QStringLiteral("caught {exc_type}: {exc}")), reraise() } },
                           { { ExceptionTypes::Exception }, {} } },
                         Block { print(QStringLiteral("no error")) }, Block {}) })
        << QStringList { QStringLiteral("    try:"),
                         QStringLiteral("        raise KeyError(\"k\")"),
                         QStringLiteral("    except (KeyError, IndexError) as e:"),
                         QStringLiteral("        print(f\"caught {type(e).__name__}: {e}\")"),
                         QStringLiteral("        raise"),
                         QStringLiteral("    except (Exception,) as e:"),
                         QStringLiteral("        pass"),
                         QStringLiteral("    else:"),
                         QStringLiteral("        print(\"no error\")"),
                         QStringLiteral("    finally:") };
    QTest::newRow("nested handlers use distinct variables")
        << withResources({},
                         { tryStep({ raise(exc(ExceptionTypes::KeyError)) },
                                   { { { ExceptionTypes::Exception },
                                       { tryStep({ raise(exc(ExceptionTypes::ValueError)) },
                                                 { { { ExceptionTypes::Exception },
                                                     { print(QStringLiteral("{exc_type}")) } } }),
                                         print(QStringLiteral("{exc_type}")) } } }) })
        << QStringList { QStringLiteral("    except (Exception,) as e:"),
                         QStringLiteral("        except (Exception,) as e2:"),
                         QStringLiteral("            print(f\"{type(e2).__name__}\")"),
                         QStringLiteral("        print(f\"{type(e).__name__}\")") };
    {
        Block inner { print(QStringLiteral("{exc}")) };
        // A TASK written inside an except body does not see the handler's variable.
        QTest::newRow("task body inside except starts a fresh function")
            << withResources(
                   {},
                   { tryStep({ raise(exc(ExceptionTypes::KeyError)) },
                             { { { ExceptionTypes::Exception },
                                 { tasks(StepKind::Gather,
                                         { task(QStringLiteral("w"),
                                                { tryStep({},
                                                          { { { ExceptionTypes::Exception },
                                                              inner } }) }) }) } } }) })
            << QStringList { QStringLiteral("async def w():"),
                             QStringLiteral("    except (Exception,) as e:"),
                             QStringLiteral("        print(f\"{e}\")") };
    }
    QTest::newRow("gather with cancel_after")
        << withResources({},
                         { tasks(StepKind::Gather,
                                 { task(QStringLiteral("worker-1"), { sleepFor(100) }, 120),
                                   task(QStringLiteral("worker-2"), {}) },
                                 true) })
        << QStringList {
               QStringLiteral("async def worker_1():"),
               QStringLiteral("async def worker_2():"),
               QStringLiteral("    t1 = asyncio.create_task(worker_1(), name=\"worker-1\")"),
               QStringLiteral("    asyncio.get_running_loop().call_later(0.12, t1.cancel)"),
               QStringLiteral("    t2 = asyncio.create_task(worker_2(), name=\"worker-2\")"),
               QStringLiteral("    await asyncio.gather(t1, t2, return_exceptions=True)")
           };
    QTest::newRow("task group")
        << withResources(
               {},
               { tasks(StepKind::TaskGroup,
                       { task(QStringLiteral("a"), {}), task(QStringLiteral("b"), {}, 0) }) })
        << QStringList { QStringLiteral("    async with asyncio.TaskGroup() as tg:"),
                         QStringLiteral("        tg.create_task(a(), name=\"a\")"),
                         QStringLiteral("        t2 = tg.create_task(b(), name=\"b\")"),
                         QStringLiteral(
                             "        asyncio.get_running_loop().call_later(0.0, t2.cancel)") };
    QTest::newRow("spawn")
        << withResources({},
                         { tasks(StepKind::Spawn, { task(QStringLiteral("bg"), { sleepFor(5) }) }),
                           tasks(StepKind::Spawn, { task(QStringLiteral("bg"), {}, 7) }) })
        << QStringList { QStringLiteral("background_tasks = []"),
                         QStringLiteral("async def bg():"),
                         QStringLiteral("async def bg_2():"),
                         QStringLiteral(
                             "    background_tasks.append(asyncio.create_task(bg(), name=\"bg\"))"),
                         QStringLiteral("    t1 = asyncio.create_task(bg_2(), name=\"bg\")"),
                         QStringLiteral(
                             "    asyncio.get_running_loop().call_later(0.007, t1.cancel)"),
                         QStringLiteral("    background_tasks.append(t1)") };
    {
        Scenario s;
        const int queryError
            = s.types.addCustom(QStringLiteral("QueryError"), ExceptionTypes::RuntimeError);
        s.types.addCustom(QStringLiteral("Stop"), ExceptionTypes::CancelledError);
        s.types.addCustom(QStringLiteral("PoolError"), queryError);
        s.main = { raise(exc(queryError, QStringLiteral("bad"))) };
        QTest::newRow("custom exceptions in file order")
            << finish(s)
            << QStringList { QStringLiteral("class QueryError(RuntimeError): pass"),
                             QStringLiteral("class Stop(asyncio.CancelledError): pass"),
                             QStringLiteral("class PoolError(QueryError): pass"),
                             QStringLiteral("    raise QueryError(\"bad\")") };
    }
    QTest::newRow("empty main") << withResources(
        {}, {}) << QStringList { QStringLiteral("async def main():"), QStringLiteral("    pass") };
}

void tst_PythonExporter::constructs()
{
    QFETCH(Scenario, scenario);
    QFETCH(QStringList, expected);
    const QString code = PythonExporter::exportScenario(scenario).code;
    const QStringList lines = linesOf(code);
    for (const QString &line : expected) {
        if (!lines.contains(line))
            qWarning().noquote() << code;
        QVERIFY2(lines.contains(line), qPrintable(QStringLiteral("missing line: ") + line));
    }
    QVERIFY(code.endsWith(QStringLiteral("if __name__ == \"__main__\":\n    asyncio.run(main())\n"))
            || code.contains(QStringLiteral("asyncio.run(main_())")));
}

void tst_PythonExporter::names_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("forbidden");

    QTest::newRow("resource bound as its own id")
        << withResources({ plainClass() },
                         { with({ item(0, kDb) }, { execute(kDb, QStringLiteral("q")) }) })
        << QStringList { QStringLiteral("class db_:"),
                         QStringLiteral("    async with db_(\"x\") as db:") }
        << QStringList { QStringLiteral("class db:") };
    QTest::newRow("user variable e inside an except")
        << withResources({ plainClass() },
                         { tryStep({ raise(exc(ExceptionTypes::ValueError)) },
                                   { { { ExceptionTypes::ValueError },
                                       { with({ item(0, QStringLiteral("e")) },
                                              { print(QStringLiteral("{exc}")) }) } } }) })
        << QStringList { QStringLiteral("    except (ValueError,) as e2:"),
                         QStringLiteral("        async with db(\"x\") as e:"),
                         QStringLiteral("            print(f\"{e2}\")") }
        << QStringList { QStringLiteral("    except (ValueError,) as e:") };
    QTest::newRow("task named like a keyword or built-in")
        << withResources(
               {},
               { tasks(StepKind::Gather,
                       { task(QStringLiteral("class"), {}), task(QStringLiteral("print"), {}),
                         task(QStringLiteral("9 lives"), {}), task(QStringLiteral("!!"), {}) }) })
        << QStringList { QStringLiteral("async def class_():"),
                         QStringLiteral("async def print_():"),
                         QStringLiteral("async def task_9_lives():"),
                         QStringLiteral("async def task():"),
                         QStringLiteral("    t1 = asyncio.create_task(class_(), name=\"class\")") }
        << QStringList { QStringLiteral("async def print():") };
    QTest::newRow("user variables named like helper names")
        << withResources({ plainClass() },
                         { with({ item(0, QStringLiteral("t1")), item(0, QStringLiteral("tg")) },
                                { tasks(StepKind::TaskGroup, { task(QStringLiteral("w"), {}, 5) }),
                                  tasks(StepKind::Gather, { task(QStringLiteral("v"), {}) }) }) })
        << QStringList { QStringLiteral("        async with asyncio.TaskGroup() as tg_:"),
                         QStringLiteral("            t1_ = tg_.create_task(w(), name=\"w\")"),
                         QStringLiteral("        t1_ = asyncio.create_task(v(), name=\"v\")") }
        << QStringList {};
    {
        ResourceDef main = plainClass(QStringLiteral("main"));
        ResourceDef decorator = plainGenerator(QStringLiteral("asynccontextmanager"));
        ResourceDef worker = plainClass(QStringLiteral("worker"));
        QTest::newRow("resources named like exporter names")
            << withResources({ main, decorator, worker },
                             { with({ item(1, QStringLiteral("g")) }, {}),
                               tasks(StepKind::Spawn, { task(QStringLiteral("worker"), {}) }) })
            << QStringList { QStringLiteral("class main:"),
                             QStringLiteral("import contextlib"),
                             QStringLiteral("@contextlib.asynccontextmanager"),
                             QStringLiteral("async def asynccontextmanager(arg):"),
                             QStringLiteral("class worker:"),
                             QStringLiteral("async def worker_2():"),
                             QStringLiteral("async def main_():"),
                             QStringLiteral("    asyncio.run(main_())") }
            << QStringList { QStringLiteral("from contextlib import asynccontextmanager") };
    }
    {
        Scenario s;
        const int err = s.types.addCustom(QStringLiteral("err"), ExceptionTypes::Exception);
        const int exc = s.types.addCustom(QStringLiteral("exc"), ExceptionTypes::Exception);
        s.resources = { plainClass(QStringLiteral("conn"), QStringLiteral("err")) };
        s.resources[0].exit = phase({}, -1, Build::exc(exc));
        s.main = { with({ item(0, QStringLiteral("err")) },
                        { tryStep({ raise(Build::exc(err)) }, { { { err }, {} } }) }) };
        QTest::newRow("exception shadowed by a variable, exception named like a parameter")
            << finish(s)
            << QStringList { QStringLiteral("class err(Exception): pass"),
                             QStringLiteral("err_ = err  # a variable is also called err"),
                             QStringLiteral("class err_2:"),
                             QStringLiteral("            raise err_()"),
                             QStringLiteral("        except (err_,) as e:"),
                             QStringLiteral("    async def __aexit__(self, exc_type, exc_, tb):"),
                             QStringLiteral("        raise exc()") }
            << QStringList {};
    }
    QTest::newRow("two resources with one name")
        << withResources({ plainClass(QStringLiteral("a"), QStringLiteral("Conn")),
                           plainClass(QStringLiteral("b"), QStringLiteral("Conn")) },
                         {})
        << QStringList { QStringLiteral("class Conn:"), QStringLiteral("class Conn_:") }
        << QStringList {};
}

void tst_PythonExporter::names()
{
    QFETCH(Scenario, scenario);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, forbidden);
    const QString code = PythonExporter::exportScenario(scenario).code;
    const QStringList lines = linesOf(code);
    for (const QString &line : expected) {
        if (!lines.contains(line))
            qWarning().noquote() << code;
        QVERIFY2(lines.contains(line), qPrintable(QStringLiteral("missing line: ") + line));
    }
    for (const QString &line : forbidden)
        QVERIFY2(!lines.contains(line), qPrintable(QStringLiteral("unexpected line: ") + line));
}

void tst_PythonExporter::resourceNamesKeepScenarioNames()
{
    const Scenario s = withResources(
        { plainClass(QStringLiteral("db"), QStringLiteral("AsyncDatabaseConnection")),
          plainClass(QStringLiteral("conn")) },
        { with({ item(1, QStringLiteral("conn")) }, {}) });
    const PythonNamePlan::LaneNames names = PythonNamePlan::laneNames(s);
    QCOMPARE(names.resources,
             (std::vector<QString> { QStringLiteral("AsyncDatabaseConnection"),
                                     QStringLiteral("conn_") }));
    QCOMPARE(names.mainFunction, QStringLiteral("main"));
}

// A run names its lanes from the quick pass; the exported program from the whole plan.
void tst_PythonExporter::laneNamesAreThePlansNames()
{
    QFETCH(Scenario, scenario);
    const PythonNamePlan plan(scenario);
    const PythonNamePlan::LaneNames names = PythonNamePlan::laneNames(scenario);
    QCOMPARE(names.resources, plan.resources());
    QCOMPARE(names.mainFunction, plan.mainFunction());
}

// The loader lists the names with items bind as it reads them (no scan of the steps); they
// rename as the whole plan does: `db` bound in a task, `main` bound in main.
void tst_PythonExporter::laneNamesOfALoadedScenarioUseTheLoadersVariables()
{
    const std::shared_ptr<Scenario> scenario = ScenarioLoader::fromData(
        R"({"lifeline": 1, "resources": [{"id": "db", "kind": "class"},
            {"id": "gpu", "kind": "generator", "name": "Gpu"}],
            "main": [{"with": [{"resource": "gpu", "as": "main"}], "body": []},
                     {"gather": [{"name": "t", "body": [{"with": "db", "body": []}]}]}]})",
        QStringLiteral("names.json"), nullptr);
    QVERIFY(scenario);
    QVERIFY(scenario->variableNames);
    QCOMPARE(*scenario->variableNames, (QSet<QString> { QStringLiteral("main"), kDb }));
    const PythonNamePlan plan(*scenario);
    const PythonNamePlan::LaneNames names = PythonNamePlan::laneNames(*scenario);
    QCOMPARE(names.resources,
             (std::vector<QString> { QStringLiteral("db_"), QStringLiteral("Gpu") }));
    QCOMPARE(names.resources, plan.resources());
    QCOMPARE(names.mainFunction, QStringLiteral("main_"));
    QCOMPARE(names.mainFunction, plan.mainFunction());
}

void tst_PythonExporter::stringLiteral_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("literal");

    QTest::newRow("plain") << QStringLiteral("SELECT 1") << QStringLiteral("\"SELECT 1\"");
    QTest::newRow("empty") << QString() << QStringLiteral("\"\"");
    QTest::newRow("quotes") << QStringLiteral("say \"hi\" 'x'")
                            << QStringLiteral("\"say \\\"hi\\\" 'x'\"");
    QTest::newRow("backslash") << QStringLiteral("C:\\dir\\n")
                               << QStringLiteral("\"C:\\\\dir\\\\n\"");
    QTest::newRow("newline, tab, CR")
        << QStringLiteral("a\nb\tc\rd") << QStringLiteral("\"a\\nb\\tc\\rd\"");
    QTest::newRow("NUL and DEL") << QString(QChar(0)) + QChar(0x7f)
                                 << QStringLiteral("\"\\x00\\x7f\"");
    QTest::newRow("braces stay single") << QStringLiteral("{x}") << QStringLiteral("\"{x}\"");
    QTest::newRow("accents kept") << QStringLiteral("Grüße, café")
                                  << QStringLiteral("\"Grüße, café\"");
    QTest::newRow("emoji kept") << QStringLiteral("ok 🎉") << QStringLiteral("\"ok 🎉\"");
    QTest::newRow("line separators escaped") << QString(QChar(0x2028)) + QChar(0x2029) + QChar(0x85)
                                             << QStringLiteral("\"\\u2028\\u2029\\x85\"");
    QTest::newRow("invisible characters escaped") << QString(QChar(0xa0)) + QChar(0x200b)
            + QChar(0xfeff) << QStringLiteral("\"\\xa0\\u200b\\ufeff\"");
    QTest::newRow("lone surrogate escaped")
        << QString(QChar(0xd800)) << QStringLiteral("\"\\ud800\"");
    QTest::newRow("private use outside the BMP")
        << QString::fromUcs4(U"\U000F0000") << QStringLiteral("\"\\U000f0000\"");
}

void tst_PythonExporter::stringLiteral()
{
    QFETCH(QString, text);
    QFETCH(QString, literal);
    QCOMPARE(PythonLiteral::string(text), literal);
}

void tst_PythonExporter::templates_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QString>("line");

    const auto printing = [](const QString &source) {
        return withResources(
            {}, { tryStep({}, { { { ExceptionTypes::Exception }, { print(source) } } }) });
    };
    QTest::newRow("braces doubled in an f-string")
        << printing(QStringLiteral("{{x}} {exc}"))
        << QStringLiteral("        print(f\"{{x}} {e}\")");
    QTest::newRow("no placeholder: plain literal, single braces")
        << printing(QStringLiteral("{{'a': 1}}")) << QStringLiteral("        print(\"{'a': 1}\")");
    QTest::newRow("quotes, backslash and newline in an f-string")
        << printing(QStringLiteral("\"{exc}\"\\\n"))
        << QStringLiteral("        print(f\"\\\"{e}\\\"\\\\\\n\")");
    QTest::newRow("exc_type") << printing(QStringLiteral("{exc_type}!"))
                              << QStringLiteral("        print(f\"{type(e).__name__}!\")");
}

void tst_PythonExporter::templates()
{
    QFETCH(Scenario, scenario);
    QFETCH(QString, line);
    const QStringList lines = linesOf(PythonExporter::exportScenario(scenario).code);
    QVERIFY2(lines.contains(line), qPrintable(lines.join(u'\n')));
}

void tst_PythonExporter::seconds_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("seconds");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0.0");
    QTest::newRow("one ms") << qint64(1) << QStringLiteral("0.001");
    QTest::newRow("150 ms") << qint64(150) << QStringLiteral("0.15");
    QTest::newRow("one second") << qint64(1000) << QStringLiteral("1.0");
    QTest::newRow("1234 ms") << qint64(1234) << QStringLiteral("1.234");
    QTest::newRow("the maximum") << qint64(1000000000) << QStringLiteral("1000000.0");
}

void tst_PythonExporter::seconds()
{
    QFETCH(qint64, ms);
    QFETCH(QString, seconds);
    QCOMPARE(PythonLiteral::seconds(ms), seconds);
}

void tst_PythonExporter::stepLines()
{
    Scenario s = seed();
    s.main.push_back(
        tryStep({ tasks(StepKind::Gather, { task(QStringLiteral("w"), { sleepFor(1) }) }) },
                { { { ExceptionTypes::Exception }, { reraise() } } }, {}, Block {}));
    s = finish(s);
    const PythonExporter::Result result = PythonExporter::exportScenario(s);
    const QStringList lines = linesOf(result.code);
    QCOMPARE(result.stepLines.size(), size_t(s.stepCount));
    const QStringList expected = {
        QStringLiteral("async with AsyncDatabaseConnection("), // 0
        QStringLiteral("await db.execute(\"SELECT * FROM users\")"),
        QStringLiteral("print(\"Query result:"),
        QStringLiteral("async with managed_resource("),
        QStringLiteral("print(\"Using resource:"),
        QStringLiteral("await asyncio.sleep(0.2)"),
        QStringLiteral("try:"), // 6
        QStringLiteral("t1 = asyncio.create_task(w(), name=\"w\")"),
        QStringLiteral("await asyncio.sleep(0.001)"), // the task's body
        QStringLiteral("raise"),
    };
    QCOMPARE(qsizetype(s.stepCount), expected.size());
    for (quint32 id = 0; id < s.stepCount; ++id) {
        const int line = result.stepLines[id];
        QVERIFY(line >= 1 && line <= lines.size());
        const QString text = lines[line - 1].trimmed();
        QVERIFY2(text.startsWith(expected[int(id)]),
                 qPrintable(QStringLiteral("step %1 at line %2: %3").arg(id).arg(line).arg(text)));
    }
}

void tst_PythonExporter::pythonRuns_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QString>("expectedOut");
    QTest::addColumn<int>("exitCode");

    QTest::newRow("seed")
        << seed()
        << QStringLiteral(
               "Connecting to postgresql://localhost/mydb\nExecuting: SELECT * FROM users\n"
               "Query result: {'result': 'success'}\nClosing connection\n"
               "Acquiring resource GPU-001\nUsing resource: {'id': 'GPU-001', 'status': 'ready'}\n"
               "Releasing resource GPU-001\n")
        << 0;
    {
        ResourceDef r = classResource(kDb, {}, QStringLiteral("a \"quoted\" {arg} \\ ü"),
                                      phase(QStringLiteral("enter {arg}")),
                                      phase(QStringLiteral("exit {arg}")),
                                      phase(QStringLiteral("q={query}"), 0));
        QTest::newRow("names and escapes survive CPython")
            << withResources(
                   { r },
                   { with({ item(0, kDb) }, { execute(kDb, QStringLiteral("{{x}}\n\"y\"")) }),
                     tryStep({ execute(kDb, QStringLiteral("late")) },
                             { { { ExceptionTypes::RuntimeError },
                                 { with({ item(0, QStringLiteral("e")) },
                                        { print(QStringLiteral("{exc_type}: {exc}")) }) } } }) })
            << QStringLiteral(
                   "enter a \"quoted\" {arg} \\ ü\nq={{x}}\n\"y\"\nexit a \"quoted\" {arg} \\ ü\n"
                   "enter a \"quoted\" {arg} \\ ü\nRuntimeError: Not connected\n"
                   "exit a \"quoted\" {arg} \\ ü\n")
            << 0;
    }
    QTest::newRow("unbound variable before its with")
        << withResources(
               { plainClass() },
               { tryStep({ execute(kDb, QStringLiteral("q")) },
                         { { { ExceptionTypes::NameError }, { print(QStringLiteral("{exc}")) } } }),
                 with({ item(0, kDb) }, {}) })
        << QStringLiteral(
               "cannot access local variable 'db' where it is not associated with a value\n")
        << 0;
    QTest::newRow("spawned task and gather") << withResources(
        {},
        { tasks(
              StepKind::Spawn,
              { task(QStringLiteral("bg"), { print(QStringLiteral("bg runs")), sleepFor(1000) }) }),
          tasks(StepKind::Gather,
                { task(QStringLiteral("w"), { print(QStringLiteral("w runs")) }) }) })
                                             << QStringLiteral("bg runs\nw runs\n") << 0;
    QTest::newRow("escaping exception exits 1")
        << withResources({}, { raise(exc(ExceptionTypes::ValueError, QStringLiteral("boom"))) })
        << QString() << 1;
}

void tst_PythonExporter::pythonRuns()
{
    QFETCH(Scenario, scenario);
    QFETCH(QString, expectedOut);
    QFETCH(int, exitCode);

    const QString python3 = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python3.isEmpty())
        QSKIP("python3 is not on PATH: cannot run the exported program with CPython");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const PythonRun run = runPython(python3, dir, PythonExporter::exportScenario(scenario).code);
    QVERIFY(run.started);
    QVERIFY2(!run.err.contains(QStringLiteral("SyntaxError")), qPrintable(run.err));
    QCOMPARE(run.out, expectedOut);
    QCOMPARE(run.exitCode, exitCode);
}

void tst_PythonExporter::examplesParse_data()
{
    QTest::addColumn<QString>("name");
    for (const ExampleInfo &example : Examples::all())
        QTest::newRow(qPrintable(example.name)) << example.name;
}

void tst_PythonExporter::examplesParse()
{
    QFETCH(QString, name);
    const std::shared_ptr<Scenario> scenario = loadExample(name);
    QVERIFY(scenario);
    const PythonExporter::Result result = PythonExporter::exportScenario(*scenario);
    QCOMPARE(result.stepLines.size(), size_t(scenario->stepCount));
    for (int line : result.stepLines)
        QVERIFY(line > 0);

    const QString python3 = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python3.isEmpty())
        QSKIP("python3 is not on PATH: cannot check the exported program with CPython");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const PythonRun run = runPython(
        python3, dir, result.code,
        { QStringLiteral("-c"),
          QStringLiteral(
              "import ast,sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())") });
    QVERIFY(run.started);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

// The spec's seed block, without timestamps: CPython prints it from the exported seed.
void tst_PythonExporter::seedExampleRuns()
{
    const std::shared_ptr<Scenario> scenario = loadExample(QStringLiteral("seed"));
    QVERIFY(scenario);
    const QString python3 = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python3.isEmpty())
        QSKIP("python3 is not on PATH: cannot run the exported program with CPython");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const PythonRun run = runPython(python3, dir, PythonExporter::exportScenario(*scenario).code);
    QVERIFY(run.started);
    QCOMPARE(run.out,
             QStringLiteral("Connecting to postgresql://localhost/mydb\n"
                            "Executing: SELECT * FROM users\n"
                            "Query result: {'result': 'success'}\n"
                            "Closing connection\n"
                            "Acquiring resource GPU-001\n"
                            "Using resource: {'id': 'GPU-001', 'status': 'ready'}\n"
                            "Releasing resource GPU-001\n"));
    QCOMPARE(run.exitCode, 0);
}

void tst_PythonExporter::headerSaysWhereOrderIsNotPinned_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QString>("expected"); // in the header; empty: no note at all
    QTest::newRow("a TaskGroup: siblings cancelled in a set's order")
        << QStringLiteral("gather-vs-taskgroup")
        << QStringLiteral("CPython keeps a TaskGroup's tasks in a set");
    QTest::newRow("a spawned task: cancelled by asyncio.run in a weak set's order")
        << QStringLiteral("spawn-cancelled-at-exit")
        << QStringLiteral("asyncio.run cancels the tasks still running");
    QTest::newRow("nothing left to memory addresses") << QStringLiteral("seed") << QString();
}

// Plain python3 may print a TaskGroup's or asyncio.run's cancellations in another order than
// `lifeline run`: the exported program says so, and names the commands that pin the order.
void tst_PythonExporter::headerSaysWhereOrderIsNotPinned()
{
    QFETCH(QString, example);
    QFETCH(QString, expected);
    const std::shared_ptr<Scenario> scenario = loadExample(example);
    QVERIFY(scenario);
    const QString code = PythonExporter::exportScenario(*scenario).code;
    const QString header = code.left(code.indexOf(QStringLiteral("\nimport asyncio")));
    // Comment lines joined, as a reader reads the wrapped text.
    QString text;
    for (const QString &l : header.split(u'\n'))
        text += l.mid(2) + u' ';
    text = text.simplified();
    if (expected.isEmpty()) {
        QVERIFY2(!text.contains(QStringLiteral("python3")), qPrintable(header));
        return;
    }
    QVERIFY2(text.contains(QStringLiteral("Run with plain python3, this program may print lines "
                                          "in another order than `lifeline run`")),
             qPrintable(header));
    QVERIFY2(text.contains(expected), qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("#     lifeline trace --virtual-clock PROGRAM.py\n")),
             qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("#     python3 tests/python/vclock_runner.py "
                                            "PROGRAM.py")),
             qPrintable(header));
}

QTEST_GUILESS_MAIN(tst_PythonExporter)
#include "tst_pythonexporter.moc"
