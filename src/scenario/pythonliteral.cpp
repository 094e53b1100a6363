// SPDX-License-Identifier: MIT
#include "pythonliteral.h"

#include "eventlog.h"

namespace Lifeline {

namespace {

// What a reader could not see, or a Python source line could not hold, is written as an escape
// (as Python's repr does for non-printable characters); line separators too, so that no tool
// splitting the file into lines miscounts stepLines.
bool needsEscape(char32_t c)
{
    return !pythonIsPrintable(c);
}

void appendCodePointEscape(QString &out, char32_t c)
{
    switch (c) {
    case u'\n':
        out += QLatin1String("\\n");
        return;
    case u'\r':
        out += QLatin1String("\\r");
        return;
    case u'\t':
        out += QLatin1String("\\t");
        return;
    default:
        break;
    }
    if (c <= 0xff)
        out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    else if (c <= 0xffff)
        out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
    else
        out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
}

enum class Escape { StringLiteral, FString, Comment };

// Walks code points by hand: a lone surrogate cannot be encoded in the UTF-8 file, so it is
// written as an escape too.
QString escaped(const QString &text, Escape mode)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        if (mode != Escape::Comment && (c == u'\\' || c == u'"')) {
            out += u'\\';
            out += QChar(c);
        } else if (mode == Escape::FString && (c == u'{' || c == u'}')) {
            out += QChar(c);
            out += QChar(c);
        } else if (needsEscape(c)) {
            appendCodePointEscape(out, c);
        } else {
            out += QString::fromUcs4(&c, 1);
        }
    }
    return out;
}

} // namespace

QString PythonLiteral::string(const QString &text)
{
    return u'"' + escaped(text, Escape::StringLiteral) + u'"';
}

QString PythonLiteral::fstringText(const QString &text)
{
    return escaped(text, Escape::FString);
}

QString PythonLiteral::comment(const QString &text)
{
    return escaped(text, Escape::Comment);
}

QString PythonLiteral::seconds(qint64 ms)
{
    const qint64 fraction = ms % 1000;
    QString digits = QStringLiteral("%1").arg(fraction, 3, 10, QLatin1Char('0'));
    while (digits.size() > 1 && digits.endsWith(u'0'))
        digits.chop(1);
    return QString::number(ms / 1000) + u'.' + digits;
}

QStringList PythonLiteral::wrapped(const QString &text, int width)
{
    QStringList lines;
    for (const QString &paragraph : text.split(u'\n')) {
        QString current;
        for (const QString &word : paragraph.split(u' ', Qt::SkipEmptyParts)) {
            if (!current.isEmpty() && current.size() + 1 + word.size() > width) {
                lines << current;
                current.clear();
            }
            current += current.isEmpty() ? word : u' ' + word;
        }
        lines << current;
    }
    return lines;
}

} // namespace Lifeline
