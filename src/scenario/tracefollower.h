// SPDX-License-Identifier: MIT
#pragma once
// Follows a .lltrace file that another process is still writing (a live trace): a QTimer looks
// at the file every PollMs for what was appended, and TraceReader reads it in slices of at most
// SliceMs and what the event loop's pass has left (SliceGate), so a burst of events never holds
// the thread.
// The recording it fills grows (TraceRecording::growing) until finish(); so does the Scenario it
// opens as, which gets a class resource per lane group before any lane of that group can reach
// a replay. It never starts, stops or waits for the writer, and never blocks on the file.

#include "scenario.h"
#include "tracereader.h"
#include "tracerecording.h"

#include <QFile>
#include <QObject>
#include <memory>

class QTimer;

namespace Lifeline {

class TraceFollower : public QObject
{
    Q_OBJECT
public:
    // The writer hands events over at least every 40 ms; with this poll an event reaches a
    // window within 100 ms of being written.
    static constexpr int PollMs = 25;
    // At most; the pass's share (SliceGate) is less.
    static constexpr int SliceMs = 4;
    // A slice reads at most this much of the file (about 2 ms of copying at worst).
    static constexpr qint64 ReadBytes = 4 << 20;

    explicit TraceFollower(const QString &path, QObject *parent = nullptr);
    ~TraceFollower() override;

    // Starts polling; the file need not exist yet.
    void start();
    // The writer is done: what the file holds now is all there is. The rest is read, in slices
    // as ever, then the recording stops growing and finished() follows.
    void finish();
    bool isFinished() const { return m_finished; }

    QString path() const { return m_file.fileName(); }
    std::shared_ptr<const TraceRecording> recording() const { return m_recording; }
    // Null until the recording has its first records (the program's META and SOURCE), or until
    // it is finished without any: then what the trace opens as, growing with the recording.
    std::shared_ptr<const Scenario> scenario() const { return m_scenario; }
    qint64 bytesRead() const { return m_reader.offset(); }

Q_SIGNALS:
    // scenario() exists now.
    void opened();
    // More records were read, or the recording stopped growing (a waiting replay goes on).
    void grew();
    void finished();

private:
    void slice();
    // Reads what the file gained, at most ReadBytes; true when it holds more than was read.
    bool readFile();
    void afterRead();

    QFile m_file;
    std::shared_ptr<TraceRecording> m_recording;
    TraceReader m_reader;
    std::shared_ptr<Scenario> m_scenario;
    QTimer *m_timer;
    qint64 m_offset = 0; // of the file, read so far
    bool m_finishing = false;
    bool m_finished = false;
};

} // namespace Lifeline
