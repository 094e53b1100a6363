// SPDX-License-Identifier: MIT
// TraceFollower on a file this test writes piece by piece, as a live tracer would: it opens once
// the program's first records are in, a record cut at the end of the file waits for its rest, a
// run following it appends each piece as it lands and ends with the file, and a burst of a
// million events is digested without holding the event loop. Its QTimer polling is what is under
// test, so spies wait on it.
#include "../core/eventloopchecker.h"
#include "eventformatter.h"
#include "scenariorun.h"
#include "tracebuilder.h"
#include "tracefollower.h"
#include "tracereader.h"
#include "tracescenario.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;
using Lifeline::Test::TraceBuilder;

namespace {

// Where each record of the sample trace starts, and its bytes.
const Test::TraceBuilder &sample()
{
    static const TraceBuilder t = Test::sampleTrace();
    return t;
}

// One EVENTS block per `perBlock` events, `blocks` of them, on one task lane.
QByteArray burst(int blocks, size_t perBlock)
{
    TraceBuilder t;
    t.meta(QStringLiteral("clock"), QStringLiteral("real"));
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    const quint64 group = t.group(QStringLiteral("Conn"));
    const quint64 hi = t.print(QStringLiteral("hi"));
    quint64 time = 0;
    for (int b = 0; b < blocks; ++b) {
        const quint64 conn = t.instance(QStringLiteral("Conn(%1)").arg(b), qint64(main),
                                        qint64(group), quint64(b + 1));
        std::vector<TraceBuilder::BlockEvent> events;
        events.reserve(perBlock);
        if (b == 0)
            events.push_back({ time, 0, 0, main });
        events.push_back({ time += 10, 3, 0, conn }); // acquire
        events.push_back({ time += 10, 3, 1, conn }); // ready
        while (events.size() < perBlock)
            events.push_back({ time += 10, 5, 0, main, qint64(hi) });
        events.push_back({ time += 10, 3, 3, conn }); // release
        events.push_back({ time += 10, 4, 5, conn }); // released
        t.events(events);
    }
    t.end(0, 0);
    return t.bytes();
}

} // namespace

class tst_TraceFollower : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void opensOnceTheProgramsFirstRecordsArrive();
    void aRunFollowsTheFileAsItGrows_data();
    void aRunFollowsTheFileAsItGrows();
    void aRecordCutAtTheEndWaitsForItsRest();
    void finishReadsWhatIsLeft();
    void aBurstKeepsTheEventLoopResponsive();

private:
    void write(QByteArrayView bytes);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void tst_TraceFollower::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("live.lltrace"));
}

void tst_TraceFollower::write(QByteArrayView bytes)
{
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes.data(), bytes.size()), bytes.size());
}

void tst_TraceFollower::opensOnceTheProgramsFirstRecordsArrive()
{
    TraceFollower follower(m_path);
    QSignalSpy opened(&follower, &TraceFollower::opened);
    follower.start(); // no file yet
    QVERIFY(!opened.wait(3 * TraceFollower::PollMs));
    write(QByteArrayView(sample().bytes()).first(TraceReader::HeaderSize));
    QVERIFY(!opened.wait(3 * TraceFollower::PollMs));
    QVERIFY(!follower.scenario());
    // The first records: the clock and the program's name, then its source.
    write(
        QByteArrayView(sample().bytes())
            .sliced(TraceReader::HeaderSize, sample().recordStarts()[8] - TraceReader::HeaderSize));
    QVERIFY(opened.wait(5000));
    QVERIFY(follower.scenario());
    QCOMPARE(follower.scenario()->title, QStringLiteral("prog.py"));
    QCOMPARE(follower.scenario()->description, QStringLiteral("the program is running"));
    QVERIFY(follower.recording()->growing);
}

void tst_TraceFollower::aRunFollowsTheFileAsItGrows_data()
{
    QTest::addColumn<int>("pieces");
    QTest::newRow("in three pieces") << 3;
    QTest::newRow("record by record") << int(sample().recordStarts().size());
}

