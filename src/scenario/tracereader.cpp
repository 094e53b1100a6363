// Past 500 lines as one idea: one parser holding every record's checks, in the doc's order,
// so that what makes a record bad can be read in one place.
#include "tracereader.h"

#include "zlibinflater.h"

#include <QtEndian>

#include <limits>
#include <vector>

namespace Lifeline {

namespace {

enum Tag : quint8 {
    EventTag = 0x01,
    StringTag,
    TypeTag,
    ExceptionTag,
    LinkTag,
    GroupTag,
    LaneTag,
    PrintTag,
    MetaTag,
    SourceTag,
    LocationTag,
    ReservedTag, // 0x0C: AT, before version 1 was settled
    EndTag,
    EventsTag,
};

// By tag, from 0x01; null for a reserved tag.
constexpr const char *RecordNames[]
    = { "EVENT", "STRING", "TYPE",   "EXCEPTION", "LINK",  "GROUP", "LANE",
        "PRINT", "META",   "SOURCE", "LOCATION",  nullptr, "END",   "EVENTS" };
static_assert(std::size(RecordNames) == EventsTag);

// An EVENTS block inflates to 20 bytes an event; deflate never packs more than 1032 bytes into
// one, so a count past that says the block lies (and is no reason to allocate).
constexpr quint64 BlockEventBytes = 20;
constexpr quint64 MaxDeflateRatio = 1032;

// What an event's subject or arg may name (the event table of the format).
enum class Ref : quint8 {
    Nothing,
    Task,
    TaskOrNothing,
    Instance,
    LaneOrNothing,
    Exception,
    ExceptionOrNothing,
    Print
};

struct EventRule
{
    quint8 firstDetail, lastDetail;
    Ref subject, arg;
};

// By EventKind; StepBegan (8) is the interpreter's own and never in a trace.
constexpr EventRule EventRules[] = {
    { 0, 0, Ref::Task, Ref::TaskOrNothing }, // TaskCreated
    { 0, 0, Ref::Task, Ref::Nothing }, // TaskStarted
    { 0, 2, Ref::Task, Ref::ExceptionOrNothing }, // TaskEnded: TaskOutcome
    { 0, 3, Ref::Instance, Ref::Nothing }, // PhaseBegan: Phase
    { 5, 8, Ref::Instance, Ref::Nothing }, // InstanceEnded: a terminal LifecycleState
    { 0, 0, Ref::TaskOrNothing, Ref::Print }, // Printed
    { 0, 5, Ref::Exception, Ref::LaneOrNothing }, // ExceptionRaised: RaiseOrigin
    { 0, 5, Ref::Exception, Ref::LaneOrNothing }, // ExceptionHop: HopAction
};
static_assert(std::size(EventRules) == size_t(EventKind::StepBegan));

constexpr quint64 NoneValue = quint32(None);
constexpr size_t MaxIds = size_t(std::numeric_limits<qint32>::max());

class Parser
{
public:
    Parser(QByteArrayView bytes, TraceRecording &r)
        : m_bytes(bytes)
        , m_r(r)
    {
    }
    void run();

private:
    bool fail(TraceError::Kind kind, const QString &message)
    {
        m_kind = kind;
        m_message = message;
        return false;
    }
    bool corrupt(const QString &message) { return fail(TraceError::Kind::Corrupt, message); }
    QString field(const char *name) const
    {
        return QStringLiteral("the %1 record's %2")
            .arg(QLatin1String(m_record), QLatin1String(name));
    }
    bool byte(quint8 *out, const char *name);
    bool number(quint64 *out, const char *name);
    // A number naming one of `count` things defined so far (`what`: "string", "lane", ...).
    bool id(const char *name, size_t count, const char *what, qint32 *out);
    // The same, written plus one so that 0 means none.
    bool optionalId(const char *name, size_t count, const char *what, qint32 *out);
    bool defineAnother(size_t count, const char *what);
    bool reference(Ref ref, quint64 value, const char *name, quint32 *out);
    bool record(quint8 tag);
    bool event();
    bool events();
    // One event of an EVENT record or an EVENTS block, checked and appended.
    bool addEvent(quint8 kindAndDetail, qint64 time, quint64 subject, quint64 argPlusOne,
                  quint64 locationPlusOne);
    bool exception();
    bool lane();

