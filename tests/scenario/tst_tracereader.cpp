// SPDX-License-Identifier: MIT
// TraceReader: a .lltrace file's bytes, built here record by record as docs/trace-format.md
// describes them, read into a TraceRecording. A bad file keeps every record before the bad one
// and says where it is; no input crashes it or makes it allocate past the file's size; and the
// doc's tag table names exactly the records the reader knows. A file that grows (a live trace)
// read in any chunks, with any deadlines, gives what reading it whole gives; a record cut at the
// end of what was appended is "not yet", not an error, until the rest arrives. Past 500 lines
// because every record of the format has its good and bad rows: one contract, the reader's.
#include "tracebuilder.h"
#include "tracereader.h"

#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <ctime>

using namespace Lifeline;
using Lifeline::Test::TraceBuilder;

namespace {

QByteArray withRecord(QByteArray bytes, std::initializer_list<quint64> numbers, quint8 tag)
{
    bytes += char(tag);
    for (quint64 n : numbers)
        TraceBuilder::uv(bytes, n);
    return bytes;
}

QByteArray eventRecord(quint8 kindAndDetail, quint64 dt, quint64 subject, quint64 argPlusOne,
                       quint64 locationPlusOne = 0)
{
    QByteArray bytes(1, char(0x01));
    bytes += char(kindAndDetail);
    for (quint64 n : { dt, subject, argPlusOne, locationPlusOne })
        TraceBuilder::uv(bytes, n);
    return bytes;
}

// A trace of one task lane and two events (EVENT records), ready for what a test appends.
TraceBuilder twoEvents()
{
    TraceBuilder t;
    const quint64 task = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    t.event(0, 0, 0, task);
    t.event(1, 0, 5, task);
    return t;
}

// Every field of a recording, one line each, so two readings compare in one QCOMPARE and a
// difference shows as the line that differs.
QStringList dump(const TraceRecording &r)
{
    QStringList out;
    out << QStringLiteral("version %1").arg(r.version);
    for (const QString &s : r.strings)
        out << QStringLiteral("string %1").arg(s);
    for (const TraceType &t : r.types)
        out << QStringLiteral("type %1 %2").arg(t.name).arg(t.base);
    auto chain = [](const TraceChain &c) {
        return QStringLiteral("%1/%2/%3").arg(c.flags).arg(c.context).arg(c.cause);
    };
    for (const TraceException &x : r.exceptions) {
        QStringList members;
        for (qint32 m : x.members)
            members << QString::number(m);
        out << QStringLiteral("exception %1 %2 %3 %4 %5 [%6] @%7")
                   .arg(x.type)
                   .arg(x.repr)
                   .arg(x.str)
                   .arg(chain(x.chain), chain(x.defined), members.join(u','))
                   .arg(x.firstEvent);
    }
    for (const TraceLink &l : r.links)
        out << QStringLiteral("link %1 %2 @%3")
                   .arg(l.exception)
                   .arg(chain(l.chain))
                   .arg(l.firstEvent);
    for (qint32 g : r.groups)
        out << QStringLiteral("group %1").arg(g);
    for (const TraceLane &l : r.lanes)
        out << QStringLiteral("lane %1 %2 %3 %4 %5 @%6")
                   .arg(int(l.kind))
                   .arg(l.label)
                   .arg(l.parent)
                   .arg(l.group)
                   .arg(l.ordinal)
                   .arg(l.firstEvent);
    for (const TracePrint &p : r.prints)
        out << QStringLiteral("print %1 %2 @%3").arg(p.text).arg(p.location).arg(p.firstEvent);
    for (auto it = r.meta.begin(); it != r.meta.end(); ++it)
        out << QStringLiteral("meta %1=%2").arg(it.key(), it.value());
    for (const TraceSource &s : r.sources)
        out << QStringLiteral("source %1 %2").arg(s.path).arg(s.text);
    for (const TraceLocation &l : r.locations)
        out << QStringLiteral("location %1 %2").arg(l.source).arg(l.line);
    for (size_t i = 0; i < r.events.size(); ++i) {
        const TraceEvent &e = r.events[i];
        out << QStringLiteral("event %1 %2 %3 %4 %5")
                   .arg(e.time)
                   .arg(int(e.kind))
                   .arg(e.detail)
                   .arg(e.subject)
                   .arg(e.arg);
    }
    for (const auto &[event, location] : r.eventLocations)
        out << QStringLiteral("at %1 %2").arg(event).arg(location);
    if (r.end)
        out << QStringLiteral("end %1 %2").arg(r.end->how).arg(r.end->status);
    out << QStringLiteral("error %1 at %2: %3")
               .arg(int(r.error.kind))
               .arg(r.error.offset)
               .arg(r.error.message);
    return out;
}

// `bytes` appended to an incremental reader in chunks of `chunk` bytes (0: random sizes from
// `seed`), read after each, then finished.
TraceRecording readInChunks(const QByteArray &bytes, qsizetype chunk, quint32 seed = 1)
{
    TraceRecording r;
    TraceReader reader(&r);
    QRandomGenerator random(seed);
    for (qsizetype at = 0; at < bytes.size();) {
        const qsizetype n
            = std::min(bytes.size() - at, chunk > 0 ? chunk : qsizetype(1 + random.bounded(64)));
        reader.append(QByteArrayView(bytes).sliced(at, n));
        at += n;
        reader.readSome();
    }
    reader.finish();
    return r;
}

// One EVENTS block of `count` events on one task lane (TaskStarted, then Printed ... ).
QByteArray bigBlock(size_t count)
{
    TraceBuilder t;
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    const quint64 hi = t.print(QStringLiteral("hi"));
    std::vector<TraceBuilder::BlockEvent> events;
    events.reserve(count);
    events.push_back({ 0, 0, 0, main });
    for (size_t i = 1; i < count; ++i)
        events.push_back({ quint64(i) * 1000, 5, 0, main, qint64(hi) });
    t.events(events);
    t.end(0, 0);
    return t.bytes();
}

} // namespace

