#pragma once
// Units compaction may move but never split: an assistant message that calls tools together with the
// tool results answering it. Every other message is a unit of its own. Also the check tests run after
// every compaction: no tool result without its call, no call without its result.
#include <agentkit/core/message.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace agentkit::memory {

// [first, last) index ranges covering `msgs` in order.
inline std::vector<std::pair<std::size_t, std::size_t>> tool_units(std::span<const message> msgs) {
    std::vector<std::pair<std::size_t, std::size_t>> units;
    for (std::size_t i = 0; i < msgs.size();) {
        std::size_t j = i + 1;
        if (msgs[i].role() == role::assistant && !msgs[i].tool_calls().empty()) {
            std::unordered_set<std::string_view> ids;
            for (const auto& c : msgs[i].tool_calls()) ids.insert(c.id);
            while (j < msgs.size() && msgs[j].role() == role::tool && ids.contains(msgs[j].tool_call_id())) ++j;
        }
        units.emplace_back(i, j);
        i = j;
    }
    return units;
}

// Human-readable problems; empty when every tool result follows its call and every call has its result.
inline std::vector<std::string> tool_pairing_problems(std::span<const message> msgs) {
    std::vector<std::string> problems;
    std::unordered_set<std::string> open, answered, called;
    for (std::size_t i = 0; i < msgs.size(); ++i) {
        const auto& m = msgs[i];
        if (m.role() == role::user || (m.role() == role::assistant && !m.tool_calls().empty())) {
            for (const auto& id : open) problems.push_back("tool call " + id + " has no result");
            open.clear();
        }
        for (const auto& c : m.tool_calls()) {
            open.insert(c.id);
            called.insert(c.id);
        }
        if (m.role() == role::tool) {
            if (!called.contains(m.tool_call_id()))
                problems.push_back(std::string("messages[")
                                       .append(std::to_string(i))
                                       .append("] answers unknown call ")
                                       .append(m.tool_call_id()));
            open.erase(m.tool_call_id());
        }
    }
    for (const auto& id : open) problems.push_back("tool call " + id + " has no result");
    return problems;
}

}  // namespace agentkit::memory
