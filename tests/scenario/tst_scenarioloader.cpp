// SPDX-License-Identifier: MIT
// Tests of ScenarioLoader and the JSON reader under it. Error rows mark where the diagnostic must
// point with » in the JSON (removed before loading), so each row states the exact line
// FILE:LINE:COLUMN: PATH: MESSAGE without hand-counted columns. Long because the format has
// many rules, each with its own row.

#include "jsonreader.h"
#include "scenarioloader.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

namespace {

const QByteArray kMarker = "\xc2\xbb"; // »

const QByteArray kDb = R"({"id": "db", "kind": "class", "arg": "postgresql://localhost/mydb",
 "enter": {"print": "Connecting to {arg}", "ms": 100},
 "execute": {"print": "Executing: {query}", "ms": 50},
 "exit": {"print": "Closing connection", "ms": 100}})";
const QByteArray kGpu = R"({"id": "gpu", "kind": "generator", "arg": "GPU-001",
 "enter": {"print": "Acquiring resource {arg}", "ms": 100},
 "exit": {"print": "Releasing resource {arg}"}})";
const QByteArray kLock = R"({"id": "lock", "kind": "class"})";

QByteArray document(const QByteArray &main,
                    const QByteArray &resources = kDb + ", " + kGpu + ", " + kLock,
                    const QByteArray &exceptions = "[]")
{
    return "{\"lifeline\": 1,\n\"exceptions\": " + exceptions + ",\n\"resources\": [" + resources
        + "],\n\"main\": " + main + "}\n";
}

QByteArray withResources(const QByteArray &resources)
{
    return document("[]", resources);
}

// The marked text without markers, and each marker's 1-based line and column (in characters).
QByteArray unmark(const QByteArray &marked, std::vector<std::pair<int, int>> *positions)
{
    QByteArray plain;
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < marked.size();) {
        if (marked.mid(i, kMarker.size()) == kMarker) {
            positions->emplace_back(line, column);
            i += kMarker.size();
            continue;
        }
        const uchar c = uchar(marked[i]);
        plain.append(char(c));
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
        ++i;
    }
    return plain;
}

QStringList load(const QByteArray &json, std::shared_ptr<Scenario> *scenario = nullptr)
{
    std::vector<Diagnostic> diagnostics;
    auto loaded = ScenarioLoader::fromData(json, QStringLiteral("t.json"), &diagnostics);
    QStringList lines;
    for (const Diagnostic &d : diagnostics)
        lines << d.toString();
    if (!loaded && lines.isEmpty())
        lines << QStringLiteral("(failed without a diagnostic)");
    if (scenario)
        *scenario = loaded;
    return lines;
}

std::shared_ptr<Scenario> loadValid(const QByteArray &json)
{
    std::shared_ptr<Scenario> scenario;
    const QStringList problems = load(json, &scenario);
    if (!problems.isEmpty())
        qWarning().noquote() << problems.join(u'\n');
    return scenario;
}

QString templateText(const Template &parts)
{
    QString text;
    for (const TemplatePart &part : parts) {
        switch (part.kind) {
        case TemplatePart::Kind::Text:
            text += u'[' + part.text + u']';
            break;
        case TemplatePart::Kind::Arg:
            text += QLatin1String("<arg>");
            break;
        case TemplatePart::Kind::Query:
            text += QLatin1String("<query>");
            break;
        case TemplatePart::Kind::Exc:
            text += QLatin1String("<exc>");
            break;
        case TemplatePart::Kind::ExcType:
            text += QLatin1String("<exc_type>");
            break;
        }
    }
    return text;
}

// "id:kind" for every step in pre-order, to check ids against the traversal the spec fixes.
void collectIds(const Block &block, QStringList *out);
void collectTaskIds(const CompactVector<TaskDef> &tasks, QStringList *out)
{
    for (const TaskDef &task : tasks)
        collectIds(task.body, out);
}
void collectIds(const Block &block, QStringList *out)
{
    for (const Step &step : block) {
        *out << QString::number(step.id);
        collectIds(step.body, out);
        for (const Handler &handler : step.handlers())
            collectIds(handler.body, out);
        collectIds(step.elseBody(), out);
        collectIds(step.finallyBody(), out);
        collectTaskIds(step.tasks, out);
    }
}

} // namespace

class tst_ScenarioLoader : public QObject
{
    Q_OBJECT

private slots:
    void errors_data();
    void errors();
    void seedExample();
    void stepIdsArePreOrder();
    void slotsArePerFunction();
    void templates_data();
    void templates();
    void customExceptions();
    void defaults();
    void validPlacements_data();
    void validPlacements();
    void nestingLimitIsTen();
    void byteOrderMarkAndEscapedKeys();
    void columnsCountCharacters();
    void deepJsonNesting();
    void hugeString();
    void keyFarFromItsValue();
    void hugeIntegers();
    void invalidUtf8_data();
    void invalidUtf8();
    void duplicateKeysInLargeObject();
    void missingFile();
    void diagnosticToString();
    void equalStringsShareOnePayload();
    void sharedStringsCountEveryCopy();
    void largeGather();
};