class tst_TraceReader : public QObject
{
    Q_OBJECT
private slots:
    void readsEveryRecordOfAValidTrace();
    void linksUpdateTheExceptionAndAreKeptInOrder();
    void cutAtEveryByteKeepsTheRecordsBefore();
    void badRecordKeepsThePrefix_data();
    void badRecordKeepsThePrefix();
    void blocksReadAsTheirEvents();
    void waitsAndOwnersNameAStringOrALaneByTheirDetail();
    void aVersion1TraceHoldsNoWaits();
    void badBlockIsBadAsAWhole_data();
    void badBlockIsBadAsAWhole();
    void headerProblems_data();
    void headerProblems();
    void hugeLengthsDoNotAllocate_data();
    void hugeLengthsDoNotAllocate();
    void mutatedTracesNeverCrash();
    void docTagTableNamesTheRecordsTheReaderKnows();
    void readingInChunksGivesWhatReadingWholeGives_data();
    void readingInChunksGivesWhatReadingWholeGives();
    void aCutRecordIsNotYetUntilItsRestArrives();
    void finishMakesACutRecordAnError();
    void aBigBlockIsReadInSlicesAndJoinsWhole();
    void mutatedTracesReadInChunksReadAsWhole();
};

void tst_TraceReader::readsEveryRecordOfAValidTrace()
{
    const TraceRecording r = TraceReader::read(Test::sampleTrace().bytes());
    QCOMPARE(r.error.kind, TraceError::Kind::None);
    QVERIFY(r.isComplete());
    QCOMPARE(r.version, TraceReader::FormatVersion);
    QCOMPARE(r.meta.value(QStringLiteral("program")), QStringLiteral("prog.py"));
    QVERIFY(!r.virtualClock());
    QCOMPARE(r.sources.size(), size_t(1));
    QCOMPARE(r.string(r.sources[0].path), QStringLiteral("prog.py"));
    QVERIFY(r.string(r.sources[0].text).startsWith(QStringLiteral("print('starting')\n")));
    QCOMPARE(r.locations.size(), size_t(4));
    QCOMPARE(r.locations[1].line, 5);

    QCOMPARE(r.lanes.size(), size_t(3));
    QCOMPARE(r.lanes[0].kind, LaneKind::Task);
    QCOMPARE(r.lanes[0].parent, None);
    QCOMPARE(r.lanes[1].parent, 0);
    QCOMPARE(r.lanes[1].ordinal, 2u);
    QCOMPARE(r.lanes[2].kind, LaneKind::Instance);
    QCOMPARE(r.string(r.lanes[2].label), QStringLiteral("Conn('db')"));
    QCOMPARE(r.lanes[2].group, 0);
    QCOMPARE(r.string(r.groups[0]), QStringLiteral("Conn"));
    // Defined before the events they precede: a replay adds them there.
    QCOMPARE(r.lanes[0].firstEvent, 1u);
    QCOMPARE(r.lanes[2].firstEvent, 5u);

    QCOMPARE(r.prints.size(), size_t(2));
    QCOMPARE(r.string(r.prints[1].text), QStringLiteral("hello"));
    QCOMPARE(r.locations[size_t(r.prints[1].location)].line, 4);

    QCOMPARE(r.types.size(), size_t(2));
    QCOMPARE(r.string(r.types[1].name), QStringLiteral("KeyError"));
    QCOMPARE(r.types[1].base, None);
    QCOMPARE(r.exceptions.size(), size_t(2));
    QCOMPARE(r.string(r.exceptions[1].repr), QStringLiteral("KeyError('k')"));
    QCOMPARE(r.string(r.exceptions[1].str), QStringLiteral("'k'"));

    QCOMPARE(r.events.size(), size_t(15));
    const TraceEvent &outside = r.events[0];
    QCOMPARE(outside.kind, EventKind::Printed);
    QCOMPARE(outside.subject, quint32(None));
    QCOMPARE(outside.arg, 0u);
    QCOMPARE(r.events[3].arg, 0u); // created by main
    QCOMPARE(r.events[2].arg, quint32(None));
    QCOMPARE(r.events[6].kind, EventKind::PhaseBegan);
    QCOMPARE(r.events[6].detail, quint8(Phase::Ready));
    QCOMPARE(r.events[6].time, qint64(12'504'600)); // dt summed
    QCOMPARE(r.events[10].detail, quint8(LifecycleState::Released));
    QCOMPARE(r.events[14].time, qint64(16'504'950));
    QCOMPARE(r.locationOf(5), 0); // line 3
    QCOMPARE(r.locationOf(8), 1); // line 5
    QCOMPARE(r.locationOf(6), None);
    QCOMPARE(r.locationBefore(5), None); // where the program was before event 5: nowhere known
    QCOMPARE(r.locationBefore(6), 0);
    QCOMPARE(r.locationBefore(8), 0);
    QCOMPARE(r.locationBefore(9), 1);
    QCOMPARE(r.locationBefore(15), 1);
    QVERIFY(r.end);
    QCOMPARE(r.end->how, quint64(TraceEnd::Exited));
    QCOMPARE(r.end->status, quint64(1));
}

