// SPDX-License-Identifier: MIT
#pragma once
// Splits a `print` template into Template parts once, at load time: {arg}, {query}, {exc},
// {exc_type}, and {{ / }} for literal braces. The caller says which placeholders its context
// allows; every problem is returned as a message. Never evaluates a template.

#include "scenario.h"

#include <QString>
#include <QStringList>

namespace Lifeline {

class TemplateParser
{
public:
    enum Allowed : int {
        AllowArg = 1, // in a resource's phases
        AllowQuery = 2, // in the execute phase
        AllowExc = 4, // lexically inside an except body of the same function
    };

    // Parts of `text` (adjacent text merged, braces unescaped); problems are appended to
    // `errors`, one message each.
    static Template parse(const QString &text, int allowed, QStringList *errors);
};

} // namespace Lifeline
