// SPDX-License-Identifier: MIT
#include "traceendrecord.h"

#include "tracereader.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Lifeline {

namespace {

bool writeAll(int fd, const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace

TraceEnd TraceEndRecord::fromWaitStatus(int status)
{
    return WIFSIGNALED(status) ? TraceEnd { TraceEnd::Signalled, quint64(WTERMSIG(status)) }
                               : TraceEnd { TraceEnd::Exited, quint64(WEXITSTATUS(status)) };
}

TraceEnd TraceEndRecord::fromProcess(int code, bool crashed)
{
    return { crashed ? TraceEnd::Signalled : TraceEnd::Exited, quint64(code) };
}

TraceEnd TraceEndRecord::couldNotStart()
{
    return { TraceEnd::CouldNotStart, quint64(OwnFailure) };
}

int TraceEndRecord::exitStatus(const TraceEnd &end)
{
    switch (end.how) {
    case TraceEnd::Signalled:
        return 128 + int(end.status);
    case TraceEnd::CouldNotStart:
        return OwnFailure;
    default:
        return int(end.status);
    }
}

bool TraceEndRecord::append(const QByteArray &path, const TraceEnd &end)
{
    const int fd = open(path.constData(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return false;
    QByteArray bytes;
    struct stat st = {};
    if (fstat(fd, &st) == 0 && st.st_size == 0) {
        bytes += TraceReader::magic().toByteArray();
        bytes += char(TraceReader::FormatVersion);
        bytes += QByteArray(3, '\0');
    }
    bytes += char(0x0D);
    for (quint64 v : { end.how, end.status }) {
        do {
            const quint8 low = v & 0x7f;
            v >>= 7;
            bytes += char(v ? low | 0x80 : low);
        } while (v);
    }
    const bool ok = writeAll(fd, bytes);
    return close(fd) == 0 && ok;
}

} // namespace Lifeline