void tst_TraceReader::linksUpdateTheExceptionAndAreKeptInOrder()
{
    TraceBuilder t;
    const quint64 type = t.type(QStringLiteral("ExceptionGroup"));
    const quint64 a = t.exception(type, QStringLiteral("ValueError('a')"), QStringLiteral("a"));
    const quint64 b = t.exception(type, QStringLiteral("B()"), QString(), 1, qint64(a));
    const quint64 g = t.exception(type,
                                  QStringLiteral("ExceptionGroup('unhandled errors in a "
                                                 "TaskGroup', [ValueError('a')])"),
                                  QStringLiteral("unhandled errors in a TaskGroup (1 "
                                                 "sub-exception)"),
                                  0, TraceBuilder::NoId, TraceBuilder::NoId, { a });
    const quint64 task = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    t.event(6, 0, 0, b, qint64(task));
    t.link(b, 0, TraceBuilder::NoId, qint64(g));
    t.end(0, 0);
    const TraceRecording r = TraceReader::read(t.bytes());
    QVERIFY2(r.isComplete(), qPrintable(r.error.toString()));
    QCOMPARE(r.exceptions[2].members, std::vector<qint32> { 0 });
    const TraceException &e = r.exceptions[1];
    QVERIFY(e.defined.suppressContext());
    QCOMPARE(e.defined.context, 0);
    QCOMPARE(e.defined.cause, None);
    QVERIFY(!e.chain.suppressContext());
    QCOMPARE(e.chain.context, None);
    QCOMPARE(e.chain.cause, 2);
    QCOMPARE(r.links.size(), size_t(1));
    QCOMPARE(r.links[0].exception, 1);
    QCOMPARE(r.links[0].firstEvent, 1u);
}

void tst_TraceReader::cutAtEveryByteKeepsTheRecordsBefore()
{
    const TraceBuilder t = Test::sampleTrace();
    const QByteArray full = t.bytes();
    const TraceRecording whole = TraceReader::read(full);
    const std::vector<qsizetype> &starts = t.recordStarts();
    for (qsizetype cut = 0; cut < full.size(); ++cut) {
        const TraceRecording r = TraceReader::read(QByteArrayView(full).first(cut));
        const QByteArray where = "cut at " + QByteArray::number(cut);
        QVERIFY2(!r.end, where);
        if (cut == 0) {
            QCOMPARE(r.error.kind, TraceError::Kind::NotATrace);
            continue;
        }
        QVERIFY2(r.error.kind == TraceError::Kind::CutShort,
                 where + ": " + r.error.toString().toUtf8());
        if (cut < TraceReader::HeaderSize) {
            QCOMPARE(r.error.offset, 0);
            continue;
        }
        // The record the cut falls in, or the end of the file on a boundary.
        qsizetype expected = cut;
        size_t whole_records = 0;
        for (size_t i = 0; i < starts.size(); ++i) {
            const qsizetype next = i + 1 < starts.size() ? starts[i + 1] : full.size();
            if (next <= cut)
                ++whole_records;
            else if (starts[i] < cut)
                expected = starts[i];
        }
        QVERIFY2(r.error.offset == expected, where + ": " + r.error.toString().toUtf8());
        // Every record before the cut was kept: count the events and strings among them.
        size_t events = 0;
        size_t strings = 0;
        for (size_t i = 0; i < whole_records; ++i) {
            events += full[starts[i]] == 0x01;
            strings += full[starts[i]] == 0x02;
        }
        QCOMPARE(r.events.size(), events);
        QCOMPARE(r.strings.size(), strings);
        for (size_t i = 0; i < events; ++i)
            QCOMPARE(r.events[i].time, whole.events[i].time);
    }
}

