#pragma once
// The storage slot's concept: a backend persists the messages of sessions and reads recent ones back.
#include <agentkit/core/message.hpp>

#include <concepts>
#include <cstddef>
#include <string_view>
#include <vector>

namespace agentkit::storage {

template <class B>
concept backend = requires(B& store, std::string_view session, const message& m, std::size_t n) {
    store.append(session, m);
    { store.last(session, n) } -> std::convertible_to<std::vector<message>>;
};

}  // namespace agentkit::storage
