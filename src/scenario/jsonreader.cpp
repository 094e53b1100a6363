// SPDX-License-Identifier: MIT
// One file past the usual size on purpose: the parser is one state machine (values, strings,
// numbers, keys and their duplicate check, error paths) whose parts share its cursor and stack;
// split up, each piece would need the whole state anyway.

#include "jsonreader.h"

#include "jsonpath.h"

#include <QtAlgorithms>
#include <QtEndian>

#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>

#ifdef Q_OS_LINUX
#include <sys/mman.h>
#endif

namespace Lifeline {

namespace {

// Bytes a string can hold as they are: printable ASCII except the quote and the backslash.
struct PlainBytes
{
    bool plain[256] = {};
    constexpr PlainBytes()
    {
        for (int c = 0x20; c < 0x80; ++c)
            plain[c] = c != '"' && c != '\\';
    }
};
constexpr PlainBytes kPlain;

// Past the bytes a string holds as they are (kPlain), eight at a time while eight remain: a
// byte-wise loop was the parser's largest cost. In each word, a byte is flagged when it is a
// quote, a backslash, below 0x20 or above 0x7F; the lowest flag is always a true one.
const uchar *skipPlain(const uchar *p, const uchar *end)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    auto zeroBytes = [](quint64 x) { return (x - ones) & ~x & highs; };
    while (end - p >= 8) {
        const quint64 w = qFromLittleEndian<quint64>(p);
        const quint64 special = zeroBytes(w ^ (ones * '"')) | zeroBytes(w ^ (ones * '\\'))
            | ((w - ones * 0x20) & ~w & highs) | (w & highs);
        if (special)
            return p + qCountTrailingZeroBits(special) / 8;
        p += 8;
    }
    while (p < end && kPlain.plain[*p])
        ++p;
    return p;
}

// Objects with more keys than this check duplicates with a hash map instead of a scan.
constexpr quint32 kLinearKeyLimit = 16;

// "00E9": upper-case hex, zero-padded, as Unicode and byte values are usually written.
QString hex(int value, int width)
{
    return QString::number(value, 16).toUpper().rightJustified(width, u'0');
}

bool isDigit(uchar c)
{
    return c >= '0' && c <= '9';
}

int hexValue(uchar c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Length of the well-formed UTF-8 sequence at p (Unicode table 3-7), 0 when ill-formed.
int utf8Length(const uchar *p, const uchar *end)
{
    const uchar c = p[0];
    auto cont = [&](int i, uchar lo = 0x80, uchar hi = 0xBF) {
        return p + i < end && p[i] >= lo && p[i] <= hi;
    };
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

int hex4(const uchar *p, const uchar *end)
{
    if (end - p < 4)
        return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
        const int h = hexValue(p[i]);
        if (h < 0)
            return -1;
        value = value * 16 + h;
    }
    return value;
}

void appendUtf8(QByteArray *out, char32_t cp)
{
    if (cp < 0x80) {
        out->append(char(cp));
    } else if (cp < 0x800) {
        out->append(char(0xC0 | (cp >> 6)));
        out->append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out->append(char(0xE0 | (cp >> 12)));
        out->append(char(0x80 | ((cp >> 6) & 0x3F)));
        out->append(char(0x80 | (cp & 0x3F)));
    } else {
        out->append(char(0xF0 | (cp >> 18)));
        out->append(char(0x80 | ((cp >> 12) & 0x3F)));
        out->append(char(0x80 | ((cp >> 6) & 0x3F)));
        out->append(char(0x80 | (cp & 0x3F)));
    }
}

// A large node array is written once from start to end; with 2 MiB pages the kernel takes one
// fault where it would take 512 (faults were a third of loading a 90 MB file).
void adviseHugePages(void *data, size_t bytes)
{
#ifdef Q_OS_LINUX
    constexpr quintptr huge = 2 * 1024 * 1024;
    if (bytes < 4 * huge)
        return;
    const quintptr begin = (quintptr(data) + huge - 1) & ~(huge - 1);
    const quintptr end = (quintptr(data) + bytes) & ~(huge - 1);
    if (end > begin)
        madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
#else
    Q_UNUSED(data);
    Q_UNUSED(bytes);
#endif
}

} // namespace

// The parser's state for one parse() call. Containers are tracked on an explicit stack of
// frames, never by recursion, so no input can exhaust the C stack.
class JsonReader::Parser
{
public:
    Parser(const QByteArray &source, std::vector<JsonValue> *nodes,
           std::unordered_map<quint32, quint32> *farKeys, JsonReader::Error *error)
        : m_begin(reinterpret_cast<const uchar *>(source.constData()))
        , m_p(m_begin)
        , m_end(m_begin + source.size())
        , m_nodes(*nodes)
        , m_farKeys(*farKeys)
        , m_error(error)
    {
        m_frames.reserve(JsonReader::MaxDepth + 1);
        m_keySets.resize(JsonReader::MaxDepth + 1);
    }

