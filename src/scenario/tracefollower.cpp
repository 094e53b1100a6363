// SPDX-License-Identifier: MIT
#include "tracefollower.h"

#include "slicegate.h"
#include "tracescenario.h"

#include <QDeadlineTimer>
#include <QTimer>

namespace Lifeline {

TraceFollower::TraceFollower(const QString &path, QObject *parent)
    : QObject(parent)
    , m_file(path)
    , m_recording(std::make_shared<TraceRecording>())
    , m_reader(m_recording.get())
    , m_timer(new QTimer(this))
{
    m_recording->growing = true;
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &TraceFollower::slice);
}

TraceFollower::~TraceFollower() = default;

void TraceFollower::start()
{
    if (!m_finished)
        m_timer->start(0);
}

void TraceFollower::finish()
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_timer->start(0);
}

bool TraceFollower::readFile()
{
    // Unbuffered: every read asks the file itself, so bytes appended since are seen.
    if (!m_file.isOpen() && !m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return false; // not created yet
    const qint64 size = m_file.size();
    if (size <= m_offset)
        return false;
    const qint64 want = std::min(size - m_offset, ReadBytes);
    QByteArray bytes(want, Qt::Uninitialized);
    const qint64 got = m_file.read(bytes.data(), want);
    if (got <= 0)
        return false;
    bytes.truncate(got);
    m_offset += got;
    m_reader.append(bytes);
    return m_offset < size;
}

void TraceFollower::slice()
{
    // What this pass of the event loop has left (SliceGate); none: the next pass reads.
    const qint64 allowance = SliceGate::current().allowance(SliceMs * 1'000'000);
    if (!allowance) {
        m_timer->start(0);
        return;
    }
    const QDeadlineTimer deadline(std::chrono::nanoseconds(allowance), Qt::PreciseTimer);
    const qint64 before = m_reader.offset();
    const size_t eventsBefore = m_recording->events.size();
    bool more = readFile();
    more = !m_reader.readSome(deadline) || more;
    // Once finishing, the file holds all there is: done when it is all read.
    if (m_finishing && !more)
        more = !m_reader.finish(deadline);
    if (m_finishing && !more) {
        m_recording->growing = false;
        m_finished = true;
    }
    // A big block joins the recording over several slices, each a part a replay can take.
    if (m_reader.offset() != before || m_recording->events.size() != eventsBefore || m_finished)
        afterRead();
    if (m_finished) {
        m_file.close();
        Q_EMIT finished();
        return;
    }
    // More now, or the next look at the file.
    m_timer->start(more ? 0 : PollMs);
}

void TraceFollower::afterRead()
{
    const TraceRecording &r = *m_recording;
    // The tracer writes META (the clock, which a replay's time unit depends on) and the program's
    // SOURCE before anything else, in its first hand-over.
    const bool justOpened = !m_scenario && (r.meta.contains(QStringLiteral("clock")) || m_finished);
    if (justOpened)
        m_scenario = TraceScenario::fromRecording(m_recording);
    if (m_scenario) {
        TraceScenario::addResources(r, m_scenario.get());
        if (m_finished)
            m_scenario->description = TraceScenario::description(r);
    }
    if (justOpened)
        Q_EMIT opened();
    if (m_scenario)
        Q_EMIT grew();
}

} // namespace Lifeline
