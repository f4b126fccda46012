#pragma once
// The provider concept: something that answers a chat_request. A streaming provider also takes a callback
// it calls with each delta as it arrives, and still returns the whole response at the end.
#include <agentkit/model/chat.hpp>

#include <concepts>
#include <functional>

namespace agentkit::model {

using delta_callback = std::function<void(const chat_delta&)>;

template <class P>
concept provider = requires(P& p, const chat_request& request) {
    { p.complete(request) } -> std::same_as<chat_response>;
};

template <class P>
concept streaming_provider = provider<P> && requires(P& p, const chat_request& request, const delta_callback& on_delta) {
    { p.stream(request, on_delta) } -> std::same_as<chat_response>;
};

template <class P>
concept embedding_provider = requires(P& p, const std::vector<std::string>& inputs) {
    { p.embed(inputs) } -> std::same_as<std::vector<std::vector<float>>>;
};

}  // namespace agentkit::model