    bool run();

private:
    struct Frame
    {
        quint32 node;
        quint32 count; // children completed so far
        quint32 keyBase; // this object's keys start here in m_keys
        bool object;
        bool hashed; // duplicates are checked in m_keySets[depth]
    };
    struct Key
    {
        std::string_view text; // unescaped
        quint32 offset;
    };

    quint32 pos(const uchar *p) const { return quint32(p - m_begin); }
    void skipWhitespace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool parseScalar(quint32 index);
    bool parseNumber(quint32 index);
    bool scanString(bool isKey, quint32 *length, bool *escaped);
    bool scanEscape(const uchar *&p, bool isKey);
    bool parseKey();
    void closeContainer();
    QString found(const uchar *p) const;
    QString path(bool includeChild, QByteArrayView extraKey = {}) const;
    bool fail(const uchar *at, bool includeChild, const QString &message,
              QByteArrayView extraKey = {});

    const uchar *const m_begin;
    const uchar *m_p;
    const uchar *const m_end;
    std::vector<JsonValue> &m_nodes;
    std::unordered_map<quint32, quint32> &m_farKeys;
    JsonReader::Error *m_error;
    std::vector<Frame> m_frames;
    std::vector<Key> m_keys;
    std::vector<std::unordered_map<std::string_view, quint32>> m_keySets; // by depth
    std::deque<std::string> m_unescapedKeys; // stable storage for keys that had escapes
    // The key read for the member whose value comes next.
    bool m_hasKey = false;
    bool m_keyEscaped = false;
    quint32 m_keyOffset = 0;
};

bool JsonReader::Parser::run()
{
    if (m_end - m_p >= 3 && m_p[0] == 0xEF && m_p[1] == 0xBB && m_p[2] == 0xBF)
        m_p += 3;
    skipWhitespace();
    for (;;) {
        // A value is expected at m_p.
        if (m_p == m_end)
            return fail(m_p, true, QStringLiteral("expected a value, found end of file"));
        const quint32 index = quint32(m_nodes.size());
        {
            JsonValue &node = m_nodes.emplace_back();
            node.m_offset = pos(m_p);
            if (m_hasKey) {
                quint32 delta = node.m_offset - m_keyOffset;
                if (delta >= JsonValue::FarKeyDelta) {
                    m_farKeys[index] = m_keyOffset;
                    delta = JsonValue::FarKeyDelta;
                }
                node.m_bits = delta << JsonValue::KeyDeltaShift;
                node.addFlags(m_keyEscaped ? JsonValue::KeyEscapedFlag : 0);
                m_hasKey = false;
            }
        }
        const uchar c = *m_p;
        if (c == '{' || c == '[') {
            if (m_frames.size() >= size_t(JsonReader::MaxDepth)) {
                return fail(m_p, true,
                            QStringLiteral("nesting deeper than %1 arrays and objects")
                                .arg(JsonReader::MaxDepth));
            }
            const bool object = c == '{';
            m_nodes[index].setType(object ? JsonValue::Type::Object : JsonValue::Type::Array);
            m_frames.push_back({ index, 0, quint32(m_keys.size()), object, false });
            ++m_p;
            skipWhitespace();
            if (m_p < m_end && *m_p == (object ? '}' : ']')) {
                ++m_p;
                closeContainer();
            } else if (object) {
                if (!parseKey())
                    return false;
                continue;
            } else {
                continue;
            }
        } else if (!parseScalar(index)) {
            return false;
        }

        // A value has just ended: find what follows it.
        for (;;) {
            skipWhitespace();
            if (m_frames.empty()) {
                if (m_p != m_end) {
                    return fail(m_p, false,
                                QStringLiteral("unexpected %1 after the end of the document")
                                    .arg(found(m_p)));
                }
                return true;
            }
            Frame &frame = m_frames.back();
            ++frame.count;
            const char close = frame.object ? '}' : ']';
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                skipWhitespace();
                if (frame.object && !parseKey())
                    return false;
                break;
            }
            if (m_p < m_end && *m_p == close) {
                ++m_p;
                closeContainer();
                continue;
            }
            return fail(m_p, false,
                        frame.object ? QStringLiteral("expected ',' or '}' after an object member, "
                                                      "found %1")
                                           .arg(found(m_p))
                                     : QStringLiteral("expected ',' or ']' after an array element, "
                                                      "found %1")
                                           .arg(found(m_p)));
        }
    }
}

