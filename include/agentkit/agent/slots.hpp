#pragma once
// The policy slots of agent<...>. Each with_<slot><P> checks P against its slot's concept with one
// readable static_assert that names the slot; the compiler's "in instantiation of with_cache<...>" note
// names the policy. `none` fits every slot and compiles away.
#include <agentkit/agent/hooks.hpp>
#include <agentkit/cache/cache_policy.hpp>
#include <agentkit/core/none.hpp>
#include <agentkit/core/policy_set.hpp>
#include <agentkit/memory/compaction_policy.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/resilience/backoff_policy.hpp>
#include <agentkit/resilience/retry_policy.hpp>
#include <agentkit/storage/backend.hpp>
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/token_counter.hpp>
#include <agentkit/tools/toolbox.hpp>

#include <type_traits>
#include <utility>

namespace agentkit {

namespace slot {
struct tokens {};
struct cache {};
struct retry {};
struct compaction {};
struct storage {};
struct model {};
struct tools {};
struct hooks {};
struct config {};   // not a policy slot: the loop's settings (agent_config), given with use_config
struct metrics {};  // not a policy slot: the registry every part reports to, given with use_metrics
}  // namespace slot

// Whether P fits a slot: the slot's concept, or none.
template <class P>
concept tokens_slot_policy = is_none_v<P> || text::token_counter<P>;
template <class P>
concept cache_slot_policy = is_none_v<P> || cache::cache_policy<P>;
template <class P>
concept retry_slot_policy = is_none_v<P> || resilience::retry_policy<P> || resilience::backoff_policy<P>;
template <class P>
concept compaction_slot_policy = is_none_v<P> || memory::compaction_policy<P>;
template <class P>
concept storage_slot_policy = is_none_v<P> || storage::backend<P>;
template <class P>
concept model_slot_policy = is_none_v<P> || model::provider<P>;
template <class P>
concept tools_slot_policy = is_none_v<P> || tools::toolbox<P>;
template <class P>
concept hooks_slot_policy = is_none_v<P> || hook_chain<P>;

template <class P>
struct with_tokens : slot_binding<slot::tokens, P> {
    static_assert(tokens_slot_policy<P>,
                  "agentkit::with_tokens<P>: P is not a token counter (needs count(std::string_view) -> std::size_t) "
                  "nor agentkit::none");
};
template <class P>
struct with_cache : slot_binding<slot::cache, P> {
    static_assert(
        cache_slot_policy<P>,
        "agentkit::with_cache<P>: P is not a cache policy (needs P::cache_type<Key, Value>) nor agentkit::none");
};
// The retry slot holds a complete retry policy (resilience::retry<Backoff, Classifier>: max attempts, max
// delay, Retry-After, budget). A bare backoff policy P stands for resilience::retry<P> with retry_config's
// defaults; use_retry(resilience::retry_config{...}) configures either.
template <class P>
struct with_retry : slot_binding<slot::retry, P> {
    static_assert(
        retry_slot_policy<P>,
        "agentkit::with_retry<P>: P is neither a retry policy (needs decide(calls_made, failure, previous) -> "
        "resilience::retry_decision, e.g. resilience::retry<...>) nor a backoff policy (needs delay(attempt, "
        "previous, random) -> std::chrono::nanoseconds) nor agentkit::none");
};
template <class P>
struct with_compaction : slot_binding<slot::compaction, P> {
    static_assert(compaction_slot_policy<P>,
                  "agentkit::with_compaction<P>: P is not a compaction policy (needs maybe_compact(conversation&, "
                  "context_window) -> bool) nor agentkit::none");
};
template <class P>
struct with_storage : slot_binding<slot::storage, P> {
    static_assert(storage_slot_policy<P>,
                  "agentkit::with_storage<P>: P is not a storage backend (needs append(session, message) and "
                  "last(session, n)) nor agentkit::none");
};

template <class P>
struct with_model : slot_binding<slot::model, P> {
    static_assert(model_slot_policy<P>,
                  "agentkit::with_model<P>: P is not a model provider (needs complete(const model::chat_request&) -> "
                  "model::chat_response) nor agentkit::none");
};
template <class P>
struct with_tools : slot_binding<slot::tools, P> {
    static_assert(tools_slot_policy<P>,
                  "agentkit::with_tools<P>: P is not a toolbox (needs specs(), contains(name) and invoke(name, "
                  "arguments, stop_token), e.g. tools::tool_set<...> or tools::registry) nor agentkit::none");
};
template <class P>
struct with_hooks : slot_binding<slot::hooks, P> {
    static_assert(hooks_slot_policy<P>,
                  "agentkit::with_hooks<P>: P is not a hook chain (agentkit::hooks<H...> of hooks with before_model, "
                  "after_model or around_tool) nor agentkit::none");
};

// A value for one slot, given to agent<...>'s constructor in any order: the policy object the slot holds, or
// what that object is constructed from (its config). The slots not given are default-constructed.
//   my_agent a{use_model(model::router{rc}),
//              use_storage(storage::sqlite_config{.path = "agent.db"}),
//              use_compaction(memory::compaction_config{.threshold_pct = 60}),
//              use_config({.session = "alice"})};
// A value for a slot the agent type does not bind, one that cannot make the slot's policy, or the same slot
// twice, stops the build with one static_assert naming the slot (agent.hpp).
template <class Slot, class Value>
struct slot_value {
    using slot = Slot;
    using value_type = Value;
    Value value;
};
template <class T>
inline constexpr bool is_slot_value_v = false;
template <class Slot, class Value>
inline constexpr bool is_slot_value_v<slot_value<Slot, Value>> = true;

template <class V>
constexpr slot_value<slot::tokens, std::decay_t<V>> use_tokens(V&& v) {
    return {std::forward<V>(v)};
}
template <class V>
constexpr slot_value<slot::cache, std::decay_t<V>> use_cache(V&& v) {
    return {std::forward<V>(v)};
}
template <class V>
constexpr slot_value<slot::retry, std::decay_t<V>> use_retry(V&& v) {
    return {std::forward<V>(v)};
}
template <class V>
constexpr slot_value<slot::compaction, std::decay_t<V>> use_compaction(V&& v) {
    return {std::forward<V>(v)};
}
template <class V>
constexpr slot_value<slot::storage, std::decay_t<V>> use_storage(V&& v) {
    return {std::forward<V>(v)};
}
template <class V>
constexpr slot_value<slot::model, std::decay_t<V>> use_model(V&& v) {
    return {std::forward<V>(v)};
}
template <class V>
constexpr slot_value<slot::tools, std::decay_t<V>> use_tools(V&& v) {
    return {std::forward<V>(v)};
}
template <class V>
constexpr slot_value<slot::hooks, std::decay_t<V>> use_hooks(V&& v) {
    return {std::forward<V>(v)};
}

// What a slot holds when agent<...> does not name it (docs/policies.md lists these).
namespace defaults {
using tokens = text::chars_per_token<4>;  // the rule-based estimate: cheap, no vocabulary file needed
using cache = none;                       // no response cache unless asked for
using retry = none;                       // no retries unless asked for
using compaction = none;                  // history grows until the caller trims it
using storage = none;                     // history lives only in the agent
using model = none;                       // no model: the agent is a history holder until given one
using tools = none;                       // no tools: the model is not offered any
using hooks = none;                       // no hooks: requests and responses pass unchanged
}  // namespace defaults

}  // namespace agentkit
