// SPDX-License-Identifier: MIT
#pragma once
// Writes .lltrace bytes record by record exactly as docs/trace-format.md describes them, for the
// tests of the reader, the replay and the command line. It shares no code with TraceReader on
// purpose: the two meet only in the doc. Ids are handed out in definition order, as the format
// numbers them; ids and numbers are written as given, so a test can write a bad one.

#include <QByteArray>
#include <QString>
#include <QtEndian>
#include <vector>

namespace Lifeline::Test {

class TraceBuilder
{
public:
    static constexpr quint64 NoSubject = 4294967295u; // "none" as a subject
    static constexpr qint64 NoId = -1; // "none" in a field written plus one

    explicit TraceBuilder(quint8 version = 2)
    {
        m_bytes = QByteArray("\x89LLTRACE", 8);
        m_bytes += char(version);
        m_bytes += QByteArray(3, '\0');
    }

    const QByteArray &bytes() const { return m_bytes; }
    // Where each record begins, in order.
    const std::vector<qsizetype> &recordStarts() const { return m_starts; }

    static void uv(QByteArray &out, quint64 v)
    {
        do {
            const quint8 low = v & 0x7f;
            v >>= 7;
            out += char(v ? low | 0x80 : low);
        } while (v);
    }

    quint64 string(const QString &text)
    {
        const QByteArray utf8 = text.toUtf8();
        begin(0x02);
        uv(quint64(utf8.size()));
        m_bytes += utf8;
        return m_strings++;
    }
    quint64 type(const QString &name, qint64 base = NoId)
    {
        const quint64 n = string(name);
        begin(0x03);
        uv(n);
        uv(quint64(base + 1));
        return m_types++;
    }
    quint64 exception(quint64 type, const QString &repr, const QString &str, quint64 flags = 0,
                      qint64 context = NoId, qint64 cause = NoId,
                      const std::vector<quint64> &members = {})
    {
        const quint64 r = string(repr);
        const quint64 s = string(str);
        begin(0x04);
        uv(type);
        uv(r);
        uv(s);
        uv(flags);
        uv(quint64(context + 1));
        uv(quint64(cause + 1));
        uv(members.size());
        for (quint64 m : members)
            uv(m);
        return m_exceptions++;
    }
    void link(quint64 exception, quint64 flags, qint64 context, qint64 cause)
    {
        begin(0x05);
        uv(exception);
        uv(flags);
        uv(quint64(context + 1));
        uv(quint64(cause + 1));
    }
    quint64 group(const QString &name)
    {
        const quint64 n = string(name);
        begin(0x06);
        uv(n);
        return m_groups++;
    }
    quint64 lane(quint64 kind, const QString &label, qint64 parent, qint64 group, quint64 ordinal)
    {
        const quint64 l = string(label);
        begin(0x07);
        uv(kind);
        uv(l);
        uv(quint64(parent + 1));
        uv(quint64(group + 1));
        uv(ordinal);
        return m_lanes++;
    }
    quint64 task(const QString &name, qint64 parent, quint64 ordinal)
    {
        return lane(0, name, parent, NoId, ordinal);
    }
    quint64 instance(const QString &label, qint64 task, qint64 group, quint64 ordinal)
    {
        return lane(1, label, task, group, ordinal);
    }
    quint64 print(const QString &text, qint64 location = NoId)
    {
        const quint64 t = string(text);
        begin(0x08);
        uv(t);
        uv(quint64(location + 1));
        return m_prints++;
    }
    void meta(const QString &key, const QString &value)
    {
        const quint64 k = string(key);
        const quint64 v = string(value);
        begin(0x09);
        uv(k);
        uv(v);
    }
    quint64 source(const QString &path, const QString &text)
    {
        const quint64 p = string(path);
        const quint64 t = string(text);
        begin(0x0A);
        uv(p);
        uv(t);
        return m_sources++;
    }
    quint64 location(quint64 source, quint64 line)
    {
        begin(0x0B);
        uv(source);
        uv(line);
        return m_locations++;
    }
    // kind and detail as the event table numbers them; arg and location as an id or NoId.
    void event(quint8 kind, quint8 detail, quint64 dt, quint64 subject, qint64 arg = NoId,
               qint64 location = NoId)
    {
        begin(0x01);
        m_bytes += char(kind | detail << 4);
        uv(dt);
        uv(subject);
        uv(quint64(arg + 1));
        uv(quint64(location + 1));
    }
    struct BlockEvent
    {
        quint64 time; // since the origin, not a difference
        quint8 kind, detail;
        quint64 subject;
        qint64 arg = NoId;
        qint64 location = NoId;
    };
    // An EVENTS block: three little-endian columns, zlib-compressed.
    void events(const std::vector<BlockEvent> &events)
    {
        QByteArray columns(qsizetype(events.size()) * 20, '\0');
        char *words = columns.data();
        char *ids = words + 8 * events.size();
        char *locations = ids + 8 * events.size();
        for (size_t i = 0; i < events.size(); ++i) {
            const BlockEvent &e = events[i];
            qToLittleEndian<quint64>(e.time | quint64(e.kind | e.detail << 4) << 56, words + 8 * i);
            qToLittleEndian<quint64>(e.subject | quint64(e.arg + 1) << 32, ids + 8 * i);
            qToLittleEndian<quint32>(quint32(e.location + 1), locations + 4 * i);
        }
        eventsBlock(events.size(), qCompress(columns).mid(4)); // qCompress: a size, then zlib
    }
    // An EVENTS record of the test's own count and stream.
    void eventsBlock(quint64 count, const QByteArray &zlib)
    {
        begin(0x0E);
        uv(count);
        uv(quint64(zlib.size()));
        m_bytes += zlib;
    }
    void end(quint64 how, quint64 status)
    {
        begin(0x0D);
        uv(how);
        uv(status);
    }
    // A record of the test's own making (a bad one): its bytes, tag first.
    void raw(const QByteArray &record)
    {
        m_starts.push_back(m_bytes.size());
        m_bytes += record;
    }

private:
    void begin(quint8 tag)
    {
        m_starts.push_back(m_bytes.size());
        m_bytes += char(tag);
    }
    void uv(quint64 v) { uv(m_bytes, v); }

