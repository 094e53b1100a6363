// SPDX-License-Identifier: MIT
// TraceEndRecord: how a traced program's ending becomes its END record and `lifeline trace`'s
// exit status, the same for the command and the window's live traces; and the record appended
// to a file the tracer filled, or left empty, reads back as a complete trace.
#include "../scenario/tracebuilder.h"
#include "traceendrecord.h"
#include "tracereader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/wait.h>

using namespace Lifeline;

class tst_TraceEndRecord : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endings_data();
    void endings();
    void appendedAfterTheTracersRecords();
    void anEmptyFileGetsItsHeaderFirst();
    void aFileThatCannotBeOpenedIsAnError();
};

void tst_TraceEndRecord::endings_data()
{
    QTest::addColumn<TraceEnd>("end");
    QTest::addColumn<quint64>("how");
    QTest::addColumn<quint64>("status");
    QTest::addColumn<int>("exitStatus");
    // Wait statuses as waitpid writes them: exit code in the second byte, signal in the first.
    QTest::newRow("exited 0") << TraceEndRecord::fromWaitStatus(0) << quint64(TraceEnd::Exited)
                              << quint64(0) << 0;
    QTest::newRow("exited 3") << TraceEndRecord::fromWaitStatus(3 << 8) << quint64(TraceEnd::Exited)
                              << quint64(3) << 3;
    QTest::newRow("killed") << TraceEndRecord::fromWaitStatus(SIGKILL)
                            << quint64(TraceEnd::Signalled) << quint64(SIGKILL) << 128 + SIGKILL;
    QTest::newRow("QProcess: exited 1")
        << TraceEndRecord::fromProcess(1, false) << quint64(TraceEnd::Exited) << quint64(1) << 1;
    QTest::newRow("QProcess: crashed on SIGINT")
        << TraceEndRecord::fromProcess(SIGINT, true) << quint64(TraceEnd::Signalled)
        << quint64(SIGINT) << 128 + SIGINT;
    QTest::newRow("could not start") << TraceEndRecord::couldNotStart()
                                     << quint64(TraceEnd::CouldNotStart) << quint64(125) << 125;
}

void tst_TraceEndRecord::endings()
{
    QFETCH(TraceEnd, end);
    QFETCH(quint64, how);
    QFETCH(quint64, status);
    QFETCH(int, exitStatus);
    QCOMPARE(end.how, how);
    QCOMPARE(end.status, status);
    QCOMPARE(TraceEndRecord::exitStatus(end), exitStatus);
}

void tst_TraceEndRecord::appendedAfterTheTracersRecords()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.lltrace"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(Test::sampleTrace(false).bytes());
    f.close();
    QVERIFY(
        TraceEndRecord::append(QFile::encodeName(path), TraceEndRecord::fromProcess(SIGINT, true)));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const TraceRecording r = TraceReader::read(f.readAll());
    QVERIFY2(r.isComplete(), qPrintable(r.error.toString()));
    QCOMPARE(r.events.size(), size_t(15));
    QCOMPARE(r.end->how, quint64(TraceEnd::Signalled));
    QCOMPARE(r.end->status, quint64(SIGINT));
}

void tst_TraceEndRecord::anEmptyFileGetsItsHeaderFirst()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.lltrace"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    QVERIFY(TraceEndRecord::append(QFile::encodeName(path), TraceEndRecord::couldNotStart()));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QCOMPARE(bytes.size(), TraceReader::HeaderSize + 3);
    const TraceRecording r = TraceReader::read(bytes);
    QVERIFY2(r.isComplete(), qPrintable(r.error.toString()));
    QCOMPARE(r.end->how, quint64(TraceEnd::CouldNotStart));
    QCOMPARE(r.end->status, quint64(125));
}

void tst_TraceEndRecord::aFileThatCannotBeOpenedIsAnError()
{
    QTemporaryDir dir;
    QVERIFY(!TraceEndRecord::append(QFile::encodeName(dir.filePath(QStringLiteral("no/t.lltrace"))),
                                    TraceEndRecord::fromWaitStatus(0)));
}

QTEST_GUILESS_MAIN(tst_TraceEndRecord)
#include "tst_traceendrecord.moc"
