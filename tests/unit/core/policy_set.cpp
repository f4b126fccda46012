#include <agentkit/core/policy_set.hpp>

#include <gtest/gtest.h>

#include <type_traits>

namespace {
struct slot_a {};
struct slot_b {};
struct slot_c {};
template <class P>
struct bind_a : agentkit::slot_binding<slot_a, P> {};
template <class P>
struct bind_b : agentkit::slot_binding<slot_b, P> {};
}  // namespace

TEST(PolicySet, OrderOfSlotsDoesNotMatter) {
    using one = agentkit::policy_set<bind_a<int>, bind_b<double>>;
    using two = agentkit::policy_set<bind_b<double>, bind_a<int>>;
    static_assert(std::is_same_v<one::get<slot_a, void>, int>);
    static_assert(std::is_same_v<two::get<slot_a, void>, int>);
    static_assert(std::is_same_v<one::get<slot_b, void>, double>);
    static_assert(std::is_same_v<two::get<slot_b, void>, double>);
    SUCCEED();
}

TEST(PolicySet, MissingSlotsTakeTheDefault) {
    using set = agentkit::policy_set<bind_a<int>>;
    static_assert(std::is_same_v<set::get<slot_c, char>, char>);
    static_assert(set::binds<slot_a>);
    static_assert(!set::binds<slot_c>);
    using empty = agentkit::policy_set<>;
    static_assert(std::is_same_v<empty::get<slot_a, long>, long>);
    SUCCEED();
}