void tst_ScenarioLoader::errors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("problems"); // "PATH: MESSAGE", one per marker, in order

    auto row = [](const char *name, const QByteArray &json, const QStringList &problems) {
        QTest::newRow(name) << json << problems;
    };

    // Not JSON: one message at the first error.
    row("empty file", "»", { "$: expected a value, found end of file" });
    row("not json", "»hello",
        { "$: expected a value (object, array, string, number, true, false or "
          "null), found 'h'" });
    row("bad literal", "{\"main\": »nul}", { "main: invalid literal: expected null" });
    row("trailing garbage", "{}\n»x", { "$: unexpected 'x' after the end of the document" });
    row("duplicate key", "{\"lifeline\": 1,\n »\"lifeline\": 2}",
        { "lifeline: duplicate key \"lifeline\" (first at line 1, column 2)" });
    row("lone high surrogate", R"({"title": "ab»\ud800"})",
        { "title: lone surrogate \\uD800 is not valid Unicode (a high surrogate must be followed "
          "by a "
          "\\uDC00-\\uDFFF escape)" });
    row("lone low surrogate", R"({"title": "»\udc00\ud800"})",
        { "title: lone low surrogate \\uDC00 is not valid Unicode" });
    row("invalid utf-8 in a string", "{\"title\": \"a»\xff\"}",
        { "title: invalid UTF-8 in a string: invalid UTF-8 byte 0xFF" });
    row("overlong utf-8", "{\"title\": \"»\xc0\xaf\"}",
        { "title: invalid UTF-8 in a string: invalid UTF-8 byte 0xC0" });
    row("utf-8 surrogate", "{\"title\": \"»\xed\xa0\x80\"}",
        { "title: invalid UTF-8 in a string: invalid UTF-8 byte 0xED" });
    row("invalid utf-8 outside strings", "{\"main\": [»\xfe]}",
        { "main[0]: expected a value (object, array, string, number, true, false or null), found "
          "invalid UTF-8 byte 0xFE" });
    row("unterminated string", "{\"title\": »\"abc",
        { "title: unterminated string: no closing quote "
          "before the end of file" });
    row("control character in a string", "{\"title\": \"a»\tb\"}",
        { "title: control character U+0009 in a string must be escaped" });
    row("invalid escape", R"({"title": "a»\x"})",
        { "title: invalid escape \\'x' (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)" });
    row("short unicode escape", R"({"title": "»\u12"})",
        { "title: invalid \\u escape: expected four hex digits" });
    row("trailing comma in array", "{\"main\": [1, »]}",
        { "main[1]: expected a value after ',', found ']' (a trailing comma is not allowed)" });
    row("trailing comma in object", "{\"lifeline\": 1, »}",
        { "$: expected a key after ',', found '}' (a trailing comma is not allowed)" });
    row("missing colon", "{\"lifeline\" »1}", { "$: expected ':' after the key, found '1'" });
    row("unquoted key", "{»lifeline: 1}", { "$: expected a key in double quotes, found 'l'" });
    row("missing comma", "{\"main\": [1 »2]}",
        { "main: expected ',' or ']' after an array element, found '2'" });
    row("unclosed object", "{\"main\": []»",
        { "$: expected ',' or '}' after an object member, "
          "found end of file" });
    row("leading zero", "{\"lifeline\": »01}",
        { "lifeline: invalid number: leading zeros are not allowed" });
    row("bare minus", "{\"lifeline\": -»}",
        { "lifeline: invalid number: expected a digit after '-', found '}'" });
    row("fraction without digits", "{\"lifeline\": 1.»}",
        { "lifeline: invalid number: expected a digit after '.', found '}'" });
    row("exponent without digits", "{\"lifeline\": 1e»}",
        { "lifeline: invalid number: expected a digit in the exponent, found '}'" });
    row("nesting deeper than 100",
        "{\"main\": " + QByteArray(99, '[') + "»[" + QByteArray(100, ']') + "}",
        { "main" + QString(QLatin1String("[0]")).repeated(99)
          + ": nesting deeper than 100 arrays and objects" });

    // The document.
    row("root is not an object", "»[]",
        { "$: expected the scenario: a JSON object such as {\"lifeline\": 1, \"resources\": [...], "
          "\"main\": [...]}, found an empty array" });
    row("missing required keys", "»»»{}",
        { "$: missing required key \"lifeline\" in the scenario (the format version, 1)",
          "$: missing required key \"resources\" in the scenario",
          "$: missing required key \"main\" in the scenario" });
    row("unknown top-level key",
        "{\"lifeline\": 1, »\"lifelines\": 2, \"resources\": [], \"main\": []}",
        { "lifelines: unknown key \"lifelines\" in the scenario (allowed: lifeline, title, "
          "description, exceptions, resources, main)" });
    row("version 2", "{\"lifeline\": »2, \"resources\": [], \"main\": []}",
        { "lifeline: unsupported format version 2: this program reads version 1" });
    row("version as a string", "{\"lifeline\": »\"1\", \"resources\": [], \"main\": []}",
        { "lifeline: expected the format version, the number 1, found the string \"1\"" });
    row("version 1.0", "{\"lifeline\": »1.0, \"resources\": [], \"main\": []}",
        { "lifeline: expected the format version, the number 1, found the number 1.0" });
    row("title not a string", "{\"lifeline\": 1, \"title\": »7, \"resources\": [], \"main\": []}",
        { "title: expected a string, found the number 7" });
    row("resources not a list", "{\"lifeline\": 1, \"resources\": »{}, \"main\": []}",
        { "resources: expected a list of resources, found an object" });
    row("resources missing: withs are not checked against it",
        "»{\"lifeline\": 1, \"main\": [{\"with\": \"db\", \"body\": [{\"execute\": \"db\", "
        "\"query\": \"q\"}]}]}",
        { "$: missing required key \"resources\" in the scenario" });
    row("main not a list", "{\"lifeline\": 1, \"resources\": [], \"main\": »null}",
        { "main: expected a list of steps, found null" });

    // Exceptions.
    row("exception without name", document("[]", kDb, "[»{\"base\": \"ValueError\"}]"),
        { "exceptions[0]: missing required key \"name\" in an exception class" });
    row("exception name is a builtin", document("[]", kDb, "[{\"name\": »\"print\"}]"),
        { "exceptions[0].name: exception name \"print\" is not a valid name: it is a Python "
          "built-in name" });
    row("exception name is a keyword", document("[]", kDb, "[{\"name\": »\"class\"}]"),
        { "exceptions[0].name: exception name \"class\" is not a valid name: it is a Python "
          "keyword" });
    row("exception name is asyncio", document("[]", kDb, "[{\"name\": »\"asyncio\"}]"),
        { "exceptions[0].name: exception name \"asyncio\" is not a valid name: the exported "
          "program "
          "imports a module of that name" });
    row("exception name not an identifier", document("[]", kDb, "[{\"name\": »\"1Error\"}]"),
        { "exceptions[0].name: exception name \"1Error\" is not a valid name: a name must be a "
          "Python identifier: a letter or _ then letters, digits or _" });
    row("exception name is a built-in exception",
        document("[]", kDb, "[{\"name\": »\"CancelledError\"}]"),
        { "exceptions[0].name: \"CancelledError\" is a built-in exception; a custom class needs a "
          "name of its own" });
    row("exception defined twice",
        document("[]", kDb, "[{\"name\": \"QueryError\"}, {\"name\": »\"QueryError\"}]"),
        { "exceptions[1].name: exception class \"QueryError\" is defined twice (first in "
          "exceptions[0])" });
    row("exception base defined later",
        document("[]", kDb, "[{\"name\": \"A\", \"base\": »\"B\"}, {\"name\": \"B\"}]"),
        { "exceptions[0].base: unknown base \"B\": a base must be a built-in exception or a class "
          "defined earlier in \"exceptions\"" });
    row("exception base not nameable",
        document("[]", kDb, "[{\"name\": \"A\", \"base\": »\"GeneratorExit\"}]"),
        { "exceptions[0].base: unknown base \"GeneratorExit\": a base must be a built-in exception "
          "or a class defined earlier in \"exceptions\"" });
    row("exception unknown key", document("[]", kDb, "[{\"name\": \"A\", »\"bases\": []}]"),
        { "exceptions[0].bases: unknown key \"bases\" in an exception class (allowed: name, "
          "base)" });

    // Resources.
    row("resource without id and kind", withResources("»»{}"),
        { "resources[0]: missing required key \"id\" in a resource",
          "resources[0]: missing required key \"kind\" in a resource" });
    row("resource id not a name", withResources("{\"id\": »\"len\", \"kind\": \"class\"}"),
        { "resources[0].id: resource id \"len\" is not a valid name: it is a Python built-in "
          "name" });
    row("duplicate resource id", withResources(kDb + ", {\"id\": »\"db\", \"kind\": \"class\"}"),
        { "resources[1].id: duplicate resource id \"db\" (already used by resources[0])" });
    row("unknown kind", withResources("{\"id\": \"a\", \"kind\": »\"function\"}"),
        { "resources[0].kind: expected \"class\" or \"generator\", found the string "
          "\"function\"" });
    row("resource unknown key",
        withResources("{\"id\": \"a\", \"kind\": \"class\", »\"args\": \"x\"}"),
        { "resources[0].args: unknown key \"args\" in a resource (allowed: id, kind, name, arg, "
          "enter, execute, exit, cleanup, yields)" });
    row("resource name not a string",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"name\": »1}"),
        { "resources[0].name: expected a string, found the number 1" });
    row("execute phase on a generator",
        withResources("{\"id\": \"a\", \"kind\": \"generator\", »\"execute\": {}}"),
        { "resources[0].execute: an \"execute\" phase is only for class resources, and this one is "
          "a "
          "generator" });
    row("cleanup on a class",
        withResources("{\"id\": \"a\", \"kind\": \"class\", »\"cleanup\": \"finally\"}"),
        { "resources[0].cleanup: \"cleanup\" is only for generator resources, and this one is a "
          "class" });
    row("yields on a class", withResources("{\"id\": \"a\", \"kind\": \"class\", »\"yields\": 1}"),
        { "resources[0].yields: \"yields\" is only for generator resources, and this one is a "
          "class" });
    row("cleanup value",
        withResources("{\"id\": \"a\", \"kind\": \"generator\", \"cleanup\": »\"later\"}"),
        { "resources[0].cleanup: expected \"finally\" or \"after_yield\", found the string "
          "\"later\"" });
    row("yields 3", withResources("{\"id\": \"a\", \"kind\": \"generator\", \"yields\": »3}"),
        { "resources[0].yields: expected 0, 1 or 2 (how many yield statements), found the number "
          "3" });
    row("suppress outside exit",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": {»\"suppress\": true}}"),
        { "resources[0].enter.suppress: \"suppress\" is only allowed in the \"exit\" phase" });
    row("suppress false",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"exit\": {\"suppress\": »false}}"),
        { "resources[0].exit.suppress: expected true or a non-empty list of exception type names, "
          "found false" });
    row("suppress empty list",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"exit\": {\"suppress\": »[]}}"),
        { "resources[0].exit.suppress: expected true or a non-empty list of exception type names, "
          "found an empty array" });
    row("suppress unknown type",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"exit\": {\"suppress\": "
                      "[\"KeyError\", »\"Oops\"]}}"),
        { "resources[0].exit.suppress[1]: unknown exception type \"Oops\"" });
    row("phase not an object",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": »\"go\"}"),
        { "resources[0].enter: expected a phase: {\"print\": ..., \"ms\": ..., \"raise\": ...}, "
          "found "
          "the string \"go\"" });
    row("phase unknown key",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": {»\"sleep\": 1}}"),
        { "resources[0].enter.sleep: unknown key \"sleep\" in the \"enter\" phase (allowed: print, "
          "ms, "
          "raise)" });
    row("phase ms fraction",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"exit\": {\"ms\": »5.0}}"),
        { "resources[0].exit.ms: expected a whole number of milliseconds from 0 to 1000000000, "
          "found "
          "the number 5.0" });
    row("phase raises an exception group",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": {\"raise\": {\"type\": "
                      "»\"ExceptionGroup\"}}}"),
        { "resources[0].enter.raise.type: \"ExceptionGroup\" cannot be raised: an ExceptionGroup "
          "needs "
          "a list of exceptions that this format cannot give (exception groups may only be caught, "
          "suppressed or used as a base)" });
    row("raise without type",
        withResources(
            "{\"id\": \"a\", \"kind\": \"class\", \"enter\": {\"raise\": »{\"message\": \"x\"}}}"),
        { "resources[0].enter.raise: missing required key \"type\" in an exception" });
    row("raise message not a string",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": {\"raise\": {\"type\": "
                      "\"KeyError\", \"message\": »1}}}"),
        { "resources[0].enter.raise.message: expected a string, found the number 1" });
    row("query placeholder in enter",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": {\"print\": »\"{query}\"}}"),
        { "resources[0].enter.print: {query} is not available here: it is allowed only in a "
          "resource's execute phase" });
    row("exc placeholder in a phase",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"exit\": {\"print\": »\"{exc}\"}}"),
        { "resources[0].exit.print: {exc} is not available here: it is allowed only inside an "
          "except "
          "body of the same function" });
    row("unknown placeholder",
        withResources(
            "{\"id\": \"a\", \"kind\": \"class\", \"execute\": {\"print\": »\"{arg} {q}\"}}"),
        { "resources[0].execute.print: unknown placeholder {q} in template (allowed here: {arg}, "
          "{query}; write {{ and }} for literal braces)" });
    row("unclosed placeholder",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": {\"print\": »\"x {arg\"}}"),
        { "resources[0].enter.print: unclosed placeholder \"{arg\" in template (write {{ for a "
          "literal brace)" });
    row("lone closing brace",
        withResources("{\"id\": \"a\", \"kind\": \"class\", \"enter\": {\"print\": »\"a } b\"}}"),
        { "resources[0].enter.print: lone '}' in template (write }} for a literal brace)" });

    // Steps.
    row("step not an object", document("[»\"print\"]"),
        { "main[0]: expected a step (an object such as {\"print\": \"...\"}), found the string "
          "\"print\"" });
    row("step without a kind", document("[»{\"slep\": 1}]"),
        { "main[0]: expected a step: an object with one of the keys with, execute, sleep, print, "
          "raise, reraise, try, gather, task_group, timeout, spawn (found keys \"slep\")" });
    row("step with two kinds", document("[{\"sleep\": 1, »\"print\": \"x\"}]"),
        { "main[0].print: a step has exactly one kind: this one is already a \"sleep\" step, so "
          "\"print\" needs a step of its own" });
    row("unknown key in a step", document("[{\"sleep\": 1, »\"body\": []}]"),
        { "main[0].body: unknown key \"body\" in a \"sleep\" step (allowed: sleep)" });
    row("unknown resource in with", document("[{\"with\": »\"dbb\", \"body\": []}]"),
        { "main[0].with: unknown resource \"dbb\"" });
    row("unknown resource in a with list",
        document("[{\"with\": [\"db\", {\"resource\": »\"gpux\"}], \"body\": []}]"),
        { "main[0].with[1].resource: unknown resource \"gpux\"" });
    row("empty with list", document("[{\"with\": »[], \"body\": []}]"),
        { "main[0].with: expected a resource id or a non-empty list of resources, found an empty "
          "array" });
    row("with item without resource", document("[{\"with\": [»{\"as\": \"x\"}], \"body\": []}]"),
        { "main[0].with[0]: missing required key \"resource\" in a with item" });
    row("with item as not a name",
        document("[{\"with\": [{\"resource\": \"db\", \"as\": »\"my db\"}], \"body\": []}]"),
        { "main[0].with[0].as: variable \"my db\" is not a valid name: a name must be a Python "
          "identifier: a letter or _ then letters, digits or _" });
    row("with without body", document("[»{\"with\": \"db\"}]"),
        { "main[0]: missing required key \"body\" in a \"with\" step" });
    row("body not a list", document("[{\"with\": \"db\", \"body\": »{}}]"),
        { "main[0].body: expected a list of steps, found an object" });
    row("execute unbound", document("[{\"execute\": »\"db\", \"query\": \"q\"}]"),
        { "main[0].execute: \"execute\" on \"db\", which no earlier \"with\" in this function "
          "binds "
          "(execute needs a variable bound to a class resource with an \"execute\" phase)" });
    row("execute before the with that binds it",
        document("[{\"execute\": »\"db\", \"query\": \"q\"}, {\"with\": \"db\", \"body\": []}]"),
        { "main[0].execute: \"execute\" on \"db\", which no earlier \"with\" in this function "
          "binds "
          "(execute needs a variable bound to a class resource with an \"execute\" phase)" });
    row("execute on a generator",
        document("[{\"with\": \"gpu\", \"body\": [{\"execute\": »\"gpu\", \"query\": \"q\"}]}]"),
        { "main[0].body[0].execute: \"execute\" on \"gpu\", which no earlier \"with\" in this "
          "function binds to a class resource with an \"execute\" phase" });
    row("execute on a class without execute",
        document("[{\"with\": \"lock\", \"body\": [{\"execute\": »\"lock\", \"query\": \"q\"}]}]"),
        { "main[0].body[0].execute: \"execute\" on \"lock\", which no earlier \"with\" in this "
          "function binds to a class resource with an \"execute\" phase" });
    row("execute in a task on a name bound in main",
        document("[{\"with\": \"db\", \"body\": [{\"spawn\": {\"name\": \"t\", \"body\": "
                 "[{\"execute\": »\"db\", \"query\": \"q\"}]}}]}]"),
        { "main[0].body[0].spawn.body[0].execute: \"execute\" on \"db\", which no earlier \"with\" "
          "in "
          "this function binds (execute needs a variable bound to a class resource with an "
          "\"execute\" phase)" });
    row("execute without query",
        document("[{\"with\": \"db\", \"body\": [»{\"execute\": \"db\"}]}]"),
        { "main[0].body[0]: missing required key \"query\" in an \"execute\" step" });
    row("execute query not a string",
        document("[{\"with\": \"db\", \"body\": [{\"execute\": \"db\", \"query\": »[]}]}]"),
        { "main[0].body[0].query: expected a string, found an empty array" });
    row("execute ms negative",
        document("[{\"with\": \"db\", \"body\": [{\"execute\": \"db\", \"query\": \"q\", \"ms\": "
                 "»-1}]}]"),
        { "main[0].body[0].ms: expected a whole number of milliseconds from 0 to 1000000000, found "
          "the number -1" });
    row("execute fails with a group",
        document("[{\"with\": \"db\", \"body\": [{\"execute\": \"db\", \"query\": \"q\", \"fail\": "
                 "{\"type\": »\"ExceptionGroup\"}}]}]"),
        { "main[0].body[0].fail.type: \"ExceptionGroup\" cannot be raised: an ExceptionGroup needs "
          "a "
          "list of exceptions that this format cannot give (exception groups may only be caught, "
          "suppressed or used as a base)" });
    row("sleep 5.0", document("[{\"sleep\": »5.0}]"),
        { "main[0].sleep: expected a whole number of milliseconds from 0 to 1000000000, found the "
          "number 5.0" });
    row("sleep 5e0", document("[{\"sleep\": »5e0}]"),
        { "main[0].sleep: expected a whole number of milliseconds from 0 to 1000000000, found the "
          "number 5e0" });
    row("sleep too long", document("[{\"sleep\": »1000000001}]"),
        { "main[0].sleep: expected a whole number of milliseconds from 0 to 1000000000, found the "
          "number 1000000001" });
    row("sleep huge integer", document("[{\"sleep\": »123456789012345678901234567890}]"),
        { "main[0].sleep: expected a whole number of milliseconds from 0 to 1000000000, found the "
          "number 123456789012345678901234567890" });
    row("sleep string", document("[{\"sleep\": »\"5\"}]"),
        { "main[0].sleep: expected a whole number of milliseconds from 0 to 1000000000, found the "
          "string \"5\"" });
    row("exc outside except", document("[{\"print\": »\"{exc}\"}]"),
        { "main[0].print: {exc} is not available here: it is allowed only inside an except body of "
          "the same function" });
    row("exc_type in a task inside an except body",
        document("[{\"try\": [], \"except\": [{\"body\": [{\"spawn\": {\"name\": \"t\", \"body\": "
                 "[{\"print\": »\"{exc_type}\"}]}}]}]}]"),
        { "main[0].except[0].body[0].spawn.body[0].print: {exc_type} is not available here: it is "
          "allowed only inside an except body of the same function" });
    row("arg in main", document("[{\"print\": »\"{arg}\"}]"),
        { "main[0].print: {arg} is not available here: it is allowed only in a resource's "
          "phases" });
    row("two template problems", document("[{\"print\": »»\"{x} }\"}]"),
        { "main[0].print: unknown placeholder {x} in template (no placeholders are allowed here; "
          "write {{ and }} for literal braces)",
          "main[0].print: lone '}' in template (write }} for a literal brace)" });
    row("raise an exception group", document("[{\"raise\": {\"type\": »\"ExceptionGroup\"}}]"),
        { "main[0].raise.type: \"ExceptionGroup\" cannot be raised: an ExceptionGroup needs a list "
          "of "
          "exceptions that this format cannot give (exception groups may only be caught, "
          "suppressed "
          "or used as a base)" });
    row("raise a class derived from ExceptionGroup",
        document("[{\"raise\": {\"type\": »\"MyGroup\"}}]", kDb,
                 "[{\"name\": \"MyGroup\", \"base\": \"ExceptionGroup\"}]"),
        { "main[0].raise.type: \"MyGroup\" cannot be raised: a class derived from ExceptionGroup "
          "needs "
          "a list of exceptions that this format cannot give (exception groups may only be caught, "
          "suppressed or used as a base)" });
    row("raise unknown type", document("[{\"raise\": {\"type\": »\"VauleError\"}}]"),
        { "main[0].raise.type: unknown exception type \"VauleError\"" });
    row("raise not an object", document("[{\"raise\": »\"ValueError\"}]"),
        { "main[0].raise: expected an exception: {\"type\": ..., \"message\": ...}, found the "
          "string "
          "\"ValueError\"" });
    row("reraise false",
        document("[{\"try\": [], \"except\": [{\"body\": [{\"reraise\": »false}]}]}]"),
        { "main[0].except[0].body[0].reraise: expected true (a bare `raise`), found false" });
    row("reraise outside except", document("[{\"try\": [{\"reraise\": »true}], \"finally\": []}]"),
        { "main[0].try[0].reraise: \"reraise\" is only allowed inside an except body of the same "
          "function (a task's body is a function of its own)" });
    row("reraise in a task inside an except body",
        document(
            "[{\"try\": [], \"except\": [{\"body\": [{\"gather\": [{\"name\": \"t\", \"body\": "
            "[{\"reraise\": »true}]}]}]}]}]"),
        { "main[0].except[0].body[0].gather[0].body[0].reraise: \"reraise\" is only allowed inside "
          "an "
          "except body of the same function (a task's body is a function of its own)" });
    row("try without except or finally", document("[»{\"try\": []}]"),
        { "main[0]: a \"try\" step needs \"except\" (a non-empty list of handlers), \"finally\", "
          "or "
          "both" });
    row("else without except", document("[{\"try\": [], »\"else\": [], \"finally\": []}]"),
        { "main[0].else: \"else\" is only allowed with \"except\" (as in Python)" });
    row("empty except", document("[{\"try\": [], \"except\": »[]}]"),
        { "main[0].except: expected a non-empty list of except handlers, found an empty array" });
    row("empty types", document("[{\"try\": [], \"except\": [{\"types\": »[]}]}]"),
        { "main[0].except[0].types: expected a non-empty list of exception type names (leave "
          "\"types\" out to catch Exception), found an empty array" });
    row("unknown type in types",
        document("[{\"try\": [], \"except\": [{\"types\": [\"ValueError\", »\"Nope\"]}]}]"),
        { "main[0].except[0].types[1]: unknown exception type \"Nope\"" });
    row("handler not an object", document("[{\"try\": [], \"except\": [»[]]}]"),
        { "main[0].except[0]: expected an except handler: {\"types\": [...], \"body\": [...]}, "
          "found an "
          "empty array" });
    row("handler unknown key", document("[{\"try\": [], \"except\": [{»\"as\": \"e\"}]}]"),
        { "main[0].except[0].as: unknown key \"as\" in an except handler (allowed: types, body)" });
    row("empty gather", document("[{\"gather\": »[]}]"),
        { "main[0].gather: expected a non-empty list of tasks, found an empty array" });
    row("empty task_group", document("[{\"task_group\": »[]}]"),
        { "main[0].task_group: expected a non-empty list of tasks, found an empty array" });
    row("return_exceptions not a bool",
        document("[{\"gather\": [{\"name\": \"t\", \"body\": []}], \"return_exceptions\": »0}]"),
        { "main[0].return_exceptions: expected true or false, found the number 0" });
    row("task without name and body", document("[{\"gather\": [»»{}]}]"),
        { "main[0].gather[0]: missing required key \"name\" in a task",
          "main[0].gather[0]: missing required key \"body\" in a task" });
    row("task name not a string", document("[{\"spawn\": {\"name\": »1, \"body\": []}}]"),
        { "main[0].spawn.name: expected a string, found the number 1" });
    row("task cancel_after fraction",
        document("[{\"spawn\": {\"name\": \"t\", \"body\": [], \"cancel_after\": »1.5}}]"),
        { "main[0].spawn.cancel_after: expected a whole number of milliseconds from 0 to "
          "1000000000, "
          "found the number 1.5" });
    row("spawn not an object", document("[{\"spawn\": »[]}]"),
        { "main[0].spawn: expected a task: {\"name\": ..., \"body\": [...]}, found an empty "
          "array" });
    row("timeout without body", document("[»{\"timeout\": 5}]"),
        { "main[0]: missing required key \"body\" in a \"timeout\" step" });
    row("timeout negative", document("[{\"timeout\": »-5, \"body\": []}]"),
        { "main[0].timeout: expected a whole number of milliseconds from 0 to 1000000000, found "
          "the "
          "number -5" });
    {
        // Eleven nested timeouts: the eleventh body would be at level 11.
        QByteArray main = "[";
        for (int i = 0; i < 10; ++i)
            main += "{\"timeout\": 1, \"body\": [";
        main += "{\"timeout\": 1, »\"body\": [{\"print\": \"{bad}\"}]}";
        for (int i = 0; i < 10; ++i)
            main += "]}";
        main += "]";
        row("nesting past 10", document(main),
            { "main[0]" + QString(QLatin1String(".body[0]")).repeated(10)
              + ".body: blocks nest too deep: these steps would be 11 levels deep, and at most 10 "
                "are "
                "allowed within one function (each with item, timeout, task_group, try body and "
                "except body counts one)" });
    }
    {
        // Nine levels, then a `with` of two items: its body would be at 11.
        QByteArray main = "[";
        for (int i = 0; i < 9; ++i)
            main += "{\"timeout\": 1, \"body\": [";
        main += "{\"with\": [\"db\", \"gpu\"], »\"body\": []}";
        for (int i = 0; i < 9; ++i)
            main += "]}";
        main += "]";
        row("with items count one level each", document(main),
            { "main[0]" + QString(QLatin1String(".body[0]")).repeated(9)
              + ".body: blocks nest too deep: these steps would be 11 levels deep, and at most 10 "
                "are "
                "allowed within one function (each with item, timeout, task_group, try body and "
                "except body counts one)" });
    }
    {
        // Nine levels, then a try: its try body is at 10 (fine), its except body at 11.
        QByteArray main = "[";
        for (int i = 0; i < 9; ++i)
            main += "{\"timeout\": 1, \"body\": [";
        main += "{\"try\": [], \"except\": [{»\"body\": []}]}";
        for (int i = 0; i < 9; ++i)
            main += "]}";
        main += "]";
        row("except body counts two levels", document(main),
            { "main[0]" + QString(QLatin1String(".body[0]")).repeated(9)
              + ".except[0].body: blocks nest too deep: these steps would be 11 levels deep, and "
                "at "
                "most 10 are allowed within one function (each with item, timeout, task_group, try "
                "body and except body counts one)" });
    }

    // Several problems: all reported, in file order, whatever order the loader meets them in.
    row("problems in file order",
        "{\"main\": [{\"with\": »\"nope\", \"body\": [{\"sleep\": »-1}]}],\n"
        " \"lifeline\": 1,\n"
        " \"resources\": [{\"id\": »\"x y\", \"kind\": \"class\"}, »{\"id\": \"z\"}],\n"
        " »\"extra\": true}",
        { "main[0].with: unknown resource \"nope\"",
          "main[0].body[0].sleep: expected a whole number of milliseconds from 0 to 1000000000, "
          "found "
          "the number -1",
          "resources[0].id: resource id \"x y\" is not a valid name: a name must be a Python "
          "identifier: a letter or _ then letters, digits or _",
          "resources[1]: missing required key \"kind\" in a resource",
          "extra: unknown key \"extra\" in the scenario (allowed: lifeline, title, description, "
          "exceptions, resources, main)" });
}

