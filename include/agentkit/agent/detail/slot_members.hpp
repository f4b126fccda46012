#pragma once
// What agent<...> holds in each slot and how a configured constructor fills it: the member type of a slot
// (empty_slot when the agent type binds no policy to it), the in-place construction of policies that cannot
// move, the pick of the value given for a slot (use_<slot>), and one static_assert per misuse of a slot value.
#include <agentkit/agent/slots.hpp>
#include <agentkit/cache/cache_policy.hpp>
#include <agentkit/memory/summarizer.hpp>
#include <agentkit/resilience/backoff_policy.hpp>
#include <agentkit/resilience/retry.hpp>
#include <agentkit/resilience/retry_policy.hpp>

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

namespace agentkit::detail {

template <class Slot>
struct empty_slot {};

template <class P>
struct cache_member {
    using type = empty_slot<slot::cache>;
};
template <cache::cache_policy P>
struct cache_member<P> {
    using type = typename P::template cache_type<std::string, std::string>;
};
// The retry slot holds a complete retry policy; a bare backoff policy P stands for resilience::retry<P>.
template <class P>
struct retry_member {
    using type = empty_slot<slot::retry>;
};
template <class P>
requires resilience::retry_policy<P>
struct retry_member<P> {
    using type = P;
};
template <class P>
requires(!resilience::retry_policy<P> && resilience::backoff_policy<P>) struct retry_member<P> {
    using type = resilience::retry<P>;
};
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

// A model that retries by itself (model::router: per provider, under router::config::retry).
template <class M>
concept self_retrying_model = requires {
    requires M::retries_itself;
};
// A compaction policy built from (its config, a summariser chosen at run time).
template <class C>
concept summarizer_bound_compaction = requires {
    typename C::config;
}
&&std::is_constructible_v<C, typename C::config, memory::callable_summarizer>;

// Building a slot's member from the value given for it (use_<slot>), or by default when none is.
// A movable policy is returned as a prvalue. One that cannot move (a SQLite connection, a cache with its
// mutexes) is built in place instead, as the base of in_place_slot: a [[no_unique_address]] member
// initialised from a function's result needs a move, because potentially-overlapping subobjects get no
// guaranteed copy elision.
struct picked_nothing {};
template <class V>
struct picked {
    V* value;
};
template <class T>
struct in_place_slot : T {
    using policy = T;
    in_place_slot() = default;
    explicit in_place_slot(picked_nothing) : T() {}
    template <class V>
    explicit in_place_slot(picked<V> p) : T(std::move(*p.value)) {}
    using T::operator=;
};
template <class T>
inline constexpr bool is_in_place_slot_v = false;
template <class T>
inline constexpr bool is_in_place_slot_v<in_place_slot<T>> = true;
// The member type the agent declares for a slot's policy T.
template <class T>
using slot_member_t = std::conditional_t<std::is_move_constructible_v<T> || std::is_final_v<T>, T, in_place_slot<T>>;

template <class Slot, class T>
picked_nothing pick_slot() {
    return {};
}
template <class Slot, class T, class First, class... Rest>
auto pick_slot(First& first, Rest&... rest) {
    if constexpr (!std::is_same_v<typename First::slot, Slot>)
        return pick_slot<Slot, T>(rest...);
    else if constexpr (std::is_constructible_v<T, typename First::value_type&&>)
        return picked<typename First::value_type>{&first.value};
    else
        return picked_nothing{};  // a misuse: the constructor's static_assert names it
}
// What a member of declared type Member (slot_member_t<T>) is initialised from.
template <class Slot, class Member, class... Values>
auto slot_init(Values&... values) {
    if constexpr (is_in_place_slot_v<Member>) {
        return pick_slot<Slot, typename Member::policy>(values...);
    } else {
        auto p = pick_slot<Slot, Member>(values...);
        if constexpr (std::is_same_v<decltype(p), picked_nothing>)
            return Member{};
        else
            return Member(std::move(*p.value));
    }
}

// One static_assert per misuse of a slot value, naming the slot: `Member` is what the agent holds there
// (an empty_slot when the agent type binds no policy to it), `Count` how often the slot was given.
template <class Slot, class Member, class Value, std::size_t Count>
struct slot_value_check;
#define AGENTKIT_SLOT_VALUE_CHECK(SLOT)                                                                            \
    template <class Member, class Value, std::size_t Count>                                                        \
    struct slot_value_check<slot::SLOT, Member, Value, Count> {                                                    \
        static_assert(!is_empty_slot_v<Member>,                                                                    \
                      "agentkit::agent: use_" #SLOT                                                                \
                      "(...) is given, but this agent type "                                                       \
                      "binds no policy to the " #SLOT " slot (add with_" #SLOT "<P>)");                            \
        static_assert(is_empty_slot_v<Member> || std::is_constructible_v<Member, Value>,                           \
                      "agentkit::agent: the value given with use_" #SLOT "(...) cannot make the " #SLOT            \
                      " slot's policy (give the policy object, or what it is constructed from, e.g. its config)"); \
        static_assert(Count <= 1, "agentkit::agent: use_" #SLOT "(...) is given more than once");                  \
        static constexpr bool value = true;                                                                        \
    };
AGENTKIT_SLOT_VALUE_CHECK(tokens)
AGENTKIT_SLOT_VALUE_CHECK(cache)
AGENTKIT_SLOT_VALUE_CHECK(retry)
AGENTKIT_SLOT_VALUE_CHECK(compaction)
AGENTKIT_SLOT_VALUE_CHECK(storage)
AGENTKIT_SLOT_VALUE_CHECK(hooks)
AGENTKIT_SLOT_VALUE_CHECK(model)
AGENTKIT_SLOT_VALUE_CHECK(tools)
#undef AGENTKIT_SLOT_VALUE_CHECK
template <class Member, class Value, std::size_t Count>
struct slot_value_check<slot::metrics, Member, Value, Count> {
    static_assert(Count <= 1, "agentkit::agent: use_metrics(...) is given more than once");
    static constexpr bool value = true;
};
template <class Member, class Value, std::size_t Count>
struct slot_value_check<slot::config, Member, Value, Count> {
    static_assert(!is_empty_slot_v<Member>,
                  "agentkit::agent: use_config(...) is given, but this agent type has no model slot, so no loop to "
                  "configure (add with_model<P>)");
    static_assert(Count <= 1, "agentkit::agent: use_config(...) is given more than once");
    static constexpr bool value = true;
};

}  // namespace agentkit::detail
