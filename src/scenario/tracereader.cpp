// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: one parser holding every record's checks, in the doc's order,
// so that what makes a record bad can be read in one place.
#include "tracereader.h"

#include "zlibinflater.h"

#include <QStringList>
#include <QtEndian>

#include <algorithm>
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
    Print,
    String,
    // TaskAwaits: a string (Sleep, Gather) or a task lane (Task), by detail (WaitKind).
    WaitTarget,
    // TaskJoined: an instance lane (TaskGroup) or a string (Gather), by detail (JoinKind).
    JoinTarget,
};

struct EventRule
{
    quint8 firstDetail, lastDetail;
    Ref subject, arg;
    quint8 since; // the first format version with the kind; 0: never in a trace
};

// By EventKind; StepBegan (9) is the interpreter's own and never in a trace.
constexpr EventRule EventRules[] = {
    { 0, 0, Ref::Task, Ref::TaskOrNothing, 1 }, // TaskCreated
    { 0, 0, Ref::Task, Ref::Nothing, 1 }, // TaskStarted
    { 0, 2, Ref::Task, Ref::ExceptionOrNothing, 1 }, // TaskEnded: TaskOutcome
    { 0, 3, Ref::Instance, Ref::Nothing, 1 }, // PhaseBegan: Phase
    { 5, 8, Ref::Instance, Ref::Nothing, 1 }, // InstanceEnded: a terminal LifecycleState
    { 0, 0, Ref::TaskOrNothing, Ref::Print, 1 }, // Printed
    { 0, 5, Ref::Exception, Ref::LaneOrNothing, 1 }, // ExceptionRaised: RaiseOrigin
    { 0, 5, Ref::Exception, Ref::LaneOrNothing, 1 }, // ExceptionHop: HopAction
    { 0, 5, Ref::Task, Ref::LaneOrNothing, 1 }, // CancelRequested: CancelCause
    { 0, 0, Ref::Nothing, Ref::Nothing, 0 }, // StepBegan
    { 0, 2, Ref::Task, Ref::WaitTarget, 2 }, // TaskAwaits: WaitKind
    { 0, 1, Ref::Task, Ref::JoinTarget, 2 }, // TaskJoined: JoinKind
};
static_assert(std::size(EventRules) == size_t(EventKind::TaskJoined) + 1);
static_assert(quint8(WaitKind::Gather) == 2 && quint8(JoinKind::Gather) == 1);

// The kinds a trace of `version` may hold, as a message names them: `0 to 8, 10, 11`.
QString kindsOf(quint8 version)
{
    auto holds = [version](size_t k) {
        return k < std::size(EventRules) && EventRules[k].since != 0
            && EventRules[k].since <= version;
    };
    QStringList parts;
    for (size_t k = 0; k < std::size(EventRules); ++k) {
        if (!holds(k))
            continue;
        const size_t first = k;
        while (holds(k + 1))
            ++k;
        parts << (k >= first + 2   ? QStringLiteral("%1 to %2").arg(first).arg(k)
                      : k == first ? QString::number(k)
                                   : QStringLiteral("%1, %2").arg(first).arg(k));
    }
    return parts.join(QStringLiteral(", "));
}

constexpr quint64 NoneValue = quint32(None);
constexpr size_t MaxIds = size_t(std::numeric_limits<qint32>::max());

// An EVENTS block being read: inflated, its events checked, then added to the recording, a slice
// at a time when a deadline says so. A block is good or bad as a whole, and a live replay reads
// the recording between two slices: none of its events is added before all are checked.
struct Block
{
    qint64 recordStart = 0; // file offsets
    qint64 dataStart = 0;
    qint64 dataEnd = 0;
    size_t count = 0;
    size_t firstIndex = 0; // the id its first event gets
    ZlibInflater inflater;
    size_t checked = 0;
    qint64 time = 0; // the last checked event's
    // Checked events wait here, a few bytes each: a program that never waits writes all its
    // events as one block (10M events were 240 MB as TraceEvents, beside the inflated 200).
    TraceEventStore events;
    TraceEventStore::Cursor added; // read up to here into the recording
    std::vector<std::pair<quint32, qint32>> locations;

    explicit Block(size_t n)
        : count(n)
        , inflater(n * BlockEventBytes)
    {
    }
};

} // namespace

// What reading keeps from one slice to the next: the unread bytes and the parser's state.
struct TraceReader::State
{
    TraceRecording *r = nullptr;
    QByteArray buffer; // appended, from file offset `base`; the first `consumed` bytes are read
    qsizetype consumed = 0;
    qint64 base = 0;
    qint64 time = 0; // the last event's
    bool headerRead = false;
    bool final = false; // nothing more will be appended
    bool finished = false;
    std::unique_ptr<Block> block;
};