void tst_ScenarioLoader::errors()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, problems);
    std::vector<std::pair<int, int>> positions;
    const QByteArray plain = unmark(json, &positions);
    QCOMPARE(positions.size(), size_t(problems.size()));
    QStringList expected;
    for (qsizetype i = 0; i < problems.size(); ++i) {
        expected << QStringLiteral("t.json:%1:%2: ")
                        .arg(positions[size_t(i)].first)
                        .arg(positions[size_t(i)].second)
                + problems[i];
    }
    std::shared_ptr<Scenario> scenario;
    const QStringList actual = load(plain, &scenario);
    QCOMPARE(actual, expected);
    QVERIFY(!scenario);
}

void tst_ScenarioLoader::seedExample()
{
    const QByteArray json = document(R"([
        {"with": "db", "body": [
            {"execute": "db", "query": "SELECT * FROM users"},
            {"print": "Query result: {{'result': 'success'}}"}]},
        {"with": [{"resource": "gpu", "as": "resource"}], "body": [
            {"print": "Using resource: {{'id': 'GPU-001', 'status': 'ready'}}"},
            {"sleep": 200}]}
    ])",
                                     kDb + ", " + kGpu);
    const auto scenario = loadValid(json);
    QVERIFY(scenario);
    QCOMPARE(scenario->resources.size(), size_t(2));
    const ResourceDef &db = scenario->resources[0];
    QCOMPARE(db.id, QStringLiteral("db"));
    QCOMPARE(db.name, QStringLiteral("db"));
    QCOMPARE(db.kind, ResourceDef::Kind::Class);
    QCOMPARE(db.arg, QStringLiteral("postgresql://localhost/mydb"));
    QVERIFY(db.enter.present && db.hasExecute && db.exit.present);
    QCOMPARE(db.enter.ms, 100);
    QCOMPARE(templateText(*db.enter.print), QStringLiteral("[Connecting to ]<arg>"));
    QCOMPARE(templateText(*db.execute.print), QStringLiteral("[Executing: ]<query>"));
    QCOMPARE(db.suppress, ResourceDef::Suppress::Nothing);
    const ResourceDef &gpu = scenario->resources[1];
    QCOMPARE(gpu.kind, ResourceDef::Kind::Generator);
    QVERIFY(!gpu.hasExecute);
    QCOMPARE(gpu.exit.ms, -1);
    QCOMPARE(gpu.cleanup, ResourceDef::Cleanup::Finally);
    QCOMPARE(gpu.yields, 1);

    QCOMPARE(scenario->stepCount, 6u);
    QCOMPARE(scenario->mainSlotCount, 2);
    const Step &with = scenario->main[0];
    QCOMPARE(with.kind, StepKind::With);
    QCOMPARE(with.id, 0u);
    QCOMPARE(with.items.size(), size_t(1));
    QCOMPARE(with.items[0].resource, 0);
    QCOMPARE(with.items[0].as, QStringLiteral("db"));
    QCOMPARE(with.items[0].slot, 0);
    const Step &execute = with.body[0];
    QCOMPARE(execute.kind, StepKind::Execute);
    QCOMPARE(execute.id, 1u);
    QCOMPARE(execute.variable(), QStringLiteral("db"));
    QCOMPARE(execute.slot, 0);
    QCOMPARE(execute.query(), QStringLiteral("SELECT * FROM users"));
    QCOMPARE(execute.duration, -1);
    QCOMPARE(templateText(with.body[1].text),
             QStringLiteral("[Query result: {'result': 'success'}]"));
    const Step &second = scenario->main[1];
    QCOMPARE(second.id, 3u);
    QCOMPARE(second.items[0].resource, 1);
    QCOMPARE(second.items[0].as, QStringLiteral("resource"));
    QCOMPARE(second.items[0].slot, 1);
    QCOMPARE(second.body[1].kind, StepKind::Sleep);
    QCOMPARE(second.body[1].duration, 200);
    QCOMPARE(second.body[1].id, 5u);
}

