#pragma once
// memory::summary_buffer — the compaction policy of Flynn's `compaction` block: when the history reaches
// threshold_pct of the context window, keep the system prompt and the last keep_turns turns verbatim,
// keep every message with importance >= importance_threshold verbatim, and replace the rest with one
// summary of at most summary_max_tokens tokens (the previous summary is folded into the new one).
// A tool call and its results move as one unit: compaction never orphans a tool result.
//
// The decision is O(1) amortised per appended message (conversation_tokens); the work happens only when it
// fires.
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/memory/compaction_metrics.hpp>
#include <agentkit/memory/compaction_policy.hpp>
#include <agentkit/memory/summarizer.hpp>
#include <agentkit/memory/conversation_tokens.hpp>
#include <agentkit/memory/tool_pairs.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::memory {

struct compaction_config {
    double threshold_pct = 75;              // thresholdPct: compact at this share of the context window
    std::size_t keep_turns = 6;             // keepTurns: recent turns kept verbatim
    std::size_t summary_max_tokens = 2048;  // summaryMaxTokens
    float importance_threshold = 0.8f;      // importanceThreshold: messages at or above it are kept verbatim

    void validate() const {
        if (!(threshold_pct > 0 && threshold_pct <= 100))
            throw_invalid_field("compaction.threshold_pct",
                                std::string("must be in (0, 100], got ").append(std::to_string(threshold_pct)));
        if (summary_max_tokens == 0) throw_invalid_field("compaction.summary_max_tokens", "is 0");
        if (!(importance_threshold >= 0.0f && importance_threshold <= 1.0f))
            throw_invalid_field("compaction.importance_threshold", "must be in [0, 1]");
    }
    // The seeds' tuning advice as ready-made configs.
    static compaction_config fast_interactions() { return {60, 2, 512, 0.8f}; }
    static compaction_config complex_reasoning() { return {85, 10, 4096, 0.8f}; }
};

// What compaction did, for metrics and tests.
struct compaction_stats {
    std::size_t checks = 0;  // maybe_compact calls
    std::size_t compactions = 0;
    std::size_t messages_summarized = 0;
    std::size_t messages_preserved = 0;  // important messages kept verbatim out of the compacted range
    std::size_t tokens_before = 0;       // of the last compaction
    std::size_t tokens_after = 0;
};

template <text::token_counter Counter = text::chars_per_token<4>,
          summarizer Summarizer = extractive_summarizer<Counter>>
class summary_buffer : public detail::compaction_reporting<summary_buffer<Counter, Summarizer>> {
    using reporting = detail::compaction_reporting<summary_buffer<Counter, Summarizer>>;

public:
    using config = compaction_config;
    static constexpr std::string_view metrics_name = "summary_buffer";  // attach_metrics' default instance

    summary_buffer() = default;
    explicit summary_buffer(config cfg, Summarizer summarize = Summarizer{}, Counter counter = Counter{})
        : cfg_(cfg), summarize_(std::move(summarize)), tally_(std::move(counter)) {
        cfg_.validate();
    }

    bool maybe_compact(conversation& history, std::size_t context_window) {
        ++stats_.checks;
        const auto used = tally_.total(history);
        if (static_cast<double>(used) * 100.0 < cfg_.threshold_pct * static_cast<double>(context_window)) return false;
        return compact(history);
    }

    // Compacts now, whatever the fill level (proactive auto-compact calls this). False if nothing to do.
    bool compact(conversation& history) {
        const auto msgs = history.messages();
        const std::size_t head = history.system_prompt() ? 1 : 0;
        const auto starts = history.turn_starts();
        if (starts.size() <= cfg_.keep_turns) return false;
        std::size_t keep_from = cfg_.keep_turns == 0 ? msgs.size() : starts[starts.size() - cfg_.keep_turns];
        if (cfg_.keep_turns == 0) {  // never summarise a tool exchange still in progress (its results may follow)
            while (keep_from > head && msgs[keep_from - 1].role() == role::tool) --keep_from;
            if (keep_from > head && !msgs[keep_from - 1].tool_calls().empty())
                --keep_from;
            else
                keep_from = msgs.size();
        }
        if (keep_from <= head) return false;

        std::vector<message> to_summarize, preserved;
        bool new_material = false;
        const auto region = msgs.subspan(head, keep_from - head);
        for (const auto& [first, last] : tool_units(region)) {
            bool important = false;
            for (auto i = first; i < last; ++i) important |= region[i].importance() >= cfg_.importance_threshold;
            for (auto i = first; i < last; ++i) {
                if (important) {
                    preserved.push_back(region[i]);
                } else {
                    to_summarize.push_back(region[i]);
                    new_material |= region[i].name() != summary_name;
                }
            }
        }
        if (!new_material) return false;  // only an old summary and pinned messages left: nothing to gain

        const auto before = tally_.total(history);
        auto text = fit(summarize_(std::span<const message>(to_summarize), cfg_.summary_max_tokens));
        std::vector<message> middle;
        middle.reserve(preserved.size() + 1);
        if (!text.empty()) {
            auto summary = message::system(std::move(text));
            summary.set_name(std::string(summary_name));
            middle.push_back(std::move(summary));
        }
        stats_.messages_summarized += to_summarize.size();
        stats_.messages_preserved += preserved.size();
        for (auto& m : preserved) middle.push_back(std::move(m));
        history.replace(head, keep_from, std::move(middle));
        ++stats_.compactions;
        stats_.tokens_before = before;
        stats_.tokens_after = tally_.total(history);
        metrics_.compacted(stats_.tokens_before, stats_.tokens_after);
        return true;
    }

    const compaction_stats& statistics() const noexcept { return stats_; }
    const config& configuration() const noexcept { return cfg_; }
    std::size_t tokens(const conversation& history) { return tally_.total(history); }

private:
    // A summariser bound to a model may overshoot: cut at the last line that fits summary_max_tokens.
    std::string fit(std::string text) const {
        const auto& counter = tally_.counter();
        if (counter.count(text) <= cfg_.summary_max_tokens) return text;
        std::string out;
        std::size_t pos = 0;
        while (pos < text.size()) {
            auto nl = text.find('\n', pos);
            if (nl == std::string::npos) nl = text.size();
            std::string candidate = out;
            if (!candidate.empty()) candidate.push_back('\n');
            candidate.append(text, pos, nl - pos);
            if (counter.count(candidate) > cfg_.summary_max_tokens) break;
            out = std::move(candidate);
            pos = nl + 1;
        }
        return out;
    }

    config cfg_{};
    Summarizer summarize_{};
    conversation_tokens<Counter> tally_{};
    compaction_stats stats_{};
    using reporting::metrics_;
};

static_assert(compaction_policy<summary_buffer<>>);

}  // namespace agentkit::memory
