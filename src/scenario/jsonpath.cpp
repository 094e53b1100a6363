// SPDX-License-Identifier: MIT
#include "jsonpath.h"

namespace Lifeline {

namespace {

bool isPlainKey(QByteArrayView key)
{
    if (key.isEmpty())
        return false;
    for (char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
            || (c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

QString JsonPath::toString() const
{
    if (m_size == 0)
        return QStringLiteral("$");
    QString path;
    for (int i = 0; i < qMin(m_size, Capacity); ++i) {
        const Segment &s = m_segments[size_t(i)];
        if (s.index >= 0)
            appendIndex(&path, s.index);
        else
            appendKey(&path, s.key);
    }
    return path;
}

void JsonPath::appendKey(QString *path, QByteArrayView utf8Key)
{
    if (isPlainKey(utf8Key)) {
        if (!path->isEmpty())
            path->append(u'.');
        path->append(QString::fromUtf8(utf8Key));
        return;
    }
    if (path->isEmpty())
        path->append(u'$');
    QString quoted = QString::fromUtf8(utf8Key);
    quoted.replace(u'\\', QLatin1String("\\\\")).replace(u'"', QLatin1String("\\\""));
    path->append(QLatin1String("[\"") + quoted + QLatin1String("\"]"));
}

void JsonPath::appendIndex(QString *path, qint64 index)
{
    if (path->isEmpty())
        path->append(u'$');
    path->append(u'[' + QString::number(index) + u']');
}

} // namespace Lifeline
