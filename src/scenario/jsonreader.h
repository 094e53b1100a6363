// SPDX-License-Identifier: MIT
#pragma once
// A single-pass, non-recursive UTF-8 JSON parser (RFC 8259) that keeps every value's and key's
// byte offset, which QJsonDocument cannot. Stricter than the RFC where the scenario format asks:
// duplicate keys, lone surrogate escapes, invalid UTF-8 and nesting deeper than 100 are errors.
// It stops at the first error. It knows nothing about scenarios.

#include "jsondocument.h"

#include <QString>

namespace Lifeline {

class JsonReader
{
public:
    static constexpr int MaxDepth = 100;

    struct Error
    {
        quint32 offset = 0;
        QString path; // `$`, `main[0].with`, ...
        QString message;
    };

    // Parses `utf8` into `document`; false with `error` set at the first problem.
    static bool parse(const QByteArray &utf8, JsonDocument *document, Error *error);

    // Decodes the bytes between a string's quotes (already validated by parse()) to UTF-8.
    static QByteArray unescape(QByteArrayView raw);

private:
    class Parser; // the state of one parse(); a member so it may fill JsonValue's fields
};

} // namespace Lifeline