void tst_ScenarioLoader::stepIdsArePreOrder()
{
    // Keys deliberately out of order: numbering follows try, handlers, else, finally.
    const QByteArray json = document(R"([
        {"print": "a"},
        {"finally": [{"print": "f"}],
         "else": [{"print": "e"}],
         "except": [{"body": [{"print": "h1"}]}, {"types": ["KeyError"], "body": [{"print": "h2"}]}],
         "try": [{"timeout": 5, "body": [{"print": "t"}]}]},
        {"gather": [{"name": "x", "body": [{"print": "x1"}, {"spawn": {"name": "y", "body": [{"print": "y1"}]}}]},
                    {"name": "z", "body": [{"print": "z1"}]}]},
        {"task_group": [{"name": "g", "body": [{"sleep": 0}]}]}
    ])");
    const auto scenario = loadValid(json);
    QVERIFY(scenario);
    const Step &tryStep = scenario->main[1];
    QCOMPARE(tryStep.id, 1u);
    QCOMPARE(tryStep.body[0].id, 2u); // timeout
    QCOMPARE(tryStep.body[0].body[0].id, 3u); // print t
    QCOMPARE(tryStep.handlers()[0].body[0].id, 4u); // h1
    QCOMPARE(tryStep.handlers()[1].body[0].id, 5u); // h2
    QCOMPARE(tryStep.elseBody()[0].id, 6u);
    QCOMPARE(tryStep.finallyBody()[0].id, 7u);
    QVERIFY(tryStep.hasElse && tryStep.hasFinally);
    QCOMPARE(tryStep.handlers()[0].types, std::vector<int> { ExceptionTypes::Exception });
    QCOMPARE(tryStep.handlers()[1].types, std::vector<int> { ExceptionTypes::KeyError });
    const Step &gather = scenario->main[2];
    QCOMPARE(gather.id, 8u);
    QCOMPARE(gather.tasks[0].body[0].id, 9u);
    QCOMPARE(gather.tasks[0].body[1].id, 10u); // spawn
    QCOMPARE(gather.tasks[0].body[1].tasks[0].body[0].id, 11u); // y1
    QCOMPARE(gather.tasks[1].body[0].id, 12u);
    QCOMPARE(scenario->main[3].kind, StepKind::TaskGroup);
    QCOMPARE(scenario->main[3].id, 13u);
    QCOMPARE(scenario->stepCount, 15u);

    QStringList ids;
    collectIds(scenario->main, &ids);
    QStringList dense;
    for (int i = 0; i < 15; ++i)
        dense << QString::number(i);
    QCOMPARE(ids, dense);
}

