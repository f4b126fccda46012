#pragma once
// A compaction policy's Prometheus series (summary_buffer, trim, clear_tool_results attach_metrics):
//   agentkit_compaction_runs_total{policy}          compactions that changed the history
//   agentkit_compaction_tokens_saved_total{policy}  tokens before minus tokens after, summed over those runs
//                                                   (as the policy's own token counter counts them)
// `policy` is the instance name given to attach_metrics. A policy holds pointers to its series, not the
// registry, so it stays a value: a copy reports to the same series, and re-assigning the agent's policy
// takes the new value's series (attach again after assigning an unattached one). The registry must
// outlive every policy attached to it.
#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>

#include <cstddef>
#include <string_view>

namespace agentkit::memory {

// The series one policy updates; both null until attached.
struct compaction_series {
    observe::counter* runs = nullptr;
    observe::counter* tokens_saved = nullptr;

    // One compaction that took the history from `before` to `after` tokens.
    void compacted(std::size_t before, std::size_t after) noexcept {
        if (!runs) return;
        runs->increment();
        if (before > after) tokens_saved->increment(before - after);
    }
};

template <observe::registry Registry>
compaction_series compaction_series_in(Registry& registry, std::string_view policy) {
    compaction_series s;
    s.runs =
        &registry.find_or_add_counter("agentkit_compaction_runs", "Compactions that changed a conversation", {"policy"})
             .with({policy});
    s.tokens_saved =
        &registry
             .find_or_add_counter("agentkit_compaction_tokens_saved",
                                  "Tokens removed from conversations by compaction (before minus after)", {"policy"})
             .with({policy});
    return s;
}

namespace detail {

// What every compaction policy shares for its metrics (a base of Policy, which names its default instance
// in `static constexpr std::string_view metrics_name`): attach_metrics, and the series it fills.
template <class Policy>
class compaction_reporting {
public:
    // Reports each compaction as agentkit_compaction_runs_total and agentkit_compaction_tokens_saved_total
    // with policy="<instance>". Copies of this policy report to the same series. `registry` must outlive the
    // policy and its copies.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view instance = Policy::metrics_name) {
        metrics_ = compaction_series_in(registry, instance);
    }

protected:
    compaction_series metrics_{};
};

}  // namespace detail

}  // namespace agentkit::memory