namespace {

class Parser
{
public:
    // `bytes` start at file offset `base`; read until `deadline`, or to the end when `final`.
    Parser(QByteArrayView bytes, qint64 base, TraceReader::State &state, QDeadlineTimer deadline)
        : m_bytes(bytes)
        , m_base(base)
        , m_s(state)
        , m_r(*state.r)
        , m_deadline(deadline)
    {
    }
    // The bytes read (whole records); paused() when the deadline stopped it.
    qsizetype run();
    bool paused() const { return m_paused; }

private:
    bool fail(TraceError::Kind kind, const QString &message)
    {
        m_kind = kind;
        m_message = message;
        return false;
    }
    bool corrupt(const QString &message) { return fail(TraceError::Kind::Corrupt, message); }
    void stop(TraceError::Kind kind, qint64 offset, const QString &message)
    {
        m_r.error = { kind, offset, message };
    }
    QString field(const char *name) const
    {
        return QStringLiteral("the %1 record's %2")
            .arg(QLatin1String(m_record), QLatin1String(name));
    }
    bool header();
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
    enum class Progress { Paused, Done, Bad };
    Progress continueBlock();
    // One event of an EVENT record or an EVENTS block, checked (`index` is the id it gets).
    bool checkEvent(quint8 kindAndDetail, quint64 subject, quint64 argPlusOne,
                    quint64 locationPlusOne, size_t index, TraceEvent *out,
                    std::vector<std::pair<quint32, qint32>> *locations);
    bool exception();
    bool lane();

