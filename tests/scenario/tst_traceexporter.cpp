// SPDX-License-Identifier: MIT
// TraceExporter: the Chrome Trace Event JSON parses, and holds the tracks, phases and flows.
#include "samplelog.h"
#include "traceexporter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;

class tst_TraceExporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parses();
    void laneMetadata();
    void instanceTrackNestsPhases();
    void tasksAreSlices_data();
    void tasksAreSlices();
    void exceptionFlows_data();
    void exceptionFlows();
    void prefixClosesOpenTracks();
    void writesFile();

private:
    QList<QJsonObject> events(const char *ph, qsizetype prefix = -1) const;
    EventLog m_log;
    QJsonArray m_trace;
};

void tst_TraceExporter::initTestCase()
{
    Test::fillSampleLog(m_log);
    m_trace = TraceExporter::traceEvents(m_log, QStringLiteral("Sample"));
}

QList<QJsonObject> tst_TraceExporter::events(const char *ph, qsizetype prefix) const
{
    const QJsonArray trace = prefix < 0 ? m_trace : TraceExporter::traceEvents(m_log, {}, prefix);
    QList<QJsonObject> out;
    for (const QJsonValue &v : trace)
        if (v.toObject().value(QLatin1String("ph")).toString() == QLatin1String(ph))
            out << v.toObject();
    return out;
}

void tst_TraceExporter::parses()
{
    QJsonParseError error;
    const QJsonDocument doc
        = QJsonDocument::fromJson(TraceExporter::toJson(m_log, QStringLiteral("Sample")), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(doc.object().value(QLatin1String("traceEvents")).isArray());
    QCOMPARE(doc.object().value(QLatin1String("displayTimeUnit")).toString(), QStringLiteral("ms"));
    for (const QJsonValue &v : doc.object().value(QLatin1String("traceEvents")).toArray()) {
        const QJsonObject e = v.toObject();
        QVERIFY(e.contains(QLatin1String("ph")));
        QVERIFY(e.contains(QLatin1String("pid")));
        QVERIFY(e.contains(QLatin1String("tid")));
    }
}

void tst_TraceExporter::laneMetadata()
{
    QStringList threads;
    QString process;
    for (const QJsonObject &m : events("M")) {
        const QString kind = m.value(QLatin1String("name")).toString();
        const QString name
            = m.value(QLatin1String("args")).toObject().value(QLatin1String("name")).toString();
        if (kind == QLatin1String("thread_name"))
            threads << name;
        else if (kind == QLatin1String("process_name"))
            process = name;
    }
    QCOMPARE(process, QStringLiteral("Sample"));
    QCOMPARE(
        threads,
        (QStringList { QStringLiteral("main"),
                       QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb') #1"),
                       QStringLiteral("worker-1") }));
}

void tst_TraceExporter::instanceTrackNestsPhases()
{
    // b/e in order, all with the instance's id and category: the track, then each phase.
    QStringList sequence;
    for (const QJsonValue &v : m_trace) {
        const QJsonObject e = v.toObject();
        const QString ph = e.value(QLatin1String("ph")).toString();
        if (ph != QLatin1String("b") && ph != QLatin1String("e"))
            continue;
        QCOMPARE(e.value(QLatin1String("id")).toString(), QStringLiteral("instance-1"));
        QCOMPARE(e.value(QLatin1String("cat")).toString(), QStringLiteral("instance"));
        QCOMPARE(e.value(QLatin1String("tid")).toInt(), 2);
        sequence << QStringLiteral("%1 %2 %3")
                        .arg(ph, e.value(QLatin1String("name")).toString().section(u'(', 0, 0))
                        .arg(e.value(QLatin1String("ts")).toInteger());
    }
    QCOMPARE(sequence,
             (QStringList {
                 QStringLiteral("b AsyncDatabaseConnection 0"),
                 QStringLiteral("b acquire 0"),
                 QStringLiteral("e acquire 100000"),
                 QStringLiteral("b ready 100000"),
                 QStringLiteral("e ready 100000"),
                 QStringLiteral("b execute 100000"),
                 QStringLiteral("e execute 150000"),
                 QStringLiteral("b release 150000"),
                 QStringLiteral("e release 250000"),
                 QStringLiteral("e AsyncDatabaseConnection 250000"),
             }));
}

void tst_TraceExporter::tasksAreSlices_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<qint64>("ts");
    QTest::addColumn<qint64>("dur");
    QTest::addColumn<QString>("outcome");
    QTest::newRow("main runs the whole program")
        << QStringLiteral("main") << qint64(0) << qint64(250000) << QStringLiteral("finished");
    QTest::newRow("worker is cancelled at once")
        << QStringLiteral("worker-1") << qint64(250000) << qint64(0) << QStringLiteral("cancelled");
}

