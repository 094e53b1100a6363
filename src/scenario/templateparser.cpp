// SPDX-License-Identifier: MIT
#include "templateparser.h"

namespace Lifeline {

namespace {

void appendText(Template *parts, QStringView text)
{
    if (text.isEmpty())
        return;
    if (!parts->empty() && parts->back().kind == TemplatePart::Kind::Text)
        parts->back().text.append(text);
    else
        parts->push_back({ TemplatePart::Kind::Text, text.toString() });
}

QString allowedList(int allowed)
{
    QStringList names;
    if (allowed & TemplateParser::AllowArg)
        names << QStringLiteral("{arg}");
    if (allowed & TemplateParser::AllowQuery)
        names << QStringLiteral("{query}");
    if (allowed & TemplateParser::AllowExc)
        names << QStringLiteral("{exc}") << QStringLiteral("{exc_type}");
    if (names.isEmpty())
        return QStringLiteral("no placeholders are allowed here");
    return QStringLiteral("allowed here: ") + names.join(QLatin1String(", "));
}

} // namespace

Template TemplateParser::parse(const QString &text, int allowed, QStringList *errors)
{
    Template parts;
    // Most templates have no braces: one part sharing the caller's string, no copy.
    if (!text.contains(u'{') && !text.contains(u'}')) {
        if (!text.isEmpty())
            parts.push_back({ TemplatePart::Kind::Text, text });
        return parts;
    }
    const QStringView view(text);
    qsizetype runStart = 0;
    qsizetype i = 0;
    while (i < view.size()) {
        const QChar c = view[i];
        if (c != u'{' && c != u'}') {
            ++i;
            continue;
        }
        appendText(&parts, view.mid(runStart, i - runStart));
        if (i + 1 < view.size() && view[i + 1] == c) {
            appendText(&parts, view.mid(i, 1));
            i += 2;
            runStart = i;
            continue;
        }
        if (c == u'}') {
            errors->append(QStringLiteral("lone '}' in template (write }} for a literal brace)"));
            runStart = ++i;
            continue;
        }
        const qsizetype close = view.indexOf(u'}', i + 1);
        if (close < 0) {
            errors->append(QStringLiteral("unclosed placeholder \"%1\" in template (write {{ for a "
                                          "literal brace)")
                               .arg(view.mid(i, 12).toString()));
            runStart = i = view.size();
            break;
        }
        const QStringView name = view.mid(i + 1, close - i - 1);
        TemplatePart::Kind kind = TemplatePart::Kind::Text;
        int needs = 0;
        if (name == u"arg") {
            kind = TemplatePart::Kind::Arg;
            needs = AllowArg;
        } else if (name == u"query") {
            kind = TemplatePart::Kind::Query;
            needs = AllowQuery;
        } else if (name == u"exc") {
            kind = TemplatePart::Kind::Exc;
            needs = AllowExc;
        } else if (name == u"exc_type") {
            kind = TemplatePart::Kind::ExcType;
            needs = AllowExc;
        }
        const QString placeholder = view.mid(i, close - i + 1).toString();
        if (needs == 0) {
            errors->append(QStringLiteral("unknown placeholder %1 in template (%2; write {{ and }} "
                                          "for literal braces)")
                               .arg(placeholder, allowedList(allowed)));
        } else if (!(allowed & needs)) {
            QString where;
            if (needs == AllowArg)
                where = QStringLiteral("only in a resource's phases");
            else if (needs == AllowQuery)
                where = QStringLiteral("only in a resource's execute phase");
            else
                where = QStringLiteral("only inside an except body of the same function");
            errors->append(QStringLiteral("%1 is not available here: it is allowed %2")
                               .arg(placeholder, where));
        } else {
            parts.push_back({ kind, {} });
        }
        i = close + 1;
        runStart = i;
    }
    appendText(&parts, view.mid(runStart));
    return parts;
}

} // namespace Lifeline