    QByteArrayView m_bytes;
    qint64 m_base;
    TraceReader::State &m_s;
    TraceRecording &m_r;
    QDeadlineTimer m_deadline;
    qsizetype m_pos = 0;
    bool m_paused = false;
    const char *m_record = "";
    TraceError::Kind m_kind = TraceError::Kind::None;
    QString m_message;
};

bool Parser::header()
{
    const QByteArrayView magic = TraceReader::magic();
    const bool final = m_s.final;
    if (!(m_bytes.startsWith(magic) || magic.startsWith(m_bytes)) || (final && m_bytes.isEmpty())) {
        stop(TraceError::Kind::NotATrace, 0, QStringLiteral("not a Lifeline trace"));
        return false;
    }
    if (m_bytes.size() <= magic.size()) {
        if (final)
            stop(TraceError::Kind::CutShort, 0, QStringLiteral("the header is cut short"));
        return false;
    }
    m_r.version = quint8(m_bytes[magic.size()]);
    if (m_r.version < TraceReader::OldestFormatVersion
        || m_r.version > TraceReader::FormatVersion) {
        const QString reads = QStringLiteral("this one reads %1 to %2")
                                  .arg(TraceReader::OldestFormatVersion)
                                  .arg(TraceReader::FormatVersion);
        stop(TraceError::Kind::NewerVersion, magic.size(),
             m_r.version > TraceReader::FormatVersion
                 ? QStringLiteral("written by a newer Lifeline: format version %1, %2")
                       .arg(m_r.version)
                       .arg(reads)
                 : QStringLiteral("unknown format version %1, %2").arg(m_r.version).arg(reads));
        return false;
    }
    if (m_bytes.size() < TraceReader::HeaderSize) {
        if (final)
            stop(TraceError::Kind::CutShort, 0, QStringLiteral("the header is cut short"));
        return false;
    }
    m_pos = TraceReader::HeaderSize; // the reserved bytes are ignored
    m_s.headerRead = true;
    return true;
}

qsizetype Parser::run()
{
    if (m_r.error.kind != TraceError::Kind::None || (!m_s.headerRead && !header()))
        return 0;
    // Looking at the clock costs ~20 ns: once every few records is enough.
    constexpr int RecordsPerLook = 64;
    int records = 0;
    while (true) {
        if (m_s.block) {
            const qsizetype start = qsizetype(m_s.block->recordStart - m_base);
            const Progress progress = continueBlock();
            if (progress == Progress::Paused) {
                m_paused = true;
                return start;
            }
            if (progress == Progress::Bad) {
                stop(m_kind, m_s.block->recordStart, m_message);
                m_s.block.reset();
                return start;
            }
            m_pos = qsizetype(m_s.block->dataEnd - m_base);
            m_s.block.reset();
        }
        if (m_pos >= m_bytes.size())
            break;
        if (++records == RecordsPerLook) {
            records = 0;
            if (m_deadline.hasExpired()) {
                m_paused = true;
                return m_pos;
            }
        }
        const qsizetype start = m_pos;
        const quint8 tag = quint8(m_bytes[m_pos++]);
        const bool ok
            = m_r.end ? corrupt(QStringLiteral("a record after the END record")) : record(tag);
        if (!ok) {
            // A record that runs past what was appended is whole once the writer has written
            // the rest of it.
            if (m_kind == TraceError::Kind::CutShort && !m_s.final)
                return start;
            stop(m_kind, m_base + start, m_message);
            return start;
        }
    }
    if (!m_r.end && m_s.final) {
        stop(TraceError::Kind::CutShort, m_base + m_bytes.size(),
             QStringLiteral("no END record (the program or `lifeline trace` was stopped before "
                            "it could write one)"));
    }
    return m_pos;
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
    case Ref::String:
        ok = value < m_r.strings.size();
        expected = "a string";
        break;
    case Ref::WaitTarget:
    case Ref::JoinTarget:
        Q_UNREACHABLE(); // checkEvent() picks the target's own kind
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
    if (dt > quint64(TraceReader::MaxTime - m_s.time)) {
        return corrupt(QStringLiteral("%1 takes the time past %2 ns")
                           .arg(field("dt"))
                           .arg(TraceReader::MaxTime));
    }
    TraceEvent e;
    if (!checkEvent(kindAndDetail, subject, arg, location, m_r.events.size(), &e,
                    &m_r.eventLocations))
        return false;
    m_s.time += qint64(dt);
    e.time = m_s.time;
    m_r.events.push_back(e);
    return true;
}

bool Parser::events()
{
    quint64 count = 0, length = 0;
    const qint64 recordStart = m_base + m_pos - 1;
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
    // Read by continueBlock(), a slice at a time if need be.
    m_s.block = std::make_unique<Block>(size_t(count));
    m_s.block->recordStart = recordStart;
    m_s.block->dataStart = m_base + m_pos;
    m_s.block->dataEnd = m_base + m_pos + qsizetype(length);
    m_s.block->time = m_s.time;
    m_s.block->firstIndex = m_r.events.size();
    return true;
}

Parser::Progress Parser::continueBlock()
{
    Block &b = *m_s.block;
    m_record = "EVENTS";
    if (b.inflater.status() == ZlibInflater::Status::More) {
        const QByteArrayView stream
            = m_bytes.sliced(qsizetype(b.dataStart - m_base), qsizetype(b.dataEnd - b.dataStart));
        const ZlibInflater::Status status = b.inflater.inflateSome(stream, m_deadline);
        if (status == ZlibInflater::Status::More)
            return Progress::Paused;
        if (status == ZlibInflater::Status::Bad) {
            corrupt(QStringLiteral("%1 does not inflate to %2 × 20 bytes")
                        .arg(field("zlib stream"))
                        .arg(b.count));
            return Progress::Bad;
        }
    }
    // A few tens of microseconds between two looks at the clock.
    constexpr size_t EventsPerLook = 4096;
    const ZlibInflater &columns = b.inflater;
    while (b.checked < b.count) {
        if (b.checked % EventsPerLook == 0 && b.checked > 0 && m_deadline.hasExpired())
            return Progress::Paused;
        const size_t i = b.checked;
        const quint64 word = qFromLittleEndian<quint64>(columns.at(8 * i));
        const quint64 both = qFromLittleEndian<quint64>(columns.at(8 * (b.count + i)));
        const quint32 location = qFromLittleEndian<quint32>(columns.at(16 * b.count + 4 * i));
        const qint64 time = qint64(word & ((quint64(1) << 56) - 1));
        TraceEvent e;
        bool ok = true;
        if (time < b.time) {
            ok = corrupt(QStringLiteral("its time %1 ns is before the previous event's, %2 ns")
                             .arg(time)
                             .arg(b.time));
        } else if (time > TraceReader::MaxTime) {
            ok = corrupt(
                QStringLiteral("its time %1 ns is past %2 ns").arg(time).arg(TraceReader::MaxTime));
        } else {
            ok = checkEvent(quint8(word >> 56), both & 0xffffffffu, both >> 32, location,
                            b.firstIndex + i, &e, &b.locations);
        }
        if (!ok) {
            // A block is good or bad as a whole: none of its events is kept.
            m_message = QStringLiteral("event %1 of the block: %2").arg(i).arg(m_message);
            return Progress::Bad;
        }
        e.time = time;
        b.time = time;
        b.events.push_back(e);
        ++b.checked;
    }
    // All good: they join the recording (copying a million events takes milliseconds too).
    size_t addedLocations = size_t(std::lower_bound(b.locations.begin(), b.locations.end(),
                                                    b.firstIndex + b.added.index(),
                                                    [](const std::pair<quint32, qint32> &l,
                                                       size_t index) { return l.first < index; })
                                   - b.locations.begin());
    while (b.added.index() < b.count) {
        if (b.added.index() > 0 && m_deadline.hasExpired())
            return Progress::Paused;
        const size_t end = std::min(b.count, b.added.index() + 16 * EventsPerLook);
        TraceEvent e;
        while (b.added.index() < end && b.events.read(&b.added, &e))
            m_r.events.push_back(e);
        const size_t firstLocation = addedLocations;
        while (addedLocations < b.locations.size()
               && b.locations[addedLocations].first < b.firstIndex + end)
            ++addedLocations;
        m_r.eventLocations.insert(m_r.eventLocations.end(),
                                  b.locations.begin() + qsizetype(firstLocation),
                                  b.locations.begin() + qsizetype(addedLocations));
    }
    m_s.time = b.time;
    return Progress::Done;
}

bool Parser::checkEvent(quint8 kindAndDetail, quint64 subject, quint64 arg, quint64 location,
                        size_t index, TraceEvent *out,
                        std::vector<std::pair<quint32, qint32>> *locations)
{
    if (!defineAnother(index, "event"))
        return false;
    const quint8 kind = kindAndDetail & 0xf;
    const quint8 detail = kindAndDetail >> 4;
    if (kind >= std::size(EventRules) || EventRules[kind].since == 0
        || EventRules[kind].since > m_r.version)
        return corrupt(field("kind")
                       + QStringLiteral(" is %1, not %2").arg(int(kind)).arg(kindsOf(m_r.version)));
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
    out->kind = EventKind(kind);
    out->detail = detail;
    Ref argRef = rule.arg;
    if (argRef == Ref::WaitTarget)
        argRef = WaitKind(detail) == WaitKind::Task ? Ref::Task : Ref::String;
    else if (argRef == Ref::JoinTarget)
        argRef = JoinKind(detail) == JoinKind::TaskGroup ? Ref::Instance : Ref::String;
    if (!reference(rule.subject, subject, "subject", &out->subject)
        || !reference(argRef, argValue, "arg", &out->arg))
        return false;
    if (location > m_r.locations.size()) {
        return corrupt(QStringLiteral("%1 names location %2, but %3 locations are defined")
                           .arg(field("location"))
                           .arg(location - 1)
                           .arg(m_r.locations.size()));
    }
    if (location != 0)
        locations->emplace_back(quint32(index), qint32(location - 1));
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
    // The bytes are read where they are, not copied into a reader's buffer.
    TraceRecording r;
    State state;
    state.r = &r;
    state.final = true;
    Parser(bytes, 0, state, QDeadlineTimer(QDeadlineTimer::Forever)).run();
    return r;
}

TraceReader::TraceReader(TraceRecording *recording)
    : m_state(std::make_unique<State>())
{
    m_state->r = recording;
}

TraceReader::~TraceReader() = default;

void TraceReader::append(QByteArrayView bytes)
{
    Q_ASSERT(!m_state->final);
    m_state->buffer.append(bytes);
}

bool TraceReader::readSome(QDeadlineTimer deadline)
{
    State &s = *m_state;
    if (s.finished)
        return true;
    Parser parser(QByteArrayView(s.buffer).sliced(s.consumed), s.base + s.consumed, s, deadline);
    s.consumed += parser.run();
    // Drop what was read, but not a byte at a time: a deadline may stop the reading often in a
    // big buffer, and each drop moves what is left.
    if (s.consumed == s.buffer.size() || s.consumed > s.buffer.size() / 2) {
        s.base += s.consumed;
        s.buffer.remove(0, s.consumed);
        s.consumed = 0;
    }
    if (parser.paused())
        return false;
    if (s.final)
        s.finished = true;
    return true;
}

bool TraceReader::finish(QDeadlineTimer deadline)
{
    m_state->final = true;
    return readSome(deadline);
}

bool TraceReader::isFinished() const
{
    return m_state->finished;
}

qint64 TraceReader::offset() const
{
    return m_state->base + m_state->consumed;
}

qsizetype TraceReader::pending() const
{
    return m_state->buffer.size() - m_state->consumed;
}

bool TraceReader::isStopped() const
{
    return m_state->r->error.kind != TraceError::Kind::None;
}

QLatin1StringView TraceReader::recordName(quint8 tag)
{
    if (tag < EventTag || tag > EventsTag || !RecordNames[tag - EventTag])
        return {};
    return QLatin1StringView(RecordNames[tag - EventTag]);
}

} // namespace Lifeline
