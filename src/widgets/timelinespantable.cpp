// SPDX-License-Identifier: MIT
#include "timelinespantable.h"

#include <algorithm>

namespace Lifeline {

template <typename Before>
qsizetype TimelineSpanTable::partitionIndex(qsizetype lo, qsizetype hi, Before before) const
{
    // std::partition_point over indexes: the spans are chunked, not one array.
    while (lo < hi) {
        const qsizetype mid = lo + (hi - lo) / 2;
        if (before(m_spans[size_t(mid)]))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

qsizetype TimelineSpanTable::firstIndex(double time) const
{
    return partitionIndex(0, count(),
                          [time](const TimelineSpan &s) { return double(s.start) < time; });
}

qsizetype TimelineSpanTable::lastIndex(double time) const
{
    return partitionIndex(0, count(),
                          [time](const TimelineSpan &s) { return double(s.start) <= time; })
        - 1;
}

qsizetype TimelineSpanTable::nextIndex(qsizetype from, double time) const
{
    // The answer is usually a few spans away (a lane zoomed in): look there first.
    const qsizetype n = count();
    constexpr qsizetype Near = 4;
    qsizetype lo = std::max<qsizetype>(from, 0);
    for (const qsizetype stop = std::min(n, lo + Near); lo < stop; ++lo)
        if (double(m_spans[size_t(lo)].start) >= time)
            return lo;
    if (lo >= n)
        return n;
    auto before = [time](const TimelineSpan &s) { return double(s.start) < time; };
    if (!m_large) // fewer than MinCountForLevels spans
        return partitionIndex(lo, n, before);
    const std::vector<qint64> &blockStarts = m_large->blocks;
    const std::vector<qint64> &subStarts = m_large->subs;
    // Far (a summary row zoomed out: a column holds thousands of spans): gallop over the block
    // starts from lo's block for the first block starting at or after `time`, so log(distance)
    // cache-resident probes; then the sub-block starts and the spans of one sub-block.
    auto atOrAfter = [time](qint64 start) { return double(start) >= time; };
    const qsizetype blocks = qsizetype(blockStarts.size());
    qsizetype known = lo / StartBlock; // a block starting before `time`: it holds lo - 1
    qsizetype probe = known + 1;
    for (qsizetype step = 1; probe < blocks && !atOrAfter(blockStarts[size_t(probe)]); step *= 2) {
        known = probe;
        probe += step;
    }
    const auto blockIt = std::partition_point(blockStarts.begin() + known + 1,
                                              blockStarts.begin() + std::min(probe, blocks),
                                              [&](qint64 start) { return !atOrAfter(start); });
    const qsizetype block = qsizetype(blockIt - blockStarts.begin()); // or blocks
    qsizetype first = std::max(lo, (block - 1) * StartBlock);
    qsizetype last = std::min(n, block * StartBlock);
    const qsizetype subs = qsizetype(subStarts.size());
    const auto subIt = std::partition_point(
        subStarts.begin() + first / StartSubBlock + 1,
        subStarts.begin() + std::min(subs, (last + StartSubBlock - 1) / StartSubBlock),
        [&](qint64 start) { return !atOrAfter(start); });
    const qsizetype sub = qsizetype(subIt - subStarts.begin());
    first = std::max(first, (sub - 1) * StartSubBlock);
    last = std::min(last, sub * StartSubBlock);
    return partitionIndex(first, last, before);
}

const std::vector<TimelineSpanTable::Level> &TimelineSpanTable::levels() const
{
    static const std::vector<Level> none;
    return m_large ? m_large->levels : none;
}

qsizetype TimelineSpanTable::representative(qsizetype first, qsizetype last) const
{
    first = std::max<qsizetype>(first, 0);
    last = std::min(last, count());
    if (first >= last)
        return -1;
    Q_ASSERT(!needsRefresh());
    Best best { std::numeric_limits<qint64>::min(), 0 };
    bool any = false;
    auto consider = [&](Best b) {
        best = any ? better(best, b) : b;
        any = true;
    };
    const std::vector<Level> &levels = this->levels();
    auto value = [&](size_t level, qsizetype j) {
        return level == 0 ? leaf(j) : levels[level - 1][size_t(j)];
    };
    qsizetype lo = first;
    qsizetype hi = last;
    size_t level = 0;
    while (lo < hi) {
        if (level == levels.size() || hi - lo < 2 * Fanout) {
            for (qsizetype j = lo; j < hi; ++j)
                consider(value(level, j));
            break;
        }
        while (lo < hi && lo % Fanout)
            consider(value(level, lo++));
        while (lo < hi && hi % Fanout)
            consider(value(level, --hi));
        lo /= Fanout;
        hi /= Fanout;
        ++level;
    }
    return qsizetype(best.index);
}

void TimelineSpanTable::prefetch(qsizetype first, qsizetype last) const
{
    if (!m_large)
        return; // a short table stays in the cache anyway
    first = std::max<qsizetype>(first, 0);
    last = std::min(last, count());
    if (first >= last)
        return;
    __builtin_prefetch(&m_spans[size_t(last - 1)]);
    const size_t sub = size_t(last / StartSubBlock);
    if (sub < m_large->subs.size())
        __builtin_prefetch(&m_large->subs[sub]);
    const size_t block = size_t(last / StartBlock);
    if (block < m_large->blocks.size())
        __builtin_prefetch(&m_large->blocks[block]);
    // Each level's edges of the range, as representative() walks them.
    qsizetype lo = first;
    qsizetype hi = last;
    for (const Level &level : m_large->levels) {
        lo /= Fanout;
        hi /= Fanout;
        if (lo >= qsizetype(level.size()))
            break;
        __builtin_prefetch(&level[size_t(lo)]);
        __builtin_prefetch(&level[size_t(std::min<qsizetype>(hi, qsizetype(level.size()) - 1))]);
    }
}

void TimelineSpanTable::append(const TimelineSpan &span)
{
    Q_ASSERT(m_spans.empty() || m_spans.back().start <= span.start);
    m_spans.push_back(span);
    const size_t n = m_spans.size();
    if (n == MinCountForLevels) {
        m_large = std::make_unique<LargeTrack>();
        for (size_t i = 0; i < n; i += StartSubBlock) {
            if (i % StartBlock == 0)
                m_large->blocks.push_back(m_spans[i].start);
            m_large->subs.push_back(m_spans[i].start);
        }
    } else if (m_large && (n - 1) % StartSubBlock == 0) {
        if ((n - 1) % StartBlock == 0)
            m_large->blocks.push_back(span.start);
        m_large->subs.push_back(span.start);
    }
}

void TimelineSpanTable::close(qsizetype i, qint64 end, SpanEnd state)
{
    TimelineSpan &s = m_spans[size_t(i)];
    s.end = end;
    s.endBits = qint64(state);
    if (i >= qsizetype(m_dirtyFrom))
        return;
    if (m_large && qsizetype(m_large->closedSince.size()) < count() / Fanout)
        m_large->closedSince.push_back(i);
    else // a short track, or so many that one pass from the first is cheaper
        m_dirtyFrom = quint32(i);
}

void TimelineSpanTable::clear()
{
    m_spans.clear();
    m_large.reset();
    m_dirtyFrom = 0;
}

void TimelineSpanTable::refreshSummary()
{
    const qsizetype n = count();
    if (!m_large) {
        // Small tracks (fewer than MinCountForLevels spans) are scanned directly; a pyramid
        // would cost more than it saves.
        m_dirtyFrom = quint32(n);
        return;
    }
    std::vector<Level> &levels = m_large->levels;
    // Closed spans: recompute the blocks above each, level by level (the pass below redoes any
    // block that also reaches into the changed tail).
    if (!m_large->closedSince.empty()) {
        std::vector<qsizetype> &closed = m_large->closedSince;
        std::sort(closed.begin(), closed.end());
        for (size_t level = 1; level <= levels.size(); ++level) {
            Level &out = levels[level - 1];
            qsizetype previous = -1;
            for (qsizetype &p : closed) {
                p /= Fanout; // the block at this level
                if (p == previous || p >= qsizetype(out.size()))
                    continue;
                previous = p;
                const qsizetype base = p * Fanout;
                Best best = level == 1 ? leaf(base) : levels[level - 2][size_t(base)];
                for (qsizetype t = 1; t < Fanout; ++t)
                    best = better(
                        best, level == 1 ? leaf(base + t) : levels[level - 2][size_t(base + t)]);
                out[size_t(p)] = best;
            }
        }
        closed.clear();
    }
    qsizetype from = m_dirtyFrom; // first changed entry of the level below
    qsizetype below = n; // entries in the level below
    for (size_t level = 1;; ++level) {
        const qsizetype blocks = below / Fanout;
        if (blocks == 0)
            break;
        if (levels.size() < level)
            levels.emplace_back();
        Level &out = levels[level - 1];
        out.resize(size_t(blocks));
        for (qsizetype j = from / Fanout; j < blocks; ++j) {
            const qsizetype base = j * Fanout;
            Best best = level == 1 ? leaf(base) : levels[level - 2][size_t(base)];
            for (qsizetype t = 1; t < Fanout; ++t)
                best = better(best,
                              level == 1 ? leaf(base + t) : levels[level - 2][size_t(base + t)]);
            out[size_t(j)] = best;
        }
        from /= Fanout;
        below = blocks;
    }
    // Drop levels that no longer have a complete block (cannot happen while only appending).
    while (!levels.empty() && levels.back().empty())
        levels.pop_back();
    m_dirtyFrom = quint32(n);
}

size_t TimelineSpanTable::memoryUsage() const
{
    size_t bytes = sizeof(*this) + m_spans.memoryUsage()
        + (m_large ? sizeof(LargeTrack)
                   + (m_large->blocks.capacity() + m_large->subs.capacity()) * sizeof(qint64)
                   : 0);
    for (const Level &level : levels())
        bytes += level.memoryUsage();
    return bytes;
}

} // namespace Lifeline
