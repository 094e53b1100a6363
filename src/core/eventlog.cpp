// SPDX-License-Identifier: MIT
#include "eventlog.h"

#include <iterator>

#include <unordered_set>

namespace Lifeline {

EventLog::EventLog(ExceptionTypes types)
    : m_types(std::move(types))
{
}

void EventLog::addChunk()
{
    EventChunk c;
    c.ids = std::make_unique_for_overwrite<quint64[]>(kChunkSize);
    c.kinds = std::make_unique_for_overwrite<quint8[]>(kChunkSize);
    m_chunks.push_back(std::move(c));
}

int EventLog::internLabel(const QString &label)
{
    auto it = m_labelIndex.constFind(label);
    if (it != m_labelIndex.constEnd())
        return it.value();
    m_ownLabels.push_back(label);
    m_labels.push_back(&m_ownLabels.back());
    m_labelIndex.insert(label, int(m_labels.size() - 1));
    return int(m_labels.size() - 1);
}

LaneId EventLog::addLane(LaneKind kind, int label, LaneId parent, int group, int ordinal)
{
    if ((m_laneCount & kLaneChunkMask) == 0)
        m_laneChunks.push_back(std::make_unique_for_overwrite<LaneInfo[]>(kLaneChunkMask + 1));
    m_laneChunks.back()[m_laneCount & kLaneChunkMask]
        = { label, parent, group, quint32(ordinal), kind == LaneKind::Instance };
    return LaneId(m_laneCount++);
}

ExcId EventLog::newException(int type, const QString &message, bool hasMessage)
{
    ExceptionRecord r;
    r.type = type;
    r.message = message;
    r.hasMessage = hasMessage;
    m_exceptions.push_back(std::move(r));
    return ExcId(m_exceptions.size() - 1);
}

void EventLog::setExceptionText(ExcId id, const QString &repr, const QString &str)
{
    m_exceptionTexts.insert(id, { repr, str });
}

quint32 EventLog::addPrintText(const QString &text)
{
    m_printTexts.push_back(text);
    return quint32(m_printTexts.size() - 1);
}

int EventLog::addPrint(quint32 textId, quint32 stepId)
{
    m_printLines.push_back({ textId, stepId });
    return int(m_printLines.size() - 1);
}

QString EventLog::laneName(LaneId id) const
{
    const LaneInfo &l = lane(id);
    if (l.kind() == LaneKind::Task)
        return label(l.label);
    return QStringLiteral("%1 #%2").arg(label(l.label)).arg(l.ordinal);
}

bool pythonIsPrintable(char32_t c)
{
    if (c == U' ')
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
    case QChar::Separator_Space:
        return false;
    default:
        return true;
    }
}

QString pythonStringRepr(const QString &s)
{
    const QChar quote = (s.contains(u'\'') && !s.contains(u'"')) ? u'"' : u'\'';
    QString out;
    out.reserve(s.size() + 2);
    out += quote;
    // Scenarios cannot hold lone surrogates (the loader rejects them), so toUcs4 is exact.
    const QList<uint> codePoints = s.toUcs4();
    for (const uint cp : codePoints) {
        const char32_t c = cp;
        if (c == quote.unicode() || c == U'\\') {
            out += u'\\';
            out += QChar(c);
        } else if (c == U'\t') {
            out += QLatin1String("\\t");
        } else if (c == U'\n') {
            out += QLatin1String("\\n");
        } else if (c == U'\r') {
            out += QLatin1String("\\r");
        } else if (c < 0x20 || c == 0x7f) {
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        } else if (c < 0x7f || pythonIsPrintable(c)) {
            out += QString::fromUcs4(&c, 1);
        } else if (c <= 0xff) {
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        } else if (c <= 0xffff) {
            out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
        } else {
            out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
        }
    }
    out += quote;
    return out;
}

QString EventLog::repr(ExcId id) const
{
    if (!m_exceptionTexts.isEmpty()) {
        const auto it = m_exceptionTexts.constFind(id);
        if (it != m_exceptionTexts.constEnd())
            return it->repr;
    }
    const ExceptionRecord &e = exception(id);
    QString out = m_types.name(e.type) + u'(';
    if (e.hasMessage)
        out += pythonStringRepr(e.message);
    if (m_types.isGroup(e.type)) {
        out += QLatin1String(", [");
        for (size_t i = 0; i < e.members.size(); ++i) {
            if (i)
                out += QLatin1String(", ");
            out += repr(e.members[i]);
        }
        out += u']';
    }
    out += u')';
    return out;
}

