#pragma once
// agent<Bindings...>: an agent type assembled from compile-time policies, one per slot, in any order:
//
//   using my_agent = agentkit::agent<agentkit::with_cache<agentkit::cache::lru>,
//                                    agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
//
// Unnamed slots take agentkit::defaults. A slot bound to `none` has no storage (an empty
// [[no_unique_address]] member) and its accessor does not exist, so code that would use it does not compile.
// This is the assembly skeleton; the loop (model, tools, ReAct) builds on it.
#include <agentkit/agent/slots.hpp>
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/policy_set.hpp>

#include <string>
#include <type_traits>
#include <utility>

namespace agentkit {

namespace detail {
// What an empty slot holds: a distinct empty type per slot, so that all of them can share one address
// under [[no_unique_address]] (two members of the same empty type could not) and take no byte at all.
// (They must not share a base class either: two bases of one type cannot share an address.)
template <class Slot>
struct empty_slot {};

// The member a cache policy contributes: its cache for responses (prompt key -> completion text).
template <class P>
struct cache_member {
    using type = empty_slot<slot::cache>;
};
template <cache::cache_policy P>
struct cache_member<P> {
    using type = typename P::template cache_type<std::string, std::string>;
};
// Other slots hold the policy object itself; a policy that fails its slot check becomes empty, so one
// wrong policy gives one error (the slot's static_assert), not a cascade.
template <class Slot, class P, bool Fits>
struct member_if {
    using type = empty_slot<Slot>;
};
template <class Slot, class P>
struct member_if<Slot, P, true> {
    using type = P;
};
template <class T>
inline constexpr bool is_empty_slot_v = false;
template <class Slot>
inline constexpr bool is_empty_slot_v<empty_slot<Slot>> = true;
}  // namespace detail

template <class... Bindings>
class agent {
    using policies = policy_set<Bindings...>;

public:
    using tokens_policy = typename policies::template get<slot::tokens, defaults::tokens>;
    using cache_policy = typename policies::template get<slot::cache, defaults::cache>;
    using retry_policy = typename policies::template get<slot::retry, defaults::retry>;
    using compaction_policy = typename policies::template get<slot::compaction, defaults::compaction>;
    using storage_policy = typename policies::template get<slot::storage, defaults::storage>;
    using transport_policy = typename policies::template get<slot::transport, defaults::transport>;

    using token_counter_type = typename detail::member_if<slot::tokens, tokens_policy, text::token_counter<tokens_policy>>::type;
    using cache_type = typename detail::cache_member<cache_policy>::type;
    using backoff_type = typename detail::member_if<slot::retry, retry_policy, resilience::backoff_policy<retry_policy>>::type;
    using compaction_type = typename detail::member_if<slot::compaction, compaction_policy, memory::compaction_policy<compaction_policy>>::type;
    using storage_type = typename detail::member_if<slot::storage, storage_policy, storage::backend<storage_policy>>::type;
    using transport_type = typename detail::member_if<slot::transport, transport_policy, transport::transport<transport_policy>>::type;

    static constexpr bool has_tokens = !detail::is_empty_slot_v<token_counter_type>;
    static constexpr bool has_cache = !detail::is_empty_slot_v<cache_type>;
    static constexpr bool has_retry = !detail::is_empty_slot_v<backoff_type>;
    static constexpr bool has_compaction = !detail::is_empty_slot_v<compaction_type>;
    static constexpr bool has_storage = !detail::is_empty_slot_v<storage_type>;
    static constexpr bool has_transport = !detail::is_empty_slot_v<transport_type>;

    agent() = default;

    // Accessors exist only for slots that hold a policy.
    const token_counter_type& tokens() const noexcept requires has_tokens { return tokens_; }
    cache_type& cache() noexcept requires has_cache { return cache_; }
    const backoff_type& backoff() const noexcept requires has_retry { return backoff_; }
    compaction_type& compaction() noexcept requires has_compaction { return compaction_; }
    storage_type& storage() noexcept requires has_storage { return storage_; }
    transport_type& transport() noexcept requires has_transport { return transport_; }

    conversation& history() noexcept { return history_; }
    const conversation& history() const noexcept { return history_; }

    // Tokens of the whole history under the agent's counter (cached per message).
    std::size_t history_tokens() const requires has_tokens { return history_.token_count(tokens_); }

private:
    conversation history_;
    [[no_unique_address]] token_counter_type tokens_{};
    [[no_unique_address]] cache_type cache_{};
    [[no_unique_address]] backoff_type backoff_{};
    [[no_unique_address]] compaction_type compaction_{};
    [[no_unique_address]] storage_type storage_{};
    [[no_unique_address]] transport_type transport_{};
};

}  // namespace agentkit
