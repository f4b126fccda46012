#pragma once
// A token's id is its rank in the vocabulary's rank file (tiktoken's convention: the merge order); no_rank
// stands for bytes that are no token.
#include <cstdint>
#include <limits>

namespace agentkit::text {

using token_id = std::uint32_t;

namespace detail {
inline constexpr token_id no_rank = std::numeric_limits<token_id>::max();
}  // namespace detail

}  // namespace agentkit::text