void tst_TraceReader::badRecordKeepsThePrefix_data()
{
    QTest::addColumn<QByteArray>("record"); // appended to a trace of one task lane, two events
    QTest::addColumn<TraceError::Kind>("kind");
    QTest::addColumn<QString>("message"); // a part of it

    using K = TraceError::Kind;
    QTest::newRow("unknown tag") << QByteArray("\x0f\x00", 2) << K::Corrupt
                                 << QStringLiteral("unknown record tag 0x0f");
    QTest::newRow("tag zero") << QByteArray(1, '\0') << K::Corrupt
                              << QStringLiteral("unknown record tag 0x00");
    QTest::newRow("the reserved tag (AT)")
        << QByteArray("\x0c\x00", 2) << K::Corrupt << QStringLiteral("unknown record tag 0x0c");
    QTest::newRow("undefined location") << eventRecord(1, 0, 0, 0, 1) << K::Corrupt
                                        << QStringLiteral("names location 0, but 0 locations");
    QTest::newRow("undefined string") << withRecord({}, { 99 }, 0x06) << K::Corrupt
                                      << QStringLiteral("names string 99, but 1 strings");
    QTest::newRow("undefined lane")
        << eventRecord(1, 0, 7, 0) << K::Corrupt << QStringLiteral("subject is 7, not a task lane");
    QTest::newRow("task event on no lane") << eventRecord(1, 0, TraceBuilder::NoSubject, 0)
                                           << K::Corrupt << QStringLiteral("subject is none");
    QTest::newRow("phase on a task lane")
        << eventRecord(3, 0, 0, 0) << K::Corrupt << QStringLiteral("not an instance lane");
    QTest::newRow("detail out of range") << eventRecord(2 | 3 << 4, 0, 0, 0) << K::Corrupt
                                         << QStringLiteral("detail is 3, not 0 to 2");
    QTest::newRow("instance ended in a live state")
        << eventRecord(4 | 2 << 4, 0, 0, 0) << K::Corrupt << QStringLiteral("not 5 to 8");
    QTest::newRow("step event") << eventRecord(9, 0, 0, 0) << K::Corrupt
                                << QStringLiteral("kind is 9, not 0 to 8, 10, 11");
    QTest::newRow("cancel request on an exception's id")
        << eventRecord(8, 0, 5, 0) << K::Corrupt << QStringLiteral("not a task lane");
    QTest::newRow("cancel cause out of range") << eventRecord(8 | 6 << 4, 0, 0, 0) << K::Corrupt
                                               << QStringLiteral("detail is 6, not 0 to 5");
    QTest::newRow("arg where none belongs")
        << eventRecord(1, 0, 0, 1) << K::Corrupt << QStringLiteral("arg is 0, not none");
    QTest::newRow("print not defined")
        << eventRecord(5, 0, 0, 0) << K::Corrupt << QStringLiteral("arg is none, not a print");
    QTest::newRow("arg past 32 bits") << eventRecord(0, 0, 0, quint64(1) << 32) << K::Corrupt
                                      << QStringLiteral("arg does not fit in 32 bits");
    QTest::newRow("time past 2^56 ns") << eventRecord(1, quint64(1) << 56, 0, 0) << K::Corrupt
                                       << QStringLiteral("past 72057594037927935 ns");
    QTest::newRow("number longer than 10 bytes")
        << QByteArray("\x06\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 12) << K::Corrupt
        << QStringLiteral("longer than 10 bytes");
    QTest::newRow("number past 64 bits")
        << QByteArray("\x06\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11) << K::Corrupt
        << QStringLiteral("does not fit in 64 bits");
    QTest::newRow("lane kind 2") << withRecord({}, { 2, 0, 0, 0, 1 }, 0x07) << K::Corrupt
                                 << QStringLiteral("not 0 (task) or 1 (instance)");
    QTest::newRow("location in no source") << withRecord({}, { 0, 0 }, 0x0B) << K::Corrupt
                                           << QStringLiteral("names source 0, but 0 sources");
    QTest::newRow("END how 4") << withRecord({}, { 4, 0 }, 0x0D) << K::Corrupt
                               << QStringLiteral("how is 4");
    QTest::newRow("record after END") << withRecord(withRecord({}, { 0, 0 }, 0x0D), { 0 }, 0x06)
                                      << K::Corrupt << QStringLiteral("after the END record");
    QTest::newRow("string longer than the file")
        << withRecord({}, { 1000 }, 0x02) << K::CutShort << QStringLiteral("runs past the end");
    // twoEvents() defines string 0 and task lane 0 only.
    QTest::newRow("sleep naming no string")
        << eventRecord(10, 0, 0, 100) << K::Corrupt << QStringLiteral("arg is 99, not a string");
    QTest::newRow("task awaited that is no lane") << eventRecord(10 | 1 << 4, 0, 0, 6) << K::Corrupt
                                                  << QStringLiteral("arg is 5, not a task lane");
    QTest::newRow("TaskGroup joined that is a task lane")
        << eventRecord(11, 0, 0, 1) << K::Corrupt << QStringLiteral("arg is 0, not an instance");
    QTest::newRow("wait kind out of range") << eventRecord(10 | 3 << 4, 0, 0, 1) << K::Corrupt
                                            << QStringLiteral("detail is 3, not 0 to 2");
    QTest::newRow("join kind out of range") << eventRecord(11 | 2 << 4, 0, 0, 1) << K::Corrupt
                                            << QStringLiteral("detail is 2, not 0 to 1");
    QTest::newRow("wait on no task") << eventRecord(10, 0, TraceBuilder::NoSubject, 1) << K::Corrupt
                                     << QStringLiteral("subject is none");
    QTest::newRow("half an event")
        << QByteArray("\x01\x01", 2) << K::CutShort << QStringLiteral("dt runs past the end");
}

void tst_TraceReader::badRecordKeepsThePrefix()
{
    QFETCH(QByteArray, record);
    QFETCH(TraceError::Kind, kind);
    QFETCH(QString, message);
    TraceBuilder t = twoEvents();
    const qsizetype bad = t.bytes().size();
    t.raw(record);
    const TraceRecording r = TraceReader::read(t.bytes());
    QCOMPARE(r.error.kind, kind);
    // "record after END" puts its bad record after a good END.
    const qsizetype offset
        = QTest::currentDataTag() == QByteArray("record after END") ? bad + 3 : bad;
    QCOMPARE(r.error.offset, offset);
    QVERIFY2(r.error.message.contains(message), qPrintable(r.error.message));
    QCOMPARE(r.events.size(), size_t(2));
    QCOMPARE(r.events[1].time, qint64(5));
    QCOMPARE(r.lanes.size(), size_t(1));
    QVERIFY(!r.isComplete());
}

void tst_TraceReader::blocksReadAsTheirEvents()
{
    // The same events as EVENT records, and as two blocks with an EVENT record between them
    // (whose dt counts from the first block's last event).
    auto build = [](bool blocks) {
        TraceBuilder t;
        const quint64 src = t.source(QStringLiteral("p.py"), QStringLiteral("pass\n"));
        const quint64 line = t.location(src, 1);
        const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
        const quint64 g = t.group(QStringLiteral("Conn"));
        const quint64 conn = t.instance(QStringLiteral("Conn()"), qint64(main), qint64(g), 1);
        const quint64 hi = t.print(QStringLiteral("hi"));
        if (blocks) {
            t.events(
                { { 0, 0, 0, main }, { 10, 1, 0, main }, { 10, 3, 0, conn, -1, qint64(line) } });
            t.event(5, 0, 7, main, qint64(hi));
            t.events({ { 20, 3, 1, conn }, { 1'000'000, 4, 5, conn }, { 1'000'000, 2, 0, main } });
        } else {
            t.event(0, 0, 0, main);
            t.event(1, 0, 10, main);
            t.event(3, 0, 0, conn, TraceBuilder::NoId, qint64(line));
            t.event(5, 0, 7, main, qint64(hi));
            t.event(3, 1, 3, conn);
            t.event(4, 5, 999'980, conn);
            t.event(2, 0, 0, main);
        }
        t.end(0, 0);
        return TraceReader::read(t.bytes());
    };
    const TraceRecording records = build(false);
    const TraceRecording blocks = build(true);
    QVERIFY2(blocks.isComplete(), qPrintable(blocks.error.toString()));
    QCOMPARE(blocks.events.size(), records.events.size());
    for (size_t i = 0; i < blocks.events.size(); ++i) {
        const TraceEvent &a = blocks.events[i], &b = records.events[i];
        QCOMPARE(a.time, b.time);
        QCOMPARE(a.kind, b.kind);
        QCOMPARE(a.detail, b.detail);
        QCOMPARE(a.subject, b.subject);
        QCOMPARE(a.arg, b.arg);
    }
    QCOMPARE(blocks.eventLocations, records.eventLocations);
    QCOMPARE(blocks.locationOf(2), 0);
}

void tst_TraceReader::waitsAndOwnersNameAStringOrALaneByTheirDetail()
{
    TraceBuilder t;
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    const quint64 g = t.group(QStringLiteral("TaskGroup"));
    const quint64 group = t.instance(QStringLiteral("TaskGroup()"), qint64(main), qint64(g), 1);
    const quint64 w = t.task(QStringLiteral("w"), qint64(main), 2);
    const quint64 sleep = t.string(QStringLiteral("sleep(0.1)"));
    const quint64 gather = t.string(QStringLiteral("gather #1"));
    t.event(11, 0, 0, w, qint64(group)); // w joins TaskGroup() #1
    t.event(11, 1, 0, w, qint64(gather)); // w joins gather #1
    t.event(10, 0, 0, w, qint64(sleep)); // w awaits sleep(0.1)
    t.event(10, 1, 0, main, qint64(w)); // main awaits w
    t.event(10, 2, 0, main, qint64(gather)); // main awaits gather #1
    t.end(0, 0);
    const TraceRecording r = TraceReader::read(t.bytes());
    QVERIFY2(r.error.kind == TraceError::Kind::None, qPrintable(r.error.toString()));
    QCOMPARE(r.events.size(), size_t(5));
    const std::pair<EventKind, quint64> expected[] = {
        { EventKind::TaskJoined, group },  { EventKind::TaskJoined, gather },
        { EventKind::TaskAwaits, sleep },  { EventKind::TaskAwaits, w },
        { EventKind::TaskAwaits, gather },
    };
    for (size_t i = 0; i < r.events.size(); ++i) {
        QCOMPARE(r.events[i].kind, expected[i].first);
        QCOMPARE(quint64(r.events[i].arg), expected[i].second);
    }
    QCOMPARE(r.events[4].detail, quint8(WaitKind::Gather));
}

void tst_TraceReader::aVersion1TraceHoldsNoWaits()
{
    // Version 1 had no TaskAwaits: a file that says 1 and holds one is corrupt, not misread.
    TraceBuilder t(1);
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    const quint64 sleep = t.string(QStringLiteral("sleep(0.1)"));
    t.event(0, 0, 0, main);
    t.event(10, 0, 0, main, qint64(sleep));
    const TraceRecording r = TraceReader::read(t.bytes());
    QCOMPARE(r.error.kind, TraceError::Kind::Corrupt);
    QVERIFY2(r.error.message.contains(QStringLiteral("kind is 10, not 0 to 8")),
             qPrintable(r.error.message));
    QCOMPARE(r.events.size(), size_t(1));
}

void tst_TraceReader::badBlockIsBadAsAWhole_data()
{
    using Block = std::vector<TraceBuilder::BlockEvent>;
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<TraceError::Kind>("kind");
    QTest::addColumn<QString>("message");

    auto block = [](const Block &events) {
        TraceBuilder t;
        t.events(events);
        return t.bytes().mid(TraceReader::HeaderSize);
    };
    auto raw = [](quint64 count, const QByteArray &zlib) {
        TraceBuilder t;
        t.eventsBlock(count, zlib);
        return t.bytes().mid(TraceReader::HeaderSize);
    };
    const QByteArray zeros = qCompress(QByteArray(40, '\0')).mid(4);
    using K = TraceError::Kind;
    QTest::newRow("an undefined lane in its last event")
        << block({ { 5, 0, 0, 0 }, { 6, 1, 0, 0 }, { 7, 1, 0, 9 } }) << K::Corrupt
        << QStringLiteral("event 2 of the block: the EVENTS record's subject is 9");
    QTest::newRow("time going back")
        << block({ { 5, 0, 0, 0 }, { 4, 1, 0, 0 } }) << K::Corrupt
        << QStringLiteral("event 1 of the block: its time 4 ns is before the previous");
    QTest::newRow("before the EVENT records' time")
        << block({ { 4, 1, 0, 0 } }) << K::Corrupt << QStringLiteral("before the previous");
    QTest::newRow("fewer bytes than the count")
        << raw(3, zeros) << K::Corrupt << QStringLiteral("does not inflate to 3 × 20");
    QTest::newRow("more bytes than the count")
        << raw(1, zeros) << K::Corrupt << QStringLiteral("does not inflate to 1 × 20");
    QTest::newRow("not zlib") << raw(1, QByteArray(20, 'x')) << K::Corrupt
                              << QStringLiteral("does not inflate");
    QTest::newRow("a zlib stream cut short")
        << raw(2, zeros.chopped(3)) << K::Corrupt << QStringLiteral("does not inflate");
    QTest::newRow("bytes after the stream")
        << raw(2, zeros + "x") << K::Corrupt << QStringLiteral("does not inflate");
    QTest::newRow("a count no stream of its length holds")
        << raw(quint64(1) << 40, zeros) << K::Corrupt << QStringLiteral("is more than");
    QTest::newRow("a stream past the end of the file")
        << raw(2, zeros).chopped(5) << K::CutShort << QStringLiteral("runs past the end");
}

void tst_TraceReader::badBlockIsBadAsAWhole()
{
    QFETCH(QByteArray, record);
    QFETCH(TraceError::Kind, kind);
    QFETCH(QString, message);
    TraceBuilder t = twoEvents();
    const qsizetype bad = t.bytes().size();
    t.raw(record);
    const TraceRecording r = TraceReader::read(t.bytes());
    QCOMPARE(r.error.kind, kind);
    QCOMPARE(r.error.offset, bad);
    QVERIFY2(r.error.message.contains(message), qPrintable(r.error.message));
    QCOMPARE(r.events.size(), size_t(2));
}

void tst_TraceReader::headerProblems_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<TraceError::Kind>("kind");
    QTest::addColumn<QString>("text");

    using K = TraceError::Kind;
    QTest::newRow("empty") << QByteArray() << K::NotATrace
                           << QStringLiteral("not a Lifeline trace");
    QTest::newRow("JSON scenario") << QByteArray(R"({"lifeline": 1})") << K::NotATrace
                                   << QStringLiteral("not a Lifeline trace");
    QTest::newRow("PNG") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\0", 12) << K::NotATrace
                         << QStringLiteral("not a Lifeline trace");
    QTest::newRow("newer version") << TraceBuilder(3).bytes() << K::NewerVersion
                                   << QStringLiteral("written by a newer Lifeline: format "
                                                     "version 3, this one reads 1 to 2");
    QTest::newRow("version 0") << TraceBuilder(0).bytes() << K::NewerVersion
                               << QStringLiteral("unknown format version 0, this one reads 1 to 2");
    QTest::newRow("magic only") << QByteArray("\x89LLTRACE", 8) << K::CutShort
                                << QStringLiteral("trace cut short at byte 0: the header is cut "
                                                  "short");
    QTest::newRow("header only") << TraceBuilder().bytes() << K::CutShort
                                 << QStringLiteral("trace cut short at byte 12: no END record");
}

void tst_TraceReader::headerProblems()
{
    QFETCH(QByteArray, bytes);
    QFETCH(TraceError::Kind, kind);
    QFETCH(QString, text);
    const TraceRecording r = TraceReader::read(bytes);
    QCOMPARE(r.error.kind, kind);
    QVERIFY2(r.error.toString().startsWith(text), qPrintable(r.error.toString()));
    QCOMPARE(TraceReader::isTrace(bytes), bytes.startsWith("\x89LLTRACE"));
}

void tst_TraceReader::hugeLengthsDoNotAllocate_data()
{
    QTest::addColumn<QByteArray>("record");
    QTest::newRow("string of 2^62 bytes") << withRecord({}, { quint64(1) << 62 }, 0x02);
    QTest::newRow("group of 2^62 members")
        << withRecord({}, { 0, 0, 0, 0, 0, 0, quint64(1) << 62 }, 0x04);
    QTest::newRow("string of 2^64-1 bytes") << withRecord({}, { ~quint64(0) }, 0x02);
}

void tst_TraceReader::hugeLengthsDoNotAllocate()
{
    QFETCH(QByteArray, record);
    TraceBuilder t;
    t.type(QStringLiteral("ExceptionGroup"));
    t.raw(record);
    const TraceRecording r = TraceReader::read(t.bytes());
    QCOMPARE(r.error.kind, TraceError::Kind::CutShort);
    QCOMPARE(r.error.offset, t.recordStarts().back());
}

void tst_TraceReader::mutatedTracesNeverCrash()
{
    // A quick stand-in for the fuzzer: flipped, inserted and dropped bytes. Whatever is read
    // must be consistent: every id an event names is defined.
    TraceBuilder withBlock = twoEvents();
    withBlock.events({ { 7, 1, 0, 0 }, { 9, 2, 0, 0 } });
    withBlock.end(0, 0);
    const QByteArray samples[] = { Test::sampleTrace().bytes(), withBlock.bytes() };
    QRandomGenerator random(20240611);
    for (int round = 0; round < 20000; ++round) {
        QByteArray bytes = samples[round % 2];
        const int edits = 1 + random.bounded(4);
        for (int i = 0; i < edits; ++i) {
            const qsizetype at = random.bounded(bytes.size());
            switch (random.bounded(3)) {
            case 0:
                bytes[at] = char(random.bounded(256));
                break;
            case 1:
                bytes.insert(at, char(random.bounded(256)));
                break;
            default:
                bytes.remove(at, 1);
                break;
            }
        }
        const TraceRecording r = TraceReader::read(bytes);
        for (size_t i = 0; i < r.events.size(); ++i) {
            const TraceEvent &e = r.events[i];
            if (e.kind == EventKind::ExceptionRaised || e.kind == EventKind::ExceptionHop)
                QVERIFY(e.subject < r.exceptions.size());
            else if (e.subject != quint32(None))
                QVERIFY(e.subject < r.lanes.size());
        }
        if (r.error.kind == TraceError::Kind::None)
            QVERIFY(r.end);
        else
            QVERIFY(r.error.offset >= 0 && r.error.offset <= bytes.size());
    }
}

void tst_TraceReader::docTagTableNamesTheRecordsTheReaderKnows()
{
    QFile doc(QStringLiteral(LIFELINE_SOURCE_DIR "/docs/trace-format.md"));
    QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
    const QString text = QString::fromUtf8(doc.readAll());
    // | `01` | EVENT | ...
    static const QRegularExpression row(QStringLiteral("^\\| `([0-9A-F]{2})` \\| ([A-Z]+) \\|"),
                                        QRegularExpression::MultilineOption);
    int rows = 0;
    std::vector<bool> documented(256, false);
    for (auto it = row.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        bool ok = false;
        const int tag = m.captured(1).toInt(&ok, 16);
        QVERIFY(ok);
        QCOMPARE(QString(TraceReader::recordName(quint8(tag))), m.captured(2));
        documented[size_t(tag)] = true;
        ++rows;
    }
    QVERIFY(rows > 0);
    for (int tag = 0; tag < 256; ++tag) {
        if (!TraceReader::recordName(quint8(tag)).isEmpty())
            QVERIFY2(documented[size_t(tag)], qPrintable(QString::number(tag, 16)));
    }
}

void tst_TraceReader::readingInChunksGivesWhatReadingWholeGives_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qsizetype>("chunk"); // 0: random sizes
    TraceBuilder withBlocks = twoEvents();
    withBlocks.events({ { 7, 1, 0, 0 }, { 9, 2, 0, 0 } });
    withBlocks.event(2, 0, 3, 0);
    withBlocks.end(0, 0);
    QByteArray corrupt = twoEvents().bytes();
    corrupt += withRecord({}, { 99 }, 0x06); // a group named by an undefined string
    const QByteArray sample = Test::sampleTrace().bytes();
    QTest::newRow("sample, a byte at a time") << sample << qsizetype(1);
    QTest::newRow("sample, 5 bytes at a time") << sample << qsizetype(5);
    QTest::newRow("sample, random chunks") << sample << qsizetype(0);
    QTest::newRow("sample, all at once") << sample << sample.size();
    QTest::newRow("blocks, a byte at a time") << withBlocks.bytes() << qsizetype(1);
    QTest::newRow("blocks, random chunks") << withBlocks.bytes() << qsizetype(0);
    QTest::newRow("a big block, 4 KiB at a time") << bigBlock(50000) << qsizetype(4096);
    QTest::newRow("killed before END, a byte at a time")
        << Test::sampleTrace(false).bytes() << qsizetype(1);
    QTest::newRow("cut in a record, random chunks")
        << sample.first(sample.size() - 3) << qsizetype(0);
    QTest::newRow("a corrupt record, a byte at a time") << corrupt << qsizetype(1);
    QTest::newRow("header only, a byte at a time") << TraceBuilder().bytes() << qsizetype(1);
    QTest::newRow("not a trace") << QByteArray(R"({"lifeline": 1})") << qsizetype(3);
    QTest::newRow("newer version") << TraceBuilder(3).bytes() << qsizetype(1);
    QTest::newRow("nothing") << QByteArray() << qsizetype(1);
}

void tst_TraceReader::readingInChunksGivesWhatReadingWholeGives()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qsizetype, chunk);
    QCOMPARE(dump(readInChunks(bytes, chunk)), dump(TraceReader::read(bytes)));
}