void JsonReader::Parser::closeContainer()
{
    const Frame &frame = m_frames.back();
    JsonValue &node = m_nodes[frame.node];
    node.m_length = frame.count;
    node.m_size = quint32(m_nodes.size() - frame.node);
    m_keys.resize(frame.keyBase);
    if (frame.hashed)
        m_keySets[m_frames.size()].clear();
    m_frames.pop_back();
}

bool JsonReader::Parser::parseKey()
{
    if (m_p == m_end || *m_p != '"') {
        if (m_p < m_end && *m_p == '}' && m_frames.back().count > 0)
            return fail(m_p, false,
                        QStringLiteral("expected a key after ',', found '}' "
                                       "(a trailing comma is not allowed)"));
        return fail(m_p, false,
                    QStringLiteral("expected a key in double quotes, found %1").arg(found(m_p)));
    }
    const uchar *quote = m_p;
    quint32 length = 0;
    bool escaped = false;
    if (!scanString(true, &length, &escaped))
        return false;

    std::string_view text(reinterpret_cast<const char *>(quote) + 1, length);
    if (escaped) {
        const QByteArray unescaped
            = JsonReader::unescape(QByteArrayView(quote + 1, qsizetype(length)));
        text = m_unescapedKeys.emplace_back(unescaped.constData(), size_t(unescaped.size()));
    }
    Frame &frame = m_frames.back();
    const quint32 keyOffset = pos(quote);
    quint32 firstOffset = 0;
    bool duplicate = false;
    if (!frame.hashed) {
        for (size_t i = frame.keyBase; i < m_keys.size(); ++i) {
            const std::string_view other = m_keys[i].text;
            if (other.size() == text.size()
                && JsonDocument::sameBytes(other.data(), text.data(), text.size())) {
                duplicate = true;
                firstOffset = m_keys[i].offset;
                break;
            }
        }
        if (!duplicate && m_keys.size() - frame.keyBase >= kLinearKeyLimit) {
            auto &set = m_keySets[m_frames.size()];
            for (size_t i = frame.keyBase; i < m_keys.size(); ++i)
                set.emplace(m_keys[i].text, m_keys[i].offset);
            set.emplace(text, keyOffset);
            frame.hashed = true;
        }
    } else {
        const auto [it, inserted] = m_keySets[m_frames.size()].emplace(text, keyOffset);
        duplicate = !inserted;
        firstOffset = it->second;
    }
    if (duplicate) {
        const auto lc = JsonDocument::lineColumns(QByteArrayView(m_begin, m_end - m_begin),
                                                  std::vector<quint32> { firstOffset });
        return fail(quote, false,
                    QStringLiteral("duplicate key \"%1\" (first at line %2, column %3)")
                        .arg(QString::fromUtf8(text.data(), qsizetype(text.size())),
                             QString::number(lc[0].first), QString::number(lc[0].second)),
                    QByteArrayView(text.data(), qsizetype(text.size())));
    }
    m_keys.push_back({ text, keyOffset });

    skipWhitespace();
    if (m_p == m_end || *m_p != ':') {
        return fail(m_p, false,
                    QStringLiteral("expected ':' after the key, found %1").arg(found(m_p)));
    }
    ++m_p;
    skipWhitespace();
    m_hasKey = true;
    m_keyEscaped = escaped;
    m_keyOffset = keyOffset;
    return true;
}

bool JsonReader::Parser::parseScalar(quint32 index)
{
    const uchar c = *m_p;
    if (c == '"') {
        quint32 length = 0;
        bool escaped = false;
        if (!scanString(false, &length, &escaped))
            return false;
        JsonValue &node = m_nodes[index];
        node.setType(JsonValue::Type::String);
        node.m_length = length;
        if (escaped)
            node.addFlags(JsonValue::StringEscapedFlag);
        return true;
    }
    if (c == '-' || isDigit(c))
        return parseNumber(index);
    auto literal = [&](std::string_view word, JsonValue::Type type) {
        if (size_t(m_end - m_p) >= word.size()
            && std::string_view(reinterpret_cast<const char *>(m_p), word.size()) == word) {
            m_p += word.size();
            m_nodes[index].setType(type);
            return true;
        }
        return fail(m_p, true,
                    QStringLiteral("invalid literal: expected %1")
                        .arg(QLatin1String(word.data(), qsizetype(word.size()))));
    };
    if (c == 't')
        return literal("true", JsonValue::Type::True);
    if (c == 'f')
        return literal("false", JsonValue::Type::False);
    if (c == 'n')
        return literal("null", JsonValue::Type::Null);
    if (c == ']' && !m_frames.empty() && !m_frames.back().object && m_frames.back().count > 0) {
        return fail(m_p, true,
                    QStringLiteral("expected a value after ',', found ']' "
                                   "(a trailing comma is not allowed)"));
    }
    return fail(m_p, true,
                QStringLiteral("expected a value (object, array, string, number, true, false or "
                               "null), found %1")
                    .arg(found(m_p)));
}

