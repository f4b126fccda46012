#pragma once
// The compaction slot's concept: a policy that, given a conversation and the model's context window in
// tokens, shrinks the conversation when it decides to (and says whether it did).
#include <agentkit/core/conversation.hpp>

#include <concepts>
#include <cstddef>

namespace agentkit::memory {

template <class P>
concept compaction_policy = requires(P& policy, conversation& history, std::size_t context_window) {
    { policy.maybe_compact(history, context_window) } -> std::convertible_to<bool>;
};

}  // namespace agentkit::memory