void tst_TraceFollower::aRunFollowsTheFileAsItGrows()
{
    QFETCH(int, pieces);
    const QByteArray bytes = sample().bytes();
    const std::vector<qsizetype> &starts = sample().recordStarts();
    TraceFollower follower(m_path);
    QSignalSpy opened(&follower, &TraceFollower::opened);
    QSignalSpy finished(&follower, &TraceFollower::finished);
    follower.start();
    std::unique_ptr<ScenarioRun> run;
    qsizetype written = 0;
    for (int p = 1; p <= pieces; ++p) {
        const size_t record = starts.size() * size_t(p) / size_t(pieces);
        const qsizetype end = record < starts.size() ? starts[record] : bytes.size();
        write(QByteArrayView(bytes).sliced(written, end - written));
        written = end;
        QTRY_COMPARE_WITH_TIMEOUT(follower.bytesRead(), written, 5000);
        if (!run && follower.scenario()) {
            run = std::make_unique<ScenarioRun>(follower.scenario());
            connect(&follower, &TraceFollower::grew, run.get(), &ScenarioRun::recordingGrew);
            run->start(0);
        }
        if (!run) {
            QCOMPARE(opened.count(), 0); // before the clock's META record
            continue;
        }
        // Every event written so far reaches the run, which then waits for more.
        const size_t events
            = size_t(std::count_if(starts.begin(), starts.begin() + qsizetype(record),
                                   [&](qsizetype s) { return bytes[s] == 0x01; }));
        QTRY_COMPARE_WITH_TIMEOUT(run->log().count(), events, 5000);
        QTRY_VERIFY(run->isWaiting());
        QVERIFY(!run->isFinished());
    }
    QSignalSpy runFinished(run.get(), &ScenarioRun::finished);
    follower.finish();
    QVERIFY(finished.wait(5000));
    QVERIFY(runFinished.count() > 0 || runFinished.wait(5000));
    QVERIFY(follower.recording()->isComplete());
    QVERIFY(!follower.recording()->growing);
    QCOMPARE(follower.scenario()->description,
             QStringLiteral("the program ended with an exception"));
    QCOMPARE(run->outcomeText(), QStringLiteral("KeyError('k') <- ValueError('boom')"));
    QCOMPARE(run->output(), QStringList({ QStringLiteral("starting"), QStringLiteral("hello") }));
}

void tst_TraceFollower::aRecordCutAtTheEndWaitsForItsRest()
{
    const QByteArray bytes = sample().bytes();
    const qsizetype lastEvent = sample().recordStarts()[sample().recordStarts().size() - 2];
    write(QByteArrayView(bytes).first(lastEvent + 3));
    TraceFollower follower(m_path);
    QSignalSpy grew(&follower, &TraceFollower::grew);
    follower.start();
    QVERIFY(grew.wait(5000));
    QCOMPARE(follower.recording()->events.size(), size_t(14));
    QCOMPARE(follower.recording()->error.kind, TraceError::Kind::None);
    QCOMPARE(follower.bytesRead(), lastEvent);
    grew.clear();
    write(QByteArrayView(bytes).sliced(lastEvent + 3));
    QVERIFY(grew.wait(5000));
    QCOMPARE(follower.recording()->events.size(), size_t(15));
    QVERIFY(follower.recording()->end.has_value());
    QVERIFY(follower.recording()->growing); // until the writer is known to be done
}

void tst_TraceFollower::finishReadsWhatIsLeft()
{
    // Killed half way: the rest of a record never comes, and finish() says it is cut short.
    const QByteArray bytes = sample().bytes();
    const qsizetype cut = sample().recordStarts()[20] + 1;
    write(QByteArrayView(bytes).first(cut));
    TraceFollower follower(m_path);
    QSignalSpy finished(&follower, &TraceFollower::finished);
    follower.finish(); // before it ever polled
    QVERIFY(finished.wait(5000));
    QVERIFY(follower.isFinished());
    const TraceRecording &r = *follower.recording();
    QCOMPARE(r.error.kind, TraceError::Kind::CutShort);
    QCOMPARE(r.error.offset, sample().recordStarts()[20]);
    QVERIFY(follower.scenario());
    QCOMPARE(follower.scenario()->description, r.error.toString());
}

void tst_TraceFollower::aBurstKeepsTheEventLoopResponsive()
{
    // A million events in 50 blocks land at once: reading them, and a run appending them as
    // they come, leave the loop no gap of a frame. A turn of the loop holds a 4 ms read slice
    // and a 5 ms run slice; the loop thread's own CPU time between two ticks is what they cost
    // it (a machine busy with other work can hold any turn back, which is not their doing).
    write(burst(50, 20000));
    TraceFollower follower(m_path);
    QSignalSpy finished(&follower, &TraceFollower::finished);
    ScenarioRun *run = nullptr;
    connect(&follower, &TraceFollower::opened, this, [&] {
        run = new ScenarioRun(follower.scenario(), &follower);
        connect(&follower, &TraceFollower::grew, run, &ScenarioRun::recordingGrew);
        run->start(0);
    });
    Test::EventLoopChecker checker;
    checker.start();
    follower.start();
    follower.finish();
    QVERIFY(finished.wait(20000));
    QVERIFY(run);
    QSignalSpy runFinished(run, &ScenarioRun::finished);
    QVERIFY(run->isFinished() || runFinished.wait(20000));
    checker.stop();
    qInfo("%zu events; %d ticks; longest gap %lld ms, of which the loop's own work %lld ms",
          run->log().count(), checker.ticks(), checker.longestGapMs(), checker.longestBusyMs());
    QCOMPARE(run->log().count(), size_t(50 * (20000 + 2)));
    QVERIFY2(checker.longestBusyMs() < 16, qPrintable(QString::number(checker.longestBusyMs())));
}

QTEST_GUILESS_MAIN(tst_TraceFollower)
#include "tst_tracefollower.moc"
