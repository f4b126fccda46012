#pragma once
// `none`: the policy that is not there. A slot given `none` holds an empty member (no storage, thanks to
// [[no_unique_address]]) and every branch on it is an `if constexpr` that compiles away.
#include <type_traits>

namespace agentkit {

struct none {
    friend constexpr bool operator==(none, none) noexcept { return true; }
};

template <class T>
inline constexpr bool is_none_v = std::is_same_v<std::remove_cvref_t<T>, none>;

}  // namespace agentkit
