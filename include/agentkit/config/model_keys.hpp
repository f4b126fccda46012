#pragma once
// Seed keys of the model layer (Flynn's models.router block):
//   models.router.tiers.<tier>: "provider:model"          -> router::config::tiers
//   models.router.delegation.<task>: tier                 -> router::config::delegation (the seeds write the
//                                                            tasks camelCase: memoryExtraction = memory_extraction)
//   models.router.tierFallbacks.<tier>: [targets]         -> router::config::tier_fallbacks
//   models.router.fallbackChain: [targets]                -> router::config::fallback_chain
//   models.router.prices.<target>: {inputPerMillion, outputPerMillion} -> router::config::prices
//   models.router.retry.*                                 -> retry / backoff / classifier (resilience_keys.hpp)
//   models.router.circuitBreaker.*, models.router.bulkhead.* -> per-provider breaker and bulkhead
#include <agentkit/config/codecs.hpp>
#include <agentkit/config/resilience_keys.hpp>
#include <agentkit/model/router.hpp>

#include <map>
#include <string>
#include <string_view>

namespace agentkit::config {

template <class V>
void visit(V& v, model::model_price& c) {
    v.number("inputPerMillion", c.input_per_million, 0.0, 1e9);
    v.number("outputPerMillion", c.output_per_million, 0.0, 1e9);
}

namespace detail {
// The seeds' camelCase task names <-> the router's built-in snake_case ones; other names pass verbatim.
inline constexpr std::pair<std::string_view, std::string_view> task_names[] = {
    {"memoryExtraction", "memory_extraction"},
    {"toolSummarization", "tool_summarization"},
    {"complexReasoning", "complex_reasoning"},
};
inline std::string task_from_seed(std::string_view name) {
    for (auto [seed, ours] : task_names)
        if (name == seed) return std::string(ours);
    return std::string(name);
}
inline std::string task_to_seed(std::string_view name) {
    for (auto [seed, ours] : task_names)
        if (name == ours) return std::string(seed);
    return std::string(name);
}
}  // namespace detail

template <class V>
void visit(V& v, model::router::config& c) {
    v.map("tiers", c.tiers, string_codec{});
    if constexpr (V::loading) {
        std::map<std::string, std::string> written;
        if (v.find("delegation")) {
            v.map("delegation", written, string_codec{});
            std::map<std::string, std::string> tasks = c.delegation;
            for (auto& [task, tier] : written) {
                const std::string ours = detail::task_from_seed(task);
                // Both spellings of one task in one file would be ambiguous.
                if (ours != task && written.contains(ours))
                    throw_invalid_field(v.key_path("delegation") + "." + task, "also written as " + ours);
                tasks[ours] = tier;
            }
            c.delegation = std::move(tasks);
        }
    } else {
        std::map<std::string, std::string> seed;
        for (const auto& [task, tier] : c.delegation) seed[detail::task_to_seed(task)] = tier;
        v.map("delegation", seed, string_codec{});
    }
    v.map("tierFallbacks", c.tier_fallbacks, string_list_codec{});
    v.strings("fallbackChain", c.fallback_chain);
    v.map("prices", c.prices, object_codec<model::model_price>{});
    v.section("retry", [&](auto& sub) { visit(sub, retry_keys{c.retry, c.backoff, c.classifier}); });
    v.section("circuitBreaker", [&](auto& sub) { visit(sub, c.breaker); });
    v.section("bulkhead", [&](auto& sub) { visit(sub, c.bulkhead); });
}

}  // namespace agentkit::config