void tst_TraceExporter::tasksAreSlices()
{
    QFETCH(QString, task);
    QFETCH(qint64, ts);
    QFETCH(qint64, dur);
    QFETCH(QString, outcome);
    for (const QJsonObject &x : events("X")) {
        if (x.value(QLatin1String("name")).toString() != task)
            continue;
        QCOMPARE(x.value(QLatin1String("cat")).toString(), QStringLiteral("task"));
        QCOMPARE(x.value(QLatin1String("ts")).toInteger(), ts);
        QCOMPARE(x.value(QLatin1String("dur")).toInteger(), dur);
        QCOMPARE(
            x.value(QLatin1String("args")).toObject().value(QLatin1String("outcome")).toString(),
            outcome);
        return;
    }
    QFAIL("task slice missing");
}

void tst_TraceExporter::exceptionFlows_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("path"); // ph@tid per flow event
    QTest::newRow("boom: raised in db, suppressed by db")
        << QStringLiteral("exception-0")
        << QStringList { QStringLiteral("s@2"), QStringLiteral("f@2") };
    QTest::newRow("cancel: raised in worker, escapes it")
        << QStringLiteral("exception-1")
        << QStringList { QStringLiteral("s@3"), QStringLiteral("f@3") };
}

void tst_TraceExporter::exceptionFlows()
{
    QFETCH(QString, id);
    QFETCH(QStringList, path);
    QStringList seen;
    for (const QJsonValue &v : m_trace) {
        const QJsonObject e = v.toObject();
        const QString ph = e.value(QLatin1String("ph")).toString();
        if ((ph == QLatin1String("s") || ph == QLatin1String("t") || ph == QLatin1String("f"))
            && e.value(QLatin1String("id")).toString() == id) {
            QCOMPARE(e.value(QLatin1String("cat")).toString(), QStringLiteral("exception"));
            seen << QStringLiteral("%1@%2").arg(ph).arg(e.value(QLatin1String("tid")).toInt());
        }
    }
    QCOMPARE(seen, path);
    // Each raise and hop is also an instant event, so it shows without flow support.
    int instants = 0;
    for (const QJsonObject &i : events("i"))
        instants += i.value(QLatin1String("cat")).toString() == QLatin1String("exception");
    QCOMPARE(instants, 4);
}

void tst_TraceExporter::prefixClosesOpenTracks()
{
    // Up to the execute phase: the instance and its phase are closed at the prefix's end.
    const QList<QJsonObject> ends = events("e", qsizetype(Test::Execute) + 1);
    QVERIFY(!ends.isEmpty());
    QCOMPARE(ends.last()
                 .value(QLatin1String("args"))
                 .toObject()
                 .value(QLatin1String("state"))
                 .toString(),
             QStringLiteral("open"));
    QCOMPARE(ends.last().value(QLatin1String("ts")).toInteger(), 100000);
    QVERIFY(events("s", qsizetype(Test::Execute) + 1).isEmpty());
}

void tst_TraceExporter::writesFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("trace.json"));
    QString error;
    QVERIFY2(TraceExporter::writeFile(m_log, QStringLiteral("Sample"), path, &error),
             qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(QJsonDocument::fromJson(file.readAll()).isObject());
    QVERIFY(!TraceExporter::writeFile(m_log, {}, dir.filePath(QStringLiteral("no/such/dir/t.json")),
                                      &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_TraceExporter)
#include "tst_traceexporter.moc"
