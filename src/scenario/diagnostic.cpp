// SPDX-License-Identifier: MIT
#include "scenario.h"

#include <algorithm>

namespace Lifeline {

QString Diagnostic::toString() const
{
    // The form compilers use, so editors and terminals can jump to the spot. Concatenated, not
    // QString::arg(), so a `%1` in a file name or message stays as written.
    QString text = file;
    if (line > 0)
        text += u':' + QString::number(line) + u':' + QString::number(column);
    if (!path.isEmpty())
        text += QLatin1String(": ") + path;
    return escaped(text + QLatin1String(": ") + message);
}

QString Diagnostic::escaped(const QString &text)
{
    auto isControl = [](char16_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); };
    if (std::none_of(text.cbegin(), text.cend(), [&](QChar c) { return isControl(c.unicode()); }))
        return text;
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!isControl(u)) {
            out += c;
        } else if (u == u'\t') {
            out += QLatin1String("\\t");
        } else if (u == u'\n') {
            out += QLatin1String("\\n");
        } else if (u == u'\r') {
            out += QLatin1String("\\r");
        } else {
            out += QLatin1String("\\x") + QString::number(u, 16).rightJustified(2, u'0');
        }
    }
    return out;
}

} // namespace Lifeline
