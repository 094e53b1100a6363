#include "scenario.h"

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
    return text + QLatin1String(": ") + message;
}

} // namespace Lifeline