    QByteArray m_bytes;
    std::vector<qsizetype> m_starts;
    quint64 m_strings = 0, m_types = 0, m_exceptions = 0, m_groups = 0, m_lanes = 0, m_prints = 0,
            m_sources = 0, m_locations = 0;
};

// A small program's trace, on the real clock:
//
//     print('starting')                        # outside any task
//     async def worker():
//         async with Conn('db'):               # line 3
//             print('hello')
//             raise ValueError('boom')         # line 5
//     async def main():
//         try: await asyncio.create_task(worker())
//         except ValueError: raise KeyError('k')
//
// 15 events; main fails with KeyError('k'), whose context is ValueError('boom'); the program
// exits with status 1. `withEnd` false leaves the END record out (a killed `lifeline trace`).
inline TraceBuilder sampleTrace(bool withEnd = true)
{
    TraceBuilder t;
    t.meta(QStringLiteral("clock"), QStringLiteral("real"));
    t.meta(QStringLiteral("program"), QStringLiteral("prog.py"));
    const quint64 src = t.source(QStringLiteral("prog.py"),
                                 QStringLiteral("print('starting')\nasync def worker():\n"
                                                "    async with Conn('db'):\n"
                                                "        print('hello')\n"
                                                "        raise ValueError('boom')\n"));
    const quint64 line3 = t.location(src, 3);
    const quint64 line5 = t.location(src, 5);
    const quint64 starting = t.print(QStringLiteral("starting"), t.location(src, 1));
    t.event(5, 0, 0, TraceBuilder::NoSubject, qint64(starting)); // 0 Printed, outside tasks
    const quint64 main = t.task(QStringLiteral("Task-1"), TraceBuilder::NoId, 1);
    t.event(0, 0, 1000, main); // 1 TaskCreated
    t.event(1, 0, 1000, main); // 2 TaskStarted
    const quint64 worker = t.task(QStringLiteral("Task-2"), qint64(main), 2);
    t.event(0, 0, 500, worker, qint64(main)); // 3 TaskCreated by main
    t.event(1, 0, 2000, worker); // 4 TaskStarted
    const quint64 conn = t.group(QStringLiteral("Conn"));
    const quint64 db = t.instance(QStringLiteral("Conn('db')"), qint64(worker), qint64(conn), 1);
    t.event(3, 0, 100, db, TraceBuilder::NoId, qint64(line3)); // 5 PhaseBegan acquire
    t.event(3, 1, 12'500'000, db); // 6 PhaseBegan ready, at 12.5046 ms
    const quint64 hello = t.print(QStringLiteral("hello"), qint64(t.location(src, 4)));
    t.event(5, 0, 100, worker, qint64(hello)); // 7 Printed
    const quint64 valueError = t.type(QStringLiteral("ValueError"));
    const quint64 boom
        = t.exception(valueError, QStringLiteral("ValueError('boom')"), QStringLiteral("boom"));
    t.event(6, 0, 0, boom, qint64(worker), qint64(line5)); // 8 ExceptionRaised
    t.event(3, 3, 1'000'000, db); // 9 PhaseBegan release
    t.event(4, 5, 3'000'000, db); // 10 InstanceEnded released
    t.event(7, 5, 0, boom, qint64(worker)); // 11 ExceptionHop escaped
    t.event(2, 1, 0, worker, qint64(boom)); // 12 TaskEnded failed
    const quint64 keyError = t.type(QStringLiteral("KeyError"));
    const quint64 k = t.exception(keyError, QStringLiteral("KeyError('k')"), QStringLiteral("'k'"));
    t.link(k, 0, qint64(boom), TraceBuilder::NoId);
    t.event(6, 0, 250, k, qint64(main)); // 13 ExceptionRaised
    t.event(2, 1, 0, main, qint64(k)); // 14 TaskEnded failed
    if (withEnd)
        t.end(0, 1);
    return t;
}

} // namespace Lifeline::Test
