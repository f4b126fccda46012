#pragma once
// Seed keys of the memory layer (Flynn's `compaction:` block):
//   compaction.thresholdPct / keepTurns / summaryMaxTokens / importanceThreshold  -> memory::compaction_config
//   compaction.proactive.enabled / warn_pct / checkpoint_pct / auto_compact_pct /
//              checkpoint_cooldown / memory_namespace                           -> memory::proactive_config
#include <agentkit/config/reader.hpp>
#include <agentkit/memory/proactive_signals.hpp>
#include <agentkit/memory/summary_buffer.hpp>

#include <chrono>
#include <cstddef>

namespace agentkit::config {

template <class V>
void visit(V& v, memory::compaction_config& c) {
    v.number("thresholdPct", c.threshold_pct, 0.0, 100.0, true);
    v.integer("keepTurns", c.keep_turns, std::size_t{0}, std::size_t{1} << 20);
    v.integer("summaryMaxTokens", c.summary_max_tokens, std::size_t{1}, std::size_t{1} << 24);
    v.number("importanceThreshold", c.importance_threshold, 0.0, 1.0);
}

template <class V>
void visit(V& v, memory::proactive_config& c) {
    v.boolean("enabled", c.enabled);
    v.number("warn_pct", c.warn_pct, 0.0, 100.0, true);
    v.number("checkpoint_pct", c.checkpoint_pct, 0.0, 100.0, true);
    v.number("auto_compact_pct", c.auto_compact_pct, 0.0, 100.0, true);
    v.duration("checkpoint_cooldown_ms", c.checkpoint_cooldown);
    v.string("memory_namespace", c.memory_namespace, false);
}

}  // namespace agentkit::config