void tst_ScenarioLoader::slotsArePerFunction()
{
    const QByteArray json = document(R"([
        {"with": ["gpu", {"resource": "db", "as": "conn"}], "body": []},
        {"with": [{"resource": "lock", "as": "conn"}], "body": [{"execute": "conn", "query": "late"}]},
        {"gather": [{"name": "t", "body": [
            {"with": [{"resource": "db", "as": "other"}], "body": []},
            {"with": "db", "body": [{"execute": "db", "query": "q", "ms": 0}]},
            {"execute": "other", "query": "after the block"}]}]},
        {"with": "db", "body": []}
    ])");
    const auto scenario = loadValid(json);
    QVERIFY(scenario);
    QCOMPARE(scenario->mainSlotCount, 3); // gpu, conn, db
    QCOMPARE(scenario->main[0].items[0].slot, 0);
    QCOMPARE(scenario->main[0].items[1].slot, 1);
    QCOMPARE(scenario->main[0].items[1].resource, 0);
    QCOMPARE(scenario->main[1].items[0].slot, 1); // rebinding reuses the slot
    // `conn` was bound to db earlier, so execute is valid even though it is now the lock.
    QCOMPARE(scenario->main[1].body[0].slot, 1);
    QCOMPARE(scenario->main[3].items[0].slot, 2);
    const TaskDef &task = scenario->main[2].tasks[0];
    QCOMPARE(task.slotCount, 2); // other, db: a task's slots start again at 0
    QCOMPARE(task.body[0].items[0].slot, 0);
    QCOMPARE(task.body[1].items[0].slot, 1);
    QCOMPARE(task.body[1].body[0].slot, 1);
    QCOMPARE(task.body[1].body[0].duration, 0);
    QCOMPARE(task.body[2].slot, 0);
    QCOMPARE(task.cancelAfter, -1);
}

