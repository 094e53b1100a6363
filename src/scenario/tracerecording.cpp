// SPDX-License-Identifier: MIT
#include "tracerecording.h"

#include <algorithm>

namespace Lifeline {

QString TraceError::toString() const
{
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::NotATrace:
    case Kind::NewerVersion:
        return message;
    case Kind::CutShort:
        return QStringLiteral("trace cut short at byte %1: %2").arg(offset).arg(message);
    case Kind::Corrupt:
        return QStringLiteral("corrupt record at byte %1: %2").arg(offset).arg(message);
    }
    return message;
}

qint32 TraceRecording::locationOf(size_t index) const
{
    const auto it = std::lower_bound(
        eventLocations.begin(), eventLocations.end(), index,
        [](const std::pair<quint32, qint32> &entry, size_t i) { return entry.first < i; });
    return it != eventLocations.end() && it->first == index ? it->second : None;
}

qint32 TraceRecording::locationBefore(size_t position) const
{
    const auto it = std::lower_bound(
        eventLocations.begin(), eventLocations.end(), position,
        [](const std::pair<quint32, qint32> &entry, size_t p) { return entry.first < p; });
    return it == eventLocations.begin() ? None : std::prev(it)->second;
}

} // namespace Lifeline
