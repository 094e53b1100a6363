// SPDX-License-Identifier: MIT
// Diagnostics never put a raw control character on a terminal: names quoted from a file, and
// file names, are written escaped as Python's repr() writes them.

#include "scenario.h"
#include "scenarioloader.h"

#include <QTest>

using namespace Lifeline;

class tst_Diagnostic : public QObject
{
    Q_OBJECT

private:
    static QList<char16_t> controlCharacters()
    {
        QList<char16_t> all;
        for (char16_t c = 0; c < 0x20; ++c)
            all << c;
        for (char16_t c = 0x7f; c <= 0x9f; ++c)
            all << c;
        return all;
    }
    static bool hasControl(const QString &text)
    {
        return std::any_of(text.cbegin(), text.cend(), [](QChar c) {
            return c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f);
        });
    }
    static QString expectedEscape(char16_t c)
    {
        switch (c) {
        case u'\t':
            return QStringLiteral("\\t");
        case u'\n':
            return QStringLiteral("\\n");
        case u'\r':
            return QStringLiteral("\\r");
        default:
            return QStringLiteral("\\x%1").arg(int(c), 2, 16, QLatin1Char('0'));
        }
    }

private slots:
    void everyMessageKindEscapesEveryControlCharacter_data()
    {
        QTest::addColumn<QString>("json"); // %1 stands for the control character, JSON-escaped
        QTest::newRow("unknown resource in a with")
            << R"({"lifeline": 1, "resources": [], "main": [{"with": "a%1b", "body": []}]})";
        QTest::newRow("unknown exception type")
            << R"({"lifeline": 1, "resources": [], "main": [{"raise": {"type": "E%1"}}]})";
        QTest::newRow("unknown key") << R"({"lifeline": 1, "resources": [], "main": [], "k%1": 1})";
        QTest::newRow("invalid name")
            << R"({"lifeline": 1, "resources": [{"id": "r%1", "kind": "class"}], "main": []})";
        QTest::newRow("template placeholder")
            << R"({"lifeline": 1, "resources": [], "main": [{"print": "{x%1}"}]})";
    }
    void everyMessageKindEscapesEveryControlCharacter()
    {
        QFETCH(QString, json);
        for (char16_t c : controlCharacters()) {
            const QString escapedJson
                = QStringLiteral("\\u%1").arg(int(c), 4, 16, QLatin1Char('0'));
            std::vector<Diagnostic> problems;
            const auto scenario = ScenarioLoader::fromData(json.arg(escapedJson).toUtf8(),
                                                           QStringLiteral("f.json"), &problems);
            QVERIFY(!scenario);
            QVERIFY(!problems.empty());
            for (const Diagnostic &d : problems) {
                const QString text = d.toString();
                QVERIFY2(!hasControl(text), qPrintable(QString::number(int(c))));
            }
            // The message that quotes the offending text shows the character escaped.
            const bool shown
                = std::any_of(problems.begin(), problems.end(), [&](const Diagnostic &d) {
                      return d.toString().contains(expectedEscape(c));
                  });
            QVERIFY2(shown, qPrintable(problems.front().toString()));
        }
    }

    void fileNamesAreEscaped()
    {
        for (char16_t c : controlCharacters()) {
            Diagnostic d;
            d.file = QStringLiteral("evil") + QChar(c) + QStringLiteral(".json");
            d.message = QStringLiteral("cannot open");
            QVERIFY(!hasControl(d.toString()));
            QCOMPARE(d.toString(),
                     QStringLiteral("evil") + expectedEscape(c)
                         + QStringLiteral(".json: cannot open"));
        }
    }

    void plainTextIsUnchanged()
    {
        const QString text = QStringLiteral("f.json:1:2: main[0]: unknown resource \"é 😀\"");
        QCOMPARE(Diagnostic::escaped(text), text);
    }
};

QTEST_GUILESS_MAIN(tst_Diagnostic)
#include "tst_diagnostic.moc"