QString EventLog::str(ExcId id) const
{
    if (!m_exceptionTexts.isEmpty()) {
        const auto it = m_exceptionTexts.constFind(id);
        if (it != m_exceptionTexts.constEnd())
            return it->str;
    }
    const ExceptionRecord &e = exception(id);
    if (m_types.isGroup(e.type)) {
        const size_t n = e.members.size();
        return QStringLiteral("%1 (%2 sub-exception%3)")
            .arg(e.message)
            .arg(n)
            .arg(n == 1 ? "" : "s");
    }
    if (!e.hasMessage)
        return {};
    // KeyError's str() is the repr of its argument.
    if (m_types.isSubclass(e.type, ExceptionTypes::KeyError))
        return pythonStringRepr(e.message);
    return e.message;
}

std::vector<ExcId> EventLog::chain(ExcId id) const
{
    std::vector<ExcId> out;
    std::unordered_set<ExcId> seen;
    while (id != None && seen.insert(id).second) {
        out.push_back(id);
        const ExceptionRecord &e = exception(id);
        if (e.cause != None)
            id = e.cause;
        else if (!e.suppressContext)
            id = e.context;
        else
            id = None;
    }
    return out;
}

size_t EventLog::releasePrints(size_t count)
{
    if (!m_printLines.empty())
        m_printLines = {}; // what refers to the texts goes first
    for (; count > 0 && !m_printTexts.empty(); --count)
        m_printTexts.pop_back();
    if (m_printTexts.empty())
        m_printTexts.shrink_to_fit();
    return m_printTexts.size();
}

size_t EventLog::memoryUsage() const
{
    size_t bytes = m_chunks.capacity() * sizeof(EventChunk);
    for (const EventChunk &c : m_chunks) {
        bytes += kChunkSize * (sizeof(quint64) + sizeof(quint8));
        bytes += c.runStarts.capacity() * sizeof(quint16) + c.runTimes.capacity() * sizeof(qint64);
    }
    bytes += m_laneChunks.capacity() * sizeof(void *)
        + m_laneChunks.size() * (kLaneChunkMask + 1) * sizeof(LaneInfo);
    bytes += m_labels.memoryUsage();
    for (const QString &l : m_ownLabels)
        bytes += sizeof(QString) + size_t(l.capacity()) * 2;
    bytes += m_exceptions.size() * sizeof(ExceptionRecord);
    for (const ExceptionText &t : m_exceptionTexts)
        bytes += 2 * sizeof(QString) + size_t(t.repr.capacity() + t.str.capacity()) * 2;
    bytes += m_printLines.memoryUsage();
    // Texts formatted apart may still share a buffer: count each buffer once.
    std::unordered_set<const QChar *> buffers;
    for (const QString &p : m_printTexts) {
        bytes += sizeof(QString);
        if (buffers.insert(p.constData()).second)
            bytes += size_t(p.capacity()) * 2;
    }
    return bytes;
}

const char *EventLog::kindName(EventKind kind)
{
    static const char *names[] = { "task-created",   "task-started", "task-ended",  "phase",
                                   "instance-ended", "print",        "raise",       "hop",
                                   "cancel-request", "step",         "task-awaits", "task-joined" };
    static_assert(std::size(names) == size_t(EventKind::TaskJoined) + 1);
    return names[int(kind)];
}

const char *EventLog::phaseName(Phase phase)
{
    static const char *names[] = { "acquire", "ready", "execute", "release" };
    return names[int(phase)];
}

const char *EventLog::stateName(LifecycleState state)
{
    static const char *names[]
        = { "created",  "acquiring",         "ready",     "executing",     "releasing",
            "released", "failed-to-acquire", "cancelled", "never-released" };
    return names[int(state)];
}

const char *EventLog::hopName(HopAction action)
{
    static const char *names[]
        = { "propagated", "suppressed", "replaced", "grouped", "caught", "escaped" };
    return names[int(action)];
}

const char *EventLog::outcomeName(TaskOutcome outcome)
{
    static const char *names[] = { "finished", "failed", "cancelled" };
    return names[int(outcome)];
}

const char *EventLog::originName(RaiseOrigin origin)
{
    static const char *names[] = { "raise", "reraise", "runtime", "cancel", "timeout", "group" };
    return names[int(origin)];
}

const char *EventLog::causeName(CancelCause cause)
{
    static const char *names[]
        = { "call", "awaiter", "deadline", "sibling", "group-exit", "shutdown" };
    static_assert(std::size(names) == size_t(CancelCause::Shutdown) + 1);
    return names[int(cause)];
}

const char *EventLog::waitName(WaitKind kind)
{
    static const char *names[] = { "sleep", "task", "gather" };
    static_assert(std::size(names) == size_t(WaitKind::Gather) + 1);
    return names[int(kind)];
}

const char *EventLog::joinName(JoinKind kind)
{
    static const char *names[] = { "task-group", "gather" };
    static_assert(std::size(names) == size_t(JoinKind::Gather) + 1);
    return names[int(kind)];
}

} // namespace Lifeline