void tst_TraceReader::aCutRecordIsNotYetUntilItsRestArrives()
{
    const TraceBuilder t = Test::sampleTrace();
    const QByteArray full = t.bytes();
    const std::vector<qsizetype> &starts = t.recordStarts();
    for (size_t i = 0; i < starts.size(); ++i) {
        const qsizetype next = i + 1 < starts.size() ? starts[i + 1] : full.size();
        for (qsizetype cut = starts[i] + 1; cut < next; ++cut) {
            const QByteArray where = "record at " + QByteArray::number(starts[i]) + " cut at "
                + QByteArray::number(cut);
            TraceRecording r;
            TraceReader reader(&r);
            reader.append(QByteArrayView(full).first(cut));
            QVERIFY2(reader.readSome(), where);
            QVERIFY2(r.error.kind == TraceError::Kind::None,
                     where + ": " + r.error.toString().toUtf8());
            QVERIFY2(!reader.isStopped(), where);
            QCOMPARE(reader.offset(), starts[i]);
            QCOMPARE(reader.pending(), cut - starts[i]);
            QCOMPARE(r.events.size(),
                     size_t(std::count_if(starts.begin(), starts.begin() + i,
                                          [&](qsizetype s) { return full[s] == 1; })));
            // The rest of the file completes the record, and every record after it.
            reader.append(QByteArrayView(full).sliced(cut));
            QVERIFY2(reader.readSome(), where);
            QCOMPARE(reader.offset(), full.size());
            QCOMPARE(reader.pending(), 0);
            QVERIFY2(r.isComplete(), where + ": " + r.error.toString().toUtf8());
            QCOMPARE(r.events.size(), size_t(15));
        }
    }
}