    QByteArrayView m_bytes;
    TraceRecording &m_r;
    qsizetype m_pos = 0;
    const char *m_record = "";
    qint64 m_time = 0;
    TraceError::Kind m_kind = TraceError::Kind::None;
    QString m_message;
};

void Parser::run()
{
    const QByteArrayView magic = TraceReader::magic();
    auto stop = [this](TraceError::Kind kind, qint64 offset, const QString &message) {
        m_r.error = { kind, offset, message };
    };
    if (m_bytes.isEmpty() || !(m_bytes.startsWith(magic) || magic.startsWith(m_bytes))) {
        stop(TraceError::Kind::NotATrace, 0, QStringLiteral("not a Lifeline trace"));
        return;
    }
    if (m_bytes.size() <= magic.size()) {
        stop(TraceError::Kind::CutShort, 0, QStringLiteral("the header is cut short"));
        return;
    }
    m_r.version = quint8(m_bytes[magic.size()]);
    if (m_r.version != TraceReader::FormatVersion) {
        stop(TraceError::Kind::NewerVersion, magic.size(),
             m_r.version > TraceReader::FormatVersion
                 ? QStringLiteral(
                       "written by a newer Lifeline: format version %1, this one reads %2")
                       .arg(m_r.version)
                       .arg(TraceReader::FormatVersion)
                 : QStringLiteral("unknown format version %1, this one reads %2")
                       .arg(m_r.version)
                       .arg(TraceReader::FormatVersion));
        return;
    }
    if (m_bytes.size() < TraceReader::HeaderSize) {
        stop(TraceError::Kind::CutShort, 0, QStringLiteral("the header is cut short"));
        return;
    }
    m_pos = TraceReader::HeaderSize; // the reserved bytes are ignored
    while (m_pos < m_bytes.size()) {
        const qsizetype start = m_pos;
        const quint8 tag = quint8(m_bytes[m_pos++]);
        const bool ok
            = m_r.end ? corrupt(QStringLiteral("a record after the END record")) : record(tag);
        if (!ok) {
            stop(m_kind, start, m_message);
            return;
        }
    }
    if (!m_r.end) {
        stop(TraceError::Kind::CutShort, m_bytes.size(),
             QStringLiteral("no END record (the program or `lifeline trace` was stopped before "
                            "it could write one)"));
    }
}

bool Parser::byte(quint8 *out, const char *name)
{
    if (m_pos >= m_bytes.size())
        return fail(TraceError::Kind::CutShort, field(name) + QLatin1String(" runs past the end"));
    *out = quint8(m_bytes[m_pos++]);
    return true;
}

bool Parser::number(quint64 *out, const char *name)
{
    quint64 value = 0;
    for (int i = 0; i < 10; ++i) {
        if (m_pos >= m_bytes.size()) {
            return fail(TraceError::Kind::CutShort,
                        field(name) + QLatin1String(" runs past the end"));
        }
        const quint8 b = quint8(m_bytes[m_pos++]);
        // The tenth byte holds bit 63 only.
        if (i == 9 && (b & 0x7f) > 1)
            return corrupt(field(name) + QLatin1String(" does not fit in 64 bits"));
        value |= quint64(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = value;
            return true;
        }
    }
    return corrupt(field(name) + QLatin1String(" is longer than 10 bytes"));
}

bool Parser::id(const char *name, size_t count, const char *what, qint32 *out)
{
    quint64 value = 0;
    if (!number(&value, name))
        return false;
    if (value >= count) {
        return corrupt(QStringLiteral("%1 names %2 %3, but %4 %2s are defined")
                           .arg(field(name), QLatin1String(what))
                           .arg(value)
                           .arg(count));
    }
    *out = qint32(value);
    return true;
}

bool Parser::optionalId(const char *name, size_t count, const char *what, qint32 *out)
{
    quint64 value = 0;
    if (!number(&value, name))
        return false;
    if (value == 0) {
        *out = None;
        return true;
    }
    if (value - 1 >= count) {
        return corrupt(QStringLiteral("%1 names %2 %3, but %4 %2s are defined")
                           .arg(field(name), QLatin1String(what))
                           .arg(value - 1)
                           .arg(count));
    }
    *out = qint32(value - 1);
    return true;
}

bool Parser::defineAnother(size_t count, const char *what)
{
    if (count < MaxIds)
        return true;
    return corrupt(QStringLiteral("more %1s than a reader can number").arg(QLatin1String(what)));
}

bool Parser::reference(Ref ref, quint64 value, const char *name, quint32 *out)
{
    const bool none = value == NoneValue;
    auto isLane = [&](LaneKind kind) {
        return value < m_r.lanes.size() && m_r.lanes[size_t(value)].kind == kind;
    };
    bool ok = false;
    const char *expected = "";
    switch (ref) {
    case Ref::Nothing:
        ok = none;
        expected = "none";
        break;
    case Ref::Task:
    case Ref::TaskOrNothing:
        ok = isLane(LaneKind::Task) || (none && ref == Ref::TaskOrNothing);
        expected = ref == Ref::Task ? "a task lane" : "a task lane or none";
        break;
    case Ref::Instance:
        ok = isLane(LaneKind::Instance);
        expected = "an instance lane";
        break;
    case Ref::LaneOrNothing:
        ok = none || value < m_r.lanes.size();
        expected = "a lane or none";
        break;
    case Ref::Exception:
    case Ref::ExceptionOrNothing:
        ok = value < m_r.exceptions.size() || (none && ref == Ref::ExceptionOrNothing);
        expected = ref == Ref::Exception ? "an exception" : "an exception or none";
        break;
    case Ref::Print:
        ok = value < m_r.prints.size();
        expected = "a print";
        break;
    }
    if (!ok) {
        const QString got = none ? QStringLiteral("none") : QString::number(value);
        return corrupt(QStringLiteral("%1 is %2, not %3 defined so far")
                           .arg(field(name), got, QLatin1String(expected)));
    }
    *out = quint32(value);
    return true;
}

bool Parser::record(quint8 tag)
{
    const QLatin1StringView name = TraceReader::recordName(tag);
    if (name.isEmpty())
        return corrupt(
            QStringLiteral("unknown record tag 0x%1").arg(uint(tag), 2, 16, QLatin1Char('0')));
    m_record = name.data();
    const quint32 eventCount = quint32(m_r.events.size());
    switch (tag) {
    case EventTag:
        return event();
    case StringTag: {
        quint64 length = 0;
        if (!number(&length, "length") || !defineAnother(m_r.strings.size(), "string"))
            return false;
        if (length > quint64(m_bytes.size() - m_pos))
            return fail(TraceError::Kind::CutShort,
                        field("text") + QLatin1String(" runs past the end"));
        m_r.strings.push_back(QString::fromUtf8(m_bytes.sliced(m_pos, qsizetype(length))));
        m_pos += qsizetype(length);
        return true;
    }
    case TypeTag: {
        TraceType t;
        if (!id("name", m_r.strings.size(), "string", &t.name)
            || !optionalId("base", m_r.types.size(), "type", &t.base)
            || !defineAnother(m_r.types.size(), "type"))
            return false;
        m_r.types.push_back(t);
        return true;
    }
    case ExceptionTag:
        return exception();
    case LinkTag: {
        TraceLink l;
        l.firstEvent = eventCount;
        if (!id("exception", m_r.exceptions.size(), "exception", &l.exception)
            || !number(&l.chain.flags, "flags")
            || !optionalId("context", m_r.exceptions.size(), "exception", &l.chain.context)
            || !optionalId("cause", m_r.exceptions.size(), "exception", &l.chain.cause)
            || !defineAnother(m_r.links.size(), "link"))
            return false;
        m_r.exceptions[size_t(l.exception)].chain = l.chain;
        m_r.links.push_back(l);
        return true;
    }
    case GroupTag: {
        qint32 group = 0;
        if (!id("name", m_r.strings.size(), "string", &group)
            || !defineAnother(m_r.groups.size(), "group"))
            return false;
        m_r.groups.push_back(group);
        return true;
    }
    case LaneTag:
        return lane();
    case PrintTag: {
        TracePrint p;
        p.firstEvent = eventCount;
        if (!id("text", m_r.strings.size(), "string", &p.text)
            || !optionalId("location", m_r.locations.size(), "location", &p.location)
            || !defineAnother(m_r.prints.size(), "print"))
            return false;
        m_r.prints.push_back(p);
        return true;
    }
    case MetaTag: {
        qint32 key = 0, value = 0;
        if (!id("key", m_r.strings.size(), "string", &key)
            || !id("value", m_r.strings.size(), "string", &value))
            return false;
        m_r.meta.insert(m_r.string(key), m_r.string(value));
        return true;
    }
    case SourceTag: {
        TraceSource s;
        if (!id("path", m_r.strings.size(), "string", &s.path)
            || !id("text", m_r.strings.size(), "string", &s.text)
            || !defineAnother(m_r.sources.size(), "source"))
            return false;
        m_r.sources.push_back(s);
        return true;
    }
    case LocationTag: {
        TraceLocation l;
        quint64 line = 0;
        if (!id("source", m_r.sources.size(), "source", &l.source) || !number(&line, "line")
            || !defineAnother(m_r.locations.size(), "location"))
            return false;
        if (line < 1 || line > MaxIds)
            return corrupt(field("line") + QStringLiteral(" is %1, not a line number").arg(line));
        l.line = qint32(line);
        m_r.locations.push_back(l);
        return true;
    }
    case EventsTag:
        return events();
    case EndTag: {
        TraceEnd end;
        if (!number(&end.how, "how") || !number(&end.status, "status"))
            return false;
        if (end.how > TraceEnd::CouldNotStart)
            return corrupt(field("how") + QStringLiteral(" is %1, not 0 to 3").arg(end.how));
        m_r.end = end;
        return true;
    }
    }
    return false;
}

bool Parser::event()
{
    quint8 kindAndDetail = 0;
    quint64 dt = 0, subject = 0, arg = 0, location = 0;
    if (!byte(&kindAndDetail, "kind") || !number(&dt, "dt") || !number(&subject, "subject")
        || !number(&arg, "arg") || !number(&location, "location"))
        return false;
    if (dt > quint64(TraceReader::MaxTime - m_time)) {
        return corrupt(QStringLiteral("%1 takes the time past %2 ns")
                           .arg(field("dt"))
                           .arg(TraceReader::MaxTime));
    }
    return addEvent(kindAndDetail, m_time + qint64(dt), subject, arg, location);
}

bool Parser::events()
{
    quint64 count = 0, length = 0;
    if (!number(&count, "count") || !number(&length, "length"))
        return false;
    if (length > quint64(m_bytes.size() - m_pos))
        return fail(TraceError::Kind::CutShort,
                    field("zlib stream") + QLatin1String(" runs past the end"));
    if (count > (length * MaxDeflateRatio + 1024) / BlockEventBytes)
        return corrupt(QStringLiteral("%1 of %2 is more than %3 bytes of zlib can hold")
                           .arg(field("count"))
                           .arg(count)
                           .arg(length));
    if (count > MaxIds - m_r.events.size())
        return corrupt(QStringLiteral("more events than a reader can number"));
    std::vector<uchar> columns;
    if (!ZlibInflater::inflateExactly(m_bytes.sliced(m_pos, qsizetype(length)),
                                      size_t(count * BlockEventBytes), &columns)) {
        return corrupt(QStringLiteral("%1 does not inflate to %2 × 20 bytes")
                           .arg(field("zlib stream"))
                           .arg(count));
    }
    m_pos += qsizetype(length);
    // A block is good or bad as a whole: a bad event drops the events before it too.
    const size_t eventsBefore = m_r.events.size();
    const size_t locationsBefore = m_r.eventLocations.size();
    const qint64 timeBefore = m_time;
    const uchar *words = columns.data();
    const uchar *ids = words + 8 * count;
    const uchar *locations = ids + 8 * count;
    for (size_t i = 0; i < count; ++i) {
        const quint64 word = qFromLittleEndian<quint64>(words + 8 * i);
        const quint64 both = qFromLittleEndian<quint64>(ids + 8 * i);
        const quint32 location = qFromLittleEndian<quint32>(locations + 4 * i);
        const qint64 time = qint64(word & ((quint64(1) << 56) - 1));
        bool ok = true;
        if (time < m_time) {
            ok = corrupt(QStringLiteral("its time %1 ns is before the previous event's, %2 ns")
                             .arg(time)
                             .arg(m_time));
        } else if (time > TraceReader::MaxTime) {
            ok = corrupt(
                QStringLiteral("its time %1 ns is past %2 ns").arg(time).arg(TraceReader::MaxTime));
        } else {
            ok = addEvent(quint8(word >> 56), time, both & 0xffffffffu, both >> 32, location);
        }
        if (!ok) {
            m_message = QStringLiteral("event %1 of the block: %2").arg(i).arg(m_message);
            m_r.events.resize(eventsBefore);
            m_r.eventLocations.resize(locationsBefore);
            m_time = timeBefore;
            return false;
        }
    }
    return true;
}

bool Parser::addEvent(quint8 kindAndDetail, qint64 time, quint64 subject, quint64 arg,
                      quint64 location)
{
    if (!defineAnother(m_r.events.size(), "event"))
        return false;
    const quint8 kind = kindAndDetail & 0xf;
    const quint8 detail = kindAndDetail >> 4;
    if (kind >= std::size(EventRules))
        return corrupt(field("kind") + QStringLiteral(" is %1, not 0 to 7").arg(int(kind)));
    const EventRule &rule = EventRules[kind];
    if (detail < rule.firstDetail || detail > rule.lastDetail) {
        return corrupt(QStringLiteral("%1 is %2, not %3 to %4 for a %5 event")
                           .arg(field("detail"))
                           .arg(int(detail))
                           .arg(int(rule.firstDetail))
                           .arg(int(rule.lastDetail))
                           .arg(QLatin1String(EventLog::kindName(EventKind(kind)))));
    }
    // arg is written plus one: 0 is none, and none itself is no id.
    if (arg > NoneValue)
        return corrupt(field("arg") + QLatin1String(" does not fit in 32 bits"));
    const quint64 argValue = arg == 0 ? NoneValue : arg - 1;
    TraceEvent e;
    e.kind = EventKind(kind);
    e.detail = detail;
    if (!reference(rule.subject, subject, "subject", &e.subject)
        || !reference(rule.arg, argValue, "arg", &e.arg))
        return false;
    if (location > m_r.locations.size()) {
        return corrupt(QStringLiteral("%1 names location %2, but %3 locations are defined")
                           .arg(field("location"))
                           .arg(location - 1)
                           .arg(m_r.locations.size()));
    }
    m_time = time;
    e.time = time;
    if (location != 0)
        m_r.eventLocations.emplace_back(quint32(m_r.events.size()), qint32(location - 1));
    m_r.events.push_back(e);
    return true;
}

bool Parser::exception()
{
    TraceException e;
    e.firstEvent = quint32(m_r.events.size());
    quint64 count = 0;
    const size_t defined = m_r.exceptions.size();
    if (!id("type", m_r.types.size(), "type", &e.type)
        || !id("repr", m_r.strings.size(), "string", &e.repr)
        || !id("str", m_r.strings.size(), "string", &e.str) || !number(&e.defined.flags, "flags")
        || !optionalId("context", defined, "exception", &e.defined.context)
        || !optionalId("cause", defined, "exception", &e.defined.cause) || !number(&count, "count")
        || !defineAnother(defined, "exception"))
        return false;
    // Each member takes a byte at least: a count past the bytes left is cut short, not a
    // reason to allocate.
    if (count > quint64(m_bytes.size() - m_pos))
        return fail(TraceError::Kind::CutShort,
                    field("members") + QLatin1String(" run past the end"));
    e.members.reserve(size_t(count));
    for (quint64 i = 0; i < count; ++i) {
        qint32 member = 0;
        if (!id("member", defined, "exception", &member))
            return false;
        e.members.push_back(member);
    }
    e.chain = e.defined;
    m_r.exceptions.push_back(std::move(e));
    return true;
}

bool Parser::lane()
{
    TraceLane l;
    l.firstEvent = quint32(m_r.events.size());
    quint64 kind = 0, ordinal = 0;
    if (!number(&kind, "kind") || !id("label", m_r.strings.size(), "string", &l.label)
        || !optionalId("parent", m_r.lanes.size(), "lane", &l.parent)
        || !optionalId("group", m_r.groups.size(), "group", &l.group)
        || !number(&ordinal, "ordinal") || !defineAnother(m_r.lanes.size(), "lane"))
        return false;
    if (kind > 1)
        return corrupt(field("kind")
                       + QStringLiteral(" is %1, not 0 (task) or 1 (instance)").arg(kind));
    if (l.parent != None && m_r.lanes[size_t(l.parent)].kind != LaneKind::Task)
        return corrupt(field("parent") + QStringLiteral(" is lane %1, not a task").arg(l.parent));
    if (ordinal > 0x7fffffff)
        return corrupt(field("ordinal") + QStringLiteral(" does not fit in 31 bits"));
    l.kind = kind ? LaneKind::Instance : LaneKind::Task;
    l.ordinal = quint32(ordinal);
    m_r.lanes.push_back(l);
    return true;
}

} // namespace

QByteArrayView TraceReader::magic()
{
    return QByteArrayView("\x89LLTRACE", 8);
}

bool TraceReader::isTrace(QByteArrayView bytes)
{
    return bytes.startsWith(magic());
}

TraceRecording TraceReader::read(QByteArrayView bytes)
{
    TraceRecording r;
    Parser(bytes, r).run();
    return r;
}

QLatin1StringView TraceReader::recordName(quint8 tag)
{
    if (tag < EventTag || tag > EventsTag || !RecordNames[tag - EventTag])
        return {};
    return QLatin1StringView(RecordNames[tag - EventTag]);
}

} // namespace Lifeline