bool JsonReader::Parser::parseNumber(quint32 index)
{
    const uchar *start = m_p;
    const uchar *p = m_p;
    const bool negative = *p == '-';
    if (negative)
        ++p;
    if (p == m_end || !isDigit(*p)) {
        return fail(
            p, true,
            QStringLiteral("invalid number: expected a digit after '-', found %1").arg(found(p)));
    }
    quint64 magnitude = 0;
    bool overflow = false;
    if (*p == '0') {
        ++p;
        if (p < m_end && isDigit(*p))
            return fail(start, true,
                        QStringLiteral("invalid number: leading zeros are not allowed"));
    } else {
        for (; p < m_end && isDigit(*p); ++p) {
            const unsigned digit = *p - '0';
            // Stop accumulating instead of wrapping; the value is then only flagged.
            if (magnitude > (std::numeric_limits<quint64>::max() - digit) / 10)
                overflow = true;
            else
                magnitude = magnitude * 10 + digit;
        }
    }
    bool whole = true;
    if (p < m_end && *p == '.') {
        whole = false;
        ++p;
        if (p == m_end || !isDigit(*p)) {
            return fail(p, true,
                        QStringLiteral("invalid number: expected a digit after '.', found %1")
                            .arg(found(p)));
        }
        while (p < m_end && isDigit(*p))
            ++p;
    }
    if (p < m_end && (*p == 'e' || *p == 'E')) {
        whole = false;
        ++p;
        if (p < m_end && (*p == '+' || *p == '-'))
            ++p;
        if (p == m_end || !isDigit(*p)) {
            return fail(p, true,
                        QStringLiteral("invalid number: expected a digit in the exponent, found %1")
                            .arg(found(p)));
        }
        while (p < m_end && isDigit(*p))
            ++p;
    }
    JsonValue &node = m_nodes[index];
    node.setType(JsonValue::Type::Number);
    if (whole) {
        node.addFlags(JsonValue::WholeFlag);
        constexpr quint64 maxPositive = quint64(std::numeric_limits<qint64>::max());
        quint64 bits = 0;
        if (overflow || magnitude > maxPositive + (negative ? 1 : 0))
            node.addFlags(JsonValue::OverflowFlag);
        else if (negative)
            bits = magnitude == maxPositive + 1 ? quint64(std::numeric_limits<qint64>::min())
                                                : quint64(-qint64(magnitude));
        else
            bits = magnitude;
        node.m_length = quint32(bits);
        node.m_size = quint32(bits >> 32);
    }
    m_p = p;
    return true;
}

bool JsonReader::Parser::scanString(bool isKey, quint32 *length, bool *escaped)
{
    const uchar *quote = m_p;
    const uchar *p = m_p + 1;
    for (;;) {
        p = skipPlain(p, m_end);
        if (p == m_end) {
            return fail(quote, !isKey,
                        QStringLiteral("unterminated string: no closing quote before the end of "
                                       "file"));
        }
        const uchar c = *p;
        if (c == '"')
            break;
        if (c == '\\') {
            *escaped = true;
            const uchar *escape = p; // p itself stays in a register for the loop above
            if (!scanEscape(escape, isKey))
                return false;
            p = escape;
            continue;
        }
        if (c < 0x20) {
            return fail(p, !isKey,
                        QStringLiteral("control character U+%1 in a string must be escaped")
                            .arg(hex(c, 4)));
        }
        const int n = utf8Length(p, m_end);
        if (n == 0)
            return fail(p, !isKey, QStringLiteral("invalid UTF-8 in a string: %1").arg(found(p)));
        p += n;
    }
    *length = quint32(p - quote - 1);
    m_p = p + 1;
    return true;
}