void tst_ScenarioLoader::templates_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("parts");
    QTest::newRow("plain") << QByteArray("hello") << QStringLiteral("[hello]");
    QTest::newRow("empty") << QByteArray("") << QString();
    QTest::newRow("escaped braces") << QByteArray("a{{b}}c") << QStringLiteral("[a{b}c]");
    QTest::newRow("only braces") << QByteArray("{{}}") << QStringLiteral("[{}]");
    QTest::newRow("exc and type") << QByteArray("Caught {exc_type}: {exc}!")
                                  << QStringLiteral("[Caught ]<exc_type>[: ]<exc>[!]");
    QTest::newRow("adjacent placeholders")
        << QByteArray("{exc}{exc}") << QStringLiteral("<exc><exc>");
    QTest::newRow("json escapes") << QByteArray("tab\\there \\u00e9 \\ud83d\\ude00")
                                  << QString::fromUtf8("[tab\there \xc3\xa9 \xf0\x9f\x98\x80]");
}

void tst_ScenarioLoader::templates()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, parts);
    const auto scenario = loadValid(
        document("[{\"try\": [], \"except\": [{\"body\": [{\"print\": \"" + text + "\"}]}]}]"));
    QVERIFY(scenario);
    QCOMPARE(templateText(scenario->main[0].handlers()[0].body[0].text), parts);
}

void tst_ScenarioLoader::customExceptions()
{
    const QByteArray json = document(
        R"([{"raise": {"type": "DeepError", "message": "no {exc} here"}},
                                         {"try": [], "except": [{"types": ["MyGroup", "QueryError"]}]}])",
        kDb + R"(, {"id": "g", "kind": "generator", "cleanup": "after_yield", "yields": 0,
                                              "exit": {"suppress": ["MyGroup"]}})",
        R"([{"name": "QueryError", "base": "RuntimeError"},
                                         {"name": "DeepError", "base": "QueryError"},
                                         {"name": "MyGroup", "base": "ExceptionGroup"},
                                         {"name": "Plain"}])");
    const auto scenario = loadValid(json);
    QVERIFY(scenario);
    const ExceptionTypes &types = scenario->types;
    QCOMPARE(types.count(), int(ExceptionTypes::BuiltinCount) + 4);
    const int query = types.find(QStringLiteral("QueryError"));
    const int deep = types.find(QStringLiteral("DeepError"));
    const int group = types.find(QStringLiteral("MyGroup"));
    const int plain = types.find(QStringLiteral("Plain"));
    QCOMPARE(query, int(ExceptionTypes::BuiltinCount));
    QCOMPARE(deep, query + 1);
    QCOMPARE(types.base(query), int(ExceptionTypes::RuntimeError));
    QCOMPARE(types.base(deep), query);
    QVERIFY(types.isGroup(group));
    QCOMPARE(types.base(plain), int(ExceptionTypes::Exception));
    const Step &raise = scenario->main[0];
    QCOMPARE(raise.exception()->type, deep);
    QVERIFY(raise.exception()->hasMessage);
    QCOMPARE(raise.exception()->message, QStringLiteral("no {exc} here")); // plain text
    QCOMPARE(scenario->main[1].handlers()[0].types, (std::vector<int> { group, query }));
    const ResourceDef &g = scenario->resources[1];
    QCOMPARE(g.cleanup, ResourceDef::Cleanup::AfterYield);
    QCOMPARE(g.yields, 0);
    QCOMPARE(g.suppress, ResourceDef::Suppress::Types);
    QCOMPARE(g.suppressTypes, std::vector<int> { group });
}

void tst_ScenarioLoader::defaults()
{
    const QByteArray json = R"({"lifeline": 1, "title": "T", "description": "D",
        "resources": [{"id": "r", "kind": "class", "name": "Resource", "exit": {"suppress": true}}],
        "main": [{"raise": {"type": "ValueError"}}, {"spawn": {"name": "", "body": [], "cancel_after": 0}},
                 {"gather": [{"name": "a", "body": []}], "return_exceptions": true}]})";
    const auto scenario = loadValid(json);
    QVERIFY(scenario);
    QCOMPARE(scenario->title, QStringLiteral("T"));
    QCOMPARE(scenario->description, QStringLiteral("D"));
    const ResourceDef &r = scenario->resources[0];
    QCOMPARE(r.name, QStringLiteral("Resource"));
    QCOMPARE(r.arg, QString());
    QVERIFY(!r.enter.present && !r.hasExecute && r.exit.present);
    QVERIFY(!r.exit.print && !r.exit.raise);
    QCOMPARE(r.exit.ms, -1);
    QCOMPARE(r.suppress, ResourceDef::Suppress::Everything);
    QCOMPARE(scenario->main[0].exception()->type, int(ExceptionTypes::ValueError));
    QVERIFY(!scenario->main[0].exception()->hasMessage);
    QCOMPARE(scenario->main[1].tasks.size(), size_t(1));
    QCOMPARE(scenario->main[1].tasks[0].cancelAfter, 0);
    QVERIFY(scenario->main[2].returnExceptions);
    QCOMPARE(scenario->mainSlotCount, 0);
}

