#pragma once
// storage::backend — the agent's storage slot: persist a session's messages, read the recent ones back.
// The smallest storage concept; the others, each in its own header:
//   message_store      sessions and messages (message_store.hpp)
//   kv_store           key-value namespaces (kv_store.hpp)
//   graph_store        the knowledge graph (graph_store.hpp)
//   store_maintenance  pruning by ttl and max_sessions (store_maintenance.hpp)
//   session_store      all four: what both shipped backends provide (session_store.hpp)
// Included here so code that named session_store through this header still finds it.
#include <agentkit/core/message.hpp>
#include <agentkit/storage/session_store.hpp>

#include <concepts>
#include <cstddef>
#include <string_view>
#include <vector>

namespace agentkit::storage {

/// @brief The storage slot of an agent (`with_storage<B>`): where a session's messages are kept.
/// @details `store.append(session, message)` persists one message, `store.last(session, n)` reads the latest
/// `n` back in order (an agent resumes its session from them). Models: `sqlite` (a file), `memory_backend`.
/// Default: none (the history lives only in the agent).
/// @tparam B the backend.
template <class B>
concept backend = requires(B& store, std::string_view session, const message& m, std::size_t n) {
    store.append(session, m);
    { store.last(session, n) } -> std::convertible_to<std::vector<message>>;
};

}  // namespace agentkit::storage
