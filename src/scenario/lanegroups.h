// SPDX-License-Identifier: MIT
#pragma once
// How a scenario's run numbers its lane groups (LaneInfo::group): resource r's instances are
// group r; after the resources come the asyncio scopes the steps enter, a group each: the
// TaskGroup of every task_group step, then the asyncio.timeout of every timeout step. The
// interpreter assigns them; readers of its log (captions, the inspector) ask here which kind of
// scope an instance lane is, so none indexes the scenario's resources with a scope's group.

#include "scenario.h"

namespace Lifeline {

class LaneGroups
{
public:
    enum class Kind : quint8 { Resource, TaskGroup, Timeout, Unknown };

    static int taskGroup(const Scenario &s) { return int(s.resources.size()); }
    static int timeout(const Scenario &s) { return int(s.resources.size()) + 1; }

    static Kind kind(const Scenario &s, int group)
    {
        if (group >= 0 && size_t(group) < s.resources.size())
            return Kind::Resource;
        if (group == taskGroup(s))
            return Kind::TaskGroup;
        return group == timeout(s) ? Kind::Timeout : Kind::Unknown;
    }
    // The resource whose instances group `group` holds, or null for any other group.
    static const ResourceDef *resource(const Scenario &s, int group)
    {
        return kind(s, group) == Kind::Resource ? &s.resources[size_t(group)] : nullptr;
    }
    // What names the group: the resource's id, `TaskGroup` or `timeout`; empty when unknown.
    static QString label(const Scenario &s, int group)
    {
        switch (kind(s, group)) {
        case Kind::Resource:
            return s.resources[size_t(group)].id;
        case Kind::TaskGroup:
            return QStringLiteral("TaskGroup");
        case Kind::Timeout:
            return QStringLiteral("timeout");
        case Kind::Unknown:
            break;
        }
        return {};
    }
};

} // namespace Lifeline