void tst_ScenarioLoader::validPlacements_data()
{
    QTest::addColumn<QByteArray>("main");
    QTest::newRow("exc in finally nested in an except body") << QByteArray(
        R"([{"try": [], "except": [{"body": [{"try": [], "finally": [{"print": "{exc}"}]}]}]}])");
    QTest::newRow("reraise in a with inside an except body") << QByteArray(
        R"([{"try": [], "except": [{"body": [{"with": "gpu", "body": [{"reraise": true}]}]}]}])");
    QTest::newRow("execute after the block closed")
        << QByteArray(R"([{"with": "db", "body": []}, {"execute": "db", "query": "q"}])");
    QTest::newRow("execute bound in an earlier handler") << QByteArray(
        R"([{"try": [], "except": [{"body": [{"with": "db", "body": []}]}]}, {"execute": "db", "query": "q"}])");
    QTest::newRow("empty bodies") << QByteArray(
        R"([{"with": "db", "body": []}, {"timeout": 0, "body": []}, {"try": [], "finally": []}])");
    QTest::newRow("try with except, else and finally") << QByteArray(
        R"([{"try": [], "except": [{"types": ["BaseException"]}], "else": [], "finally": []}])");
    QTest::newRow("catch an exception group") << QByteArray(
        R"([{"try": [], "except": [{"types": ["ExceptionGroup", "CancelledError"]}]}])");
    QTest::newRow("max durations") << QByteArray(R"([{"sleep": 1000000000}, {"sleep": 0}])");
}

void tst_ScenarioLoader::validPlacements()
{
    QFETCH(QByteArray, main);
    QVERIFY(loadValid(document(main)));
}

void tst_ScenarioLoader::nestingLimitIsTen()
{
    // Ten nested blocks (bodies at levels 1..10) are fine; a task restarts the count.
    QByteArray inner = "[{\"print\": \"deep\"}]";
    for (int i = 0; i < 10; ++i)
        inner = "[{\"timeout\": 1, \"body\": " + inner + "}]";
    QByteArray main = inner;
    main.replace("\"deep\"}", "\"deep\"}, {\"spawn\": {\"name\": \"t\", \"body\": " + inner + "}}");
    QVERIFY(loadValid(document(main)));
}

void tst_ScenarioLoader::byteOrderMarkAndEscapedKeys()
{
    const QByteArray json
        = "\xef\xbb\xbf{\"lif\\u0065line\": 1, \"resources\": [], \"m\\u0061in\": "
          "[{\"pr\\u0069nt\": \"ok\"}, {\"\\u0073leep\": 5}]}";
    const auto scenario = loadValid(json);
    QVERIFY(scenario);
    QCOMPARE(scenario->main.size(), size_t(2));
    QCOMPARE(scenario->main[0].kind, StepKind::Print);
    // An escape in the first character still names the kind.
    QCOMPARE(scenario->main[1].kind, StepKind::Sleep);
    QCOMPARE(scenario->main[1].duration, 5);

    // The mark is not a column either.
    QCOMPARE(
        load("\xef\xbb\xbf{\"lifeline\": 2, \"resources\": [], \"main\": []}"),
        QStringList { "t.json:1:14: lifeline: unsupported format version 2: this program reads "
                      "version 1" });
}

void tst_ScenarioLoader::columnsCountCharacters()
{
    std::vector<std::pair<int, int>> positions;
    const QByteArray plain = unmark("{\"title\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\r\n"
                                    " \"lifeline\": \"\xc3\xa9\", \"description\": 1,\n"
                                    " \"resources\": [], \"main\": [{\"sleep\": »-1}]}",
                                    &positions);
    const QStringList problems = load(plain);
    QCOMPARE(problems.size(), 3);
    QCOMPARE(problems[0],
             QStringLiteral("t.json:2:14: lifeline: expected the format version, the "
                            "number 1, found the string \"\u00e9\""));
    QCOMPARE(problems[1],
             QStringLiteral("t.json:2:34: description: expected a string, found the "
                            "number 1"));
    QCOMPARE(problems[2].section(u' ', 0, 0),
             QStringLiteral("t.json:%1:%2:").arg(positions[0].first).arg(positions[0].second));
}

void tst_ScenarioLoader::deepJsonNesting()
{
    // 100 levels is JSON the reader accepts (the loader then rejects the shape).
    const QByteArray hundred = QByteArray(100, '[') + QByteArray(100, ']');
    QCOMPARE(load(hundred).size(), 1);
    QVERIFY(load(hundred).front().contains(QLatin1String("expected the scenario")));

    const QByteArray deep = QByteArray(101, '[') + QByteArray(101, ']');
    QCOMPARE(load(deep).size(), 1);
    QVERIFY(load(deep).front().startsWith(QLatin1String("t.json:1:101: ")));
    QVERIFY(
        load(deep).front().endsWith(QLatin1String("nesting deeper than 100 arrays and objects")));

    // Far deeper must not exhaust the stack.
    const QByteArray abyss = QByteArray(1'000'000, '[') + QByteArray(1'000'000, ']');
    QCOMPARE(load(abyss).size(), 1);
    const QByteArray objects = QByteArray("{\"a\":").repeated(200'000);
    QVERIFY(load(objects).front().endsWith(QLatin1String("nesting deeper than 100 arrays and "
                                                         "objects")));
}

void tst_ScenarioLoader::hugeString()
{
    const QByteArray big(50 * 1024 * 1024, 'x');
    const auto scenario = loadValid("{\"lifeline\": 1, \"title\": \"" + big
                                    + "\", \"resources\": [], \"main\": []}");
    QVERIFY(scenario);
    QCOMPARE(scenario->title.size(), big.size());

    // An unterminated one reports at its opening quote.
    QCOMPARE(
        load("{\"title\": \"" + big),
        QStringList { "t.json:1:11: title: unterminated string: no closing quote before the end "
                      "of file" });
}

void tst_ScenarioLoader::keyFarFromItsValue()
{
    // A node keeps how far before its value its key starts in 24 bits; 16 MiB of whitespace
    // after a colon takes the document's other way to the key (JsonValue::FarKeyDelta).
    const QByteArray far(16 * 1024 * 1024, ' ');
    const QByteArray head = "{\"lifeline\": 1, \"resources\": [], \"main\": [{\"sleep\":" + far
        + "10}, {\"sleep\": 5, ";
    const QByteArray json = head + "\"extra\"" + far + ": 1}]}";
    const int column = int(head.size()) + 1;
    QCOMPARE(load(json),
             QStringList { QStringLiteral("t.json:1:%1: main[1].extra: unknown key \"extra\" in a "
                                          "\"sleep\" step (allowed: sleep)")
                               .arg(column) });
    const auto valid
        = loadValid("{\"lifeline\": 1, \"resources\": [], \"main\": [{\"sleep\":" + far + "10}]}");
    QVERIFY(valid);
    QCOMPARE(valid->main[0].kind, StepKind::Sleep);
    QCOMPARE(valid->main[0].duration, 10);
}

void tst_ScenarioLoader::hugeIntegers()
{
    const QStringList limits
        = { QStringLiteral("9223372036854775807"),  QStringLiteral("9223372036854775808"),
            QStringLiteral("-9223372036854775808"), QStringLiteral("-9223372036854775809"),
            QStringLiteral("18446744073709551616"), QString(QLatin1String("9")).repeated(5000) };
    for (const QString &number : limits) {
        const QStringList problems = load(document("[{\"sleep\": " + number.toLatin1() + "}]"));
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].contains(QLatin1String("expected a whole number of milliseconds")),
                 qPrintable(problems[0]));
    }
    QStringList wrapped = load(document("[{\"sleep\": 18446744073709551617}]"));
    QVERIFY(wrapped.size() == 1); // 2^64 + 1 would wrap to 1 if it were not flagged
}

void tst_ScenarioLoader::invalidUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("lone continuation") << QByteArray("\x80");
    QTest::newRow("truncated two-byte") << QByteArray("\xc3");
    QTest::newRow("truncated three-byte") << QByteArray("\xe2\x82");
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf");
    QTest::newRow("overlong three-byte") << QByteArray("\xe0\x80\xaf");
    QTest::newRow("encoded surrogate") << QByteArray("\xed\xbf\xbf");
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80");
    QTest::newRow("byte F5") << QByteArray("\xf5\x80\x80\x80");
    QTest::newRow("byte FF") << QByteArray("\xff");
}

