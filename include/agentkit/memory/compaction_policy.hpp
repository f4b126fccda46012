#pragma once
// The compaction slot's concept: a policy that, given a conversation and the model's context window in
// tokens, shrinks the conversation when it decides to (and says whether it did).
#include <agentkit/core/conversation.hpp>

#include <concepts>
#include <cstddef>

namespace agentkit::memory {

/// @brief The compaction slot of an agent (`with_compaction<P>`): shrinks a conversation near the context limit.
/// @details `policy.maybe_compact(history, context_window)` compacts `history` when the policy decides to and
/// returns whether it did. Models: `trim`, `clear_tool_results`, `summary_buffer<Summarizer>`,
/// `proactive_compaction<...>`. Default: none (the history grows until the caller trims it).
/// @tparam P the compaction policy.
template <class P>
concept compaction_policy = requires(P& policy, conversation& history, std::size_t context_window) {
    { policy.maybe_compact(history, context_window) } -> std::convertible_to<bool>;
};

}  // namespace agentkit::memory