void tst_TraceReader::finishMakesACutRecordAnError()
{
    const TraceBuilder t = Test::sampleTrace();
    const qsizetype lastEvent = t.recordStarts()[t.recordStarts().size() - 2];
    const QByteArray cut = t.bytes().first(lastEvent + 2);
    TraceRecording r;
    TraceReader reader(&r);
    reader.append(cut);
    QVERIFY(reader.readSome());
    QCOMPARE(r.error.kind, TraceError::Kind::None);
    QVERIFY(!reader.isFinished());
    QVERIFY(reader.finish());
    QVERIFY(reader.isFinished());
    QCOMPARE(r.error.kind, TraceError::Kind::CutShort);
    QCOMPARE(r.error.offset, lastEvent);
    QCOMPARE(dump(r), dump(TraceReader::read(cut)));
}

void tst_TraceReader::aBigBlockIsReadInSlicesAndJoinsWhole()
{
    // ~8 MB of columns: tens of milliseconds to inflate and check in one go. A slice's cost is
    // the thread's CPU time (a loaded machine may preempt a slice; that is not the reader's).
    const QByteArray bytes = bigBlock(400000);
    TraceRecording r;
    TraceReader reader(&r);
    reader.append(bytes);
    int slices = 0;
    qint64 longestNs = 0;
    auto threadCpuNs = [] {
        timespec t = {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
    };
    for (bool caughtUp = false; !caughtUp;) {
        const qint64 before = threadCpuNs();
        caughtUp = reader.readSome(QDeadlineTimer(2));
        longestNs = std::max(longestNs, threadCpuNs() - before);
        ++slices;
        QVERIFY(r.events.size() <= 400000);
        QVERIFY(slices < 10000);
    }
    qInfo("%d slices, the longest %.2f ms", slices, double(longestNs) / 1e6);
    QVERIFY(slices > 2);
    QVERIFY2(longestNs < 8'000'000, qPrintable(QString::number(longestNs)));
    QCOMPARE(r.events.size(), size_t(400000));
    QVERIFY(reader.finish());
    QVERIFY2(r.isComplete(), qPrintable(r.error.toString()));
    QCOMPARE(dump(r), dump(TraceReader::read(bytes)));
}

void tst_TraceReader::mutatedTracesReadInChunksReadAsWhole()
{
    TraceBuilder withBlock = twoEvents();
    withBlock.events({ { 7, 1, 0, 0 }, { 9, 2, 0, 0 } });
    withBlock.end(0, 0);
    const QByteArray samples[] = { Test::sampleTrace().bytes(), withBlock.bytes() };
    QRandomGenerator random(20240612);
    for (int round = 0; round < 3000; ++round) {
        QByteArray bytes = samples[round % 2];
        const qsizetype at = random.bounded(bytes.size());
        bytes[at] = char(random.bounded(256));
        const QStringList whole = dump(TraceReader::read(bytes));
        const QStringList chunked = dump(readInChunks(bytes, 0, quint32(round)));
        QVERIFY2(whole == chunked,
                 qPrintable(QStringLiteral("round %1, byte %2").arg(round).arg(at)));
    }
}

QTEST_GUILESS_MAIN(tst_TraceReader)
#include "tst_tracereader.moc"