void tst_ScenarioLoader::invalidUtf8()
{
    QFETCH(QByteArray, bytes);
    const QStringList inString = load("{\"title\": \"ok " + bytes + "\"}");
    QCOMPARE(inString.size(), 1);
    QVERIFY2(inString[0].startsWith(QLatin1String("t.json:1:15: title: invalid UTF-8 in a string")),
             qPrintable(inString[0]));
    const QStringList inKey = load("{\"ti" + bytes + "tle\": 1}");
    QCOMPARE(inKey.size(), 1);
    QVERIFY2(inKey[0].startsWith(QLatin1String("t.json:1:5: $: invalid UTF-8 in a string")),
             qPrintable(inKey[0]));
    QCOMPARE(load(bytes).size(), 1);
}

void tst_ScenarioLoader::duplicateKeysInLargeObject()
{
    // Past the linear-scan limit, duplicates are found by hashing.
    QByteArray json = "{\"lifeline\": 1, \"resources\": [], \"main\": [], \"title\": {";
    for (int i = 0; i < 1000; ++i)
        json += "\"k" + QByteArray::number(i) + "\": 0, ";
    json += "\"k500\": 1}}";
    const QStringList problems = load(json);
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].contains(
                 QLatin1String("title.k500: duplicate key \"k500\" (first at line 1, column ")),
             qPrintable(problems[0]));
}

void tst_ScenarioLoader::missingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("absent.json"));
    std::vector<Diagnostic> diagnostics;
    QVERIFY(!ScenarioLoader::fromFile(path, &diagnostics));
    QCOMPARE(diagnostics.size(), size_t(1));
    QCOMPARE(diagnostics[0].line, 0);
    QCOMPARE(diagnostics[0].toString(),
             path + QStringLiteral(": $: cannot read the file: No such file or directory"));

    diagnostics.clear();
    QVERIFY(!ScenarioLoader::fromFile(dir.path(), &diagnostics));
    QCOMPARE(diagnostics.size(), size_t(1));
    QCOMPARE(diagnostics[0].line, 0);

    const QString good = dir.filePath(QStringLiteral("good.json"));
    QFile file(good);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(document("[{\"print\": \"hi\"}]"));
    file.close();
    diagnostics.clear();
    QVERIFY(ScenarioLoader::fromFile(good, &diagnostics));
    QVERIFY(diagnostics.empty());
}

void tst_ScenarioLoader::diagnosticToString()
{
    Diagnostic located { QStringLiteral("seed.json"), 12, 7, QStringLiteral("main[0].with"),
                         QStringLiteral("unknown resource \"dbb\"") };
    QCOMPARE(located.toString(),
             QStringLiteral("seed.json:12:7: main[0].with: unknown resource \"dbb\""));
    Diagnostic unlocated { QStringLiteral("a%1.json"), 0, 0, QStringLiteral("$"),
                           QStringLiteral("%2 gone") };
    QCOMPARE(unlocated.toString(), QStringLiteral("a%1.json: $: %2 gone"));
}

void tst_ScenarioLoader::equalStringsShareOnePayload()
{
    // A million-task file repeats its variable names and queries once per task: they must not
    // cost a string each, and the interpreter's print cache keys on the shared characters.
    const QByteArray task = R"({"name": "%1", "body": [{"with": "db", "body": [
        {"execute": "db", "query": "SELECT 1"}]}]})";
    QByteArray json = "{\"lifeline\": 1, \"resources\": [" + kDb + "], \"main\": [{\"gather\": ["
        + QByteArray(task).replace("%1", "a") + ", " + QByteArray(task).replace("%1", "b") + ", "
        + QByteArray(task).replace("%1", "c").replace("SELECT 1", "SELECT \\u0031") + "]}]}";
    const auto scenario = loadValid(json);
    QVERIFY(scenario);
    const auto &tasks = scenario->main[0].tasks;
    const Step &withA = tasks[0].body[0], &withB = tasks[1].body[0], &withC = tasks[2].body[0];
    const Step &execA = withA.body[0], &execB = withB.body[0], &execC = withC.body[0];
    QCOMPARE(execA.query(), QStringLiteral("SELECT 1"));
    QCOMPARE(&execA.query(), &execB.query());
    QCOMPARE(&execA.variable(), &execB.variable());
    QCOMPARE(&withA.items[0].as.str(), &withB.items[0].as.str());
    // An escaped string is decoded on its own: equal text, its own payload.
    QCOMPARE(execC.query(), QStringLiteral("SELECT 1"));
    QVERIFY(&execC.query() != &execA.query());
}

void tst_ScenarioLoader::sharedStringsCountEveryCopy()
{
    // The loader adds the references of a load's copies at its end (LoadContext::keep()): a copy
    // taken from a step must outlive the scenario, and a file that fails to load must free
    // its steps without freeing a shared string twice (AddressSanitizer checks both).
    const QByteArray task = R"({"name": "t%1", "body": [{"with": "db", "body": [
        {"execute": "db", "query": "SELECT 1"}]}]})";
    QByteArray tasks;
    for (int i = 0; i < 50; ++i)
        tasks += (i ? ", " : "") + QByteArray(task).replace("%1", QByteArray::number(i));
    const QByteArray json = "{\"lifeline\": 1, \"resources\": [" + kDb
        + "], \"main\": [{\"gather\": [" + tasks + "]}]}";
    std::vector<Step> kept;
    {
        const auto scenario = loadValid(json);
        QVERIFY(scenario);
        for (const TaskDef &t : scenario->main[0].tasks)
            kept.push_back(t.body[0]);
    }
    QCOMPARE(kept.size(), size_t(50));
    for (const Step &with : kept) {
        QCOMPARE(with.items[0].as.str(), QStringLiteral("db"));
        QCOMPARE(with.body[0].query(), QStringLiteral("SELECT 1"));
        QCOMPARE(with.body[0].variable(), QStringLiteral("db"));
    }

    std::vector<Diagnostic> diagnostics;
    const QByteArray broken = "{\"lifeline\": 1, \"resources\": [" + kDb
        + "], \"main\": [{\"gather\": [" + tasks + "]}, {\"sleep\": -1}]}";
    QVERIFY(!ScenarioLoader::fromData(broken, QStringLiteral("broken.json"), &diagnostics));
    QCOMPARE(diagnostics.size(), size_t(1));
    QCOMPARE(diagnostics[0].path, QStringLiteral("main[1].sleep"));
}

void tst_ScenarioLoader::largeGather()
{
    // One gather of many tasks, the shape the spec's performance goal names. The size can be
    // raised with LIFELINE_LOADER_BENCH_MB (100 for the goal); the default keeps ctest quick.
    const int megabytes = qEnvironmentVariableIsSet("LIFELINE_LOADER_BENCH_MB")
        ? qEnvironmentVariableIntValue("LIFELINE_LOADER_BENCH_MB")
        : 8;
    QByteArray json = "{\"lifeline\": 1, \"resources\": [" + kDb
        + "],\n\"main\": [{\"with\": \"db\", \"body\": [{\"gather\": [\n";
    json.reserve(qsizetype(megabytes) * 1024 * 1024 + 1024);
    int tasks = 0;
    while (json.size() < qsizetype(megabytes) * 1024 * 1024) {
        json += "{\"name\": \"worker-" + QByteArray::number(tasks)
            + "\", \"cancel_after\": 5000, \"body\": [{\"sleep\": 10}, "
              "{\"print\": \"task {{done}}\"}]},\n";
        ++tasks;
    }
    json += "{\"name\": \"last\", \"body\": []}]}]}]}\n";
    ++tasks;
    QElapsedTimer timer;
    timer.start();
    const auto scenario = loadValid(json);
    const qint64 ms = qMax<qint64>(1, timer.elapsed());
    QVERIFY(scenario);
    QCOMPARE(scenario->main[0].body[0].tasks.size(), size_t(tasks));
    QCOMPARE(scenario->stepCount, quint32(2 + 2 * (tasks - 1)));
    qInfo("loaded %d tasks, %.1f MB in %lld ms: %.0f MB/s", tasks, json.size() / 1048576.0, ms,
          json.size() / 1048576.0 / (ms / 1000.0));
}

QTEST_GUILESS_MAIN(tst_ScenarioLoader)
#include "tst_scenarioloader.moc"
