#pragma once
// memory::clear_tool_results — Anthropic's context editing (clear_tool_uses) as a compaction policy: once
// the history reaches trigger_tokens, replace the content of old tool results with a short placeholder,
// keeping the last keep_tool_uses tool uses intact and never touching tools named in exclude_tools.
// Messages stay where they are, so call/result pairs stay whole; only their bulk goes.
#include <agentkit/core/conversation.hpp>
#include <agentkit/memory/compaction_metrics.hpp>
#include <agentkit/memory/compaction_policy.hpp>
#include <agentkit/memory/conversation_tokens.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace agentkit::memory {

struct clear_tool_results_config {
    std::size_t trigger_tokens = 100000;     // trigger: input_tokens at which clearing starts
    std::size_t keep_tool_uses = 3;          // keep: the most recent tool uses left intact
    std::size_t clear_at_least_tokens = 0;   // clear_at_least: skip clearing that would free less than this
    std::vector<std::string> exclude_tools;  // exclude_tools: results of these tools are never cleared
    bool clear_tool_inputs = false;          // clear_tool_inputs: also blank the call's arguments
    std::string placeholder = "[tool result cleared to save context]";
};

template <text::token_counter Counter = text::chars_per_token<4>>
class clear_tool_results : public detail::compaction_reporting<clear_tool_results<Counter>> {
    using reporting = detail::compaction_reporting<clear_tool_results<Counter>>;

public:
    using config = clear_tool_results_config;
    static constexpr std::string_view metrics_name = "clear_tool_results";  // attach_metrics' default instance
    clear_tool_results() = default;
    explicit clear_tool_results(config cfg, Counter counter = Counter{})
        : cfg_(std::move(cfg)), tally_(std::move(counter)) {}

    bool maybe_compact(conversation& history, std::size_t /*context_window*/) {
        const auto before = tally_.total(history);
        if (before < cfg_.trigger_tokens) return false;
        // Tool uses in order: (assistant index, call index, result index, tool name).
        std::unordered_map<std::string, std::pair<std::size_t, std::string>>
            call_of;  // call id -> (assistant idx, name)
        struct use {
            std::size_t assistant, result;
            std::string name;
        };
        std::vector<use> uses;
        for (std::size_t i = 0; i < history.size(); ++i) {
            const auto& m = history[i];
            for (const auto& c : m.tool_calls()) call_of[c.id] = {i, c.name};
            if (m.role() == role::tool)
                if (auto it = call_of.find(m.tool_call_id()); it != call_of.end())
                    uses.push_back({it->second.first, i, it->second.second});
        }
        if (uses.size() <= cfg_.keep_tool_uses) return false;
        uses.resize(uses.size() - cfg_.keep_tool_uses);
        std::vector<use> targets;
        std::size_t freed = 0;
        for (const auto& u : uses) {
            if (std::find(cfg_.exclude_tools.begin(), cfg_.exclude_tools.end(), u.name) != cfg_.exclude_tools.end())
                continue;
            const auto& m = history[u.result];
            if (m.content() == cfg_.placeholder) continue;
            const auto now = tally_.tokens(m);
            const auto after = tally_.counter().count(cfg_.placeholder) + (now - m.token_count(tally_.counter()));
            freed += now > after ? now - after : 0;
            targets.push_back(u);
        }
        if (targets.empty() || freed < cfg_.clear_at_least_tokens) return false;
        for (const auto& u : targets) {
            history.at(u.result).set_content(cfg_.placeholder);
            if (cfg_.clear_tool_inputs) {
                const auto& a = history[u.assistant];
                std::vector<tool_call> calls = a.tool_calls();
                for (auto& c : calls)
                    if (c.id == history[u.result].tool_call_id()) c.arguments = "{}";
                auto rebuilt = message::assistant(a.content(), std::move(calls));
                rebuilt.set_name(a.name());
                rebuilt.set_importance(a.importance());
                history.at(u.assistant) = std::move(rebuilt);
            }
        }
        cleared_ += targets.size();
        ++runs_;
        if (metrics_.runs) metrics_.compacted(before, tally_.total(history));
        return true;
    }
    std::size_t cleared() const noexcept { return cleared_; }
    std::size_t runs() const noexcept { return runs_; }

private:
    config cfg_{};
    conversation_tokens<Counter> tally_{};
    std::size_t cleared_ = 0;
    std::size_t runs_ = 0;
    using reporting::metrics_;
};

static_assert(compaction_policy<clear_tool_results<>>);

}  // namespace agentkit::memory
