#pragma once
// memory::trim — LangChain's trim_messages as a compaction policy: when the history is over max_tokens,
// keep the newest (strategy last) or oldest (strategy first) messages that fit, optionally keeping the
// system prompt, and (strategy last) starting the kept part on a user turn. Nothing is summarised: what is
// cut is gone. Tool calls and their results are kept or cut together; allow_partial is not offered.
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/memory/compaction_metrics.hpp>
#include <agentkit/memory/compaction_policy.hpp>
#include <agentkit/memory/conversation_tokens.hpp>
#include <agentkit/memory/tool_pairs.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace agentkit::memory {

enum class trim_strategy { last, first };

struct trim_config {
    std::size_t max_tokens = 0;  // 0: threshold_pct of the context window
    double threshold_pct = 75;
    trim_strategy strategy = trim_strategy::last;
    bool include_system = true;                 // keep a leading system message
    std::optional<role> start_on = role::user;  // strategy last: the kept part starts on this role
    void validate() const {
        if (!(threshold_pct > 0 && threshold_pct <= 100))
            throw_invalid_field("trim.threshold_pct", "must be in (0, 100]");
    }
};

template <text::token_counter Counter = text::chars_per_token<4>>
class trim : public detail::compaction_reporting<trim<Counter>> {
    using reporting = detail::compaction_reporting<trim<Counter>>;

public:
    using config = trim_config;
    static constexpr std::string_view metrics_name = "trim";  // attach_metrics' default instance
    trim() = default;
    explicit trim(config cfg, Counter counter = Counter{}) : cfg_(cfg), tally_(std::move(counter)) { cfg_.validate(); }

    bool maybe_compact(conversation& history, std::size_t context_window) {
        const auto budget = cfg_.max_tokens
            ? cfg_.max_tokens
            : static_cast<std::size_t>(cfg_.threshold_pct * static_cast<double>(context_window) / 100.0);
        const auto before = tally_.total(history);
        if (before <= budget) return false;
        const auto msgs = history.messages();
        const bool keep_system = cfg_.include_system && history.system_prompt();
        const std::size_t head = keep_system ? 1 : 0;
        std::size_t used = keep_system ? tally_.tokens(msgs[0]) : 0;
        const auto body = msgs.subspan(head);
        const auto units = tool_units(body);
        auto unit_tokens = [&](std::pair<std::size_t, std::size_t> u) {
            std::size_t n = 0;
            for (auto i = u.first; i < u.second; ++i) n += tally_.tokens(body[i]);
            return n;
        };
        std::vector<message> kept;
        if (keep_system) kept.push_back(msgs[0]);
        if (cfg_.strategy == trim_strategy::last) {
            std::size_t from = body.size();
            for (auto u = units.rbegin(); u != units.rend(); ++u) {
                const auto n = unit_tokens(*u);
                if (used + n > budget) break;
                used += n;
                from = u->first;
            }
            if (cfg_.start_on)
                while (from < body.size() && body[from].role() != *cfg_.start_on) ++from;
            // skipping forward can land inside a tool unit only at its results: skip those too
            while (from < body.size() && body[from].role() == role::tool) ++from;
            kept.insert(kept.end(), body.begin() + static_cast<std::ptrdiff_t>(from), body.end());
        } else {
            std::size_t to = 0;
            for (const auto& u : units) {
                const auto n = unit_tokens(u);
                if (used + n > budget) break;
                used += n;
                to = u.second;
            }
            kept.insert(kept.end(), body.begin(), body.begin() + static_cast<std::ptrdiff_t>(to));
        }
        if (kept.size() == msgs.size()) return false;
        ++trims_;
        history.replace(0, history.size(), std::move(kept));
        if (metrics_.runs) metrics_.compacted(before, tally_.total(history));
        return true;
    }
    std::size_t trims() const noexcept { return trims_; }

private:
    config cfg_{};
    conversation_tokens<Counter> tally_{};
    std::size_t trims_ = 0;
    using reporting::metrics_;
};

static_assert(compaction_policy<trim<>>);

}  // namespace agentkit::memory