bool JsonReader::Parser::scanEscape(const uchar *&p, bool isKey)
{
    const uchar *escape = p;
    if (m_end - p < 2)
        return fail(escape, !isKey, QStringLiteral("unterminated escape at the end of file"));
    switch (p[1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        p += 2;
        return true;
    case 'u':
        break;
    default:
        return fail(
            escape, !isKey,
            QStringLiteral("invalid escape \\%1 (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                           "\\uXXXX)")
                .arg(found(p + 1)));
    }
    const int unit = hex4(p + 2, m_end);
    if (unit < 0)
        return fail(escape, !isKey, QStringLiteral("invalid \\u escape: expected four hex digits"));
    p += 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
        return fail(
            escape, !isKey,
            QStringLiteral("lone low surrogate \\u%1 is not valid Unicode").arg(hex(unit, 4)));
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        const int low = m_end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, m_end) : -1;
        if (low < 0xDC00 || low > 0xDFFF) {
            return fail(escape, !isKey,
                        QStringLiteral("lone surrogate \\u%1 is not valid Unicode (a high "
                                       "surrogate must be followed by a \\uDC00-\\uDFFF escape)")
                            .arg(hex(unit, 4)));
        }
        p += 6;
    }
    return true;
}

QString JsonReader::Parser::found(const uchar *p) const
{
    if (p >= m_end)
        return QStringLiteral("end of file");
    const uchar c = *p;
    if (c < 0x20 || c == 0x7F)
        return QStringLiteral("control character U+%1").arg(hex(c, 4));
    if (c < 0x80)
        return u'\'' + QChar(c) + u'\'';
    const int n = utf8Length(p, m_end);
    if (n == 0) {
        return QStringLiteral("invalid UTF-8 byte 0x%1").arg(hex(c, 2));
    }
    return u'\'' + QString::fromUtf8(reinterpret_cast<const char *>(p), n) + u'\'';
}

QString JsonReader::Parser::path(bool includeChild, QByteArrayView extraKey) const
{
    QString text;
    for (size_t i = 0; i < m_frames.size(); ++i) {
        const Frame &frame = m_frames[i];
        const bool last = i + 1 == m_frames.size();
        if (last && !includeChild)
            break;
        if (frame.object) {
            const size_t keyEnd = last ? m_keys.size() : m_frames[i + 1].keyBase;
            if (keyEnd > frame.keyBase) {
                const std::string_view key = m_keys[keyEnd - 1].text;
                JsonPath::appendKey(&text, QByteArrayView(key.data(), qsizetype(key.size())));
            }
        } else {
            JsonPath::appendIndex(&text, frame.count);
        }
    }
    if (!extraKey.isNull())
        JsonPath::appendKey(&text, extraKey);
    return text.isEmpty() ? QStringLiteral("$") : text;
}

bool JsonReader::Parser::fail(const uchar *at, bool includeChild, const QString &message,
                              QByteArrayView extraKey)
{
    m_error->offset = pos(qMin(at, m_end));
    m_error->path = path(includeChild, extraKey);
    m_error->message = message;
    return false;
}

bool JsonReader::parse(const QByteArray &utf8, JsonDocument *document, Error *error)
{
    document->m_source = utf8;
    document->m_nodes.clear();
    if (quint64(utf8.size()) >= std::numeric_limits<quint32>::max()) {
        *error = { 0, QStringLiteral("$"), QStringLiteral("file too large (4 GiB or more)") };
        return false;
    }
    // Scenario files spend roughly 9 to 20 bytes per value. Reserving for 8 avoids regrowth (a
    // copy of the whole array); pages never touched cost nothing.
    document->m_nodes.reserve(size_t(utf8.size() / 8 + 16));
    adviseHugePages(document->m_nodes.data(), document->m_nodes.capacity() * sizeof(JsonValue));
    document->m_farKeys.clear();
    Parser parser(document->m_source, &document->m_nodes, &document->m_farKeys, error);
    if (!parser.run()) {
        document->m_nodes.clear();
        return false;
    }
    return true;
}

QByteArray JsonReader::unescape(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    const auto *p = reinterpret_cast<const uchar *>(raw.data());
    const uchar *end = p + raw.size();
    while (p < end) {
        const uchar *run = p;
        while (p < end && *p != '\\')
            ++p;
        out.append(reinterpret_cast<const char *>(run), p - run);
        if (p + 1 >= end)
            break;
        const uchar e = p[1];
        p += 2;
        switch (e) {
        case 'b':
            out.append('\b');
            break;
        case 'f':
            out.append('\f');
            break;
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'u': {
            char32_t cp = char32_t(hex4(p, end));
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6) {
                const char32_t low = char32_t(hex4(p + 2, end));
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
            }
            appendUtf8(&out, cp);
            break;
        }
        default:
            out.append(char(e));
            break; // " \ /
        }
    }
    return out;
}

} // namespace Lifeline
