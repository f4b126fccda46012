#pragma once
// The provider concept: something that answers a chat_request. A streaming provider also takes a callback
// it calls with each delta as it arrives, and still returns the whole response at the end.
//
// The asynchronous side: a provider whose calls are C++20 coroutines on Boost.Asio, so a caller waiting for
// the model holds no thread.
//   co_await p.async_complete(request)           -> chat_response
//   co_await p.async_stream(request, on_delta)   -> chat_response
//   co_await p.async_embed(inputs)               -> embeddings
// The arguments are borrowed until the awaitable completes (await it in the same expression). on_delta is
// called one delta at a time, in order, while the awaiting coroutine is suspended - on its executor or on the
// transport's (transport::http reads on its own strand). A cancelled call (a cancellation slot bound to
// co_spawn) ends with agentkit::error(errc::cancelled).
#include <agentkit/model/chat.hpp>

#include <boost/asio/awaitable.hpp>

#include <concepts>
#include <functional>
#include <string>
#include <vector>

namespace agentkit::model {

using delta_callback = std::function<void(const chat_delta&)>;

/// @brief The model slot of an agent (`with_model<P>`): a chat model that answers a request.
/// @details `p.complete(request)` returns the `chat_response` (reply, finish reason, usage). Providers that
/// also model `streaming_provider` deliver deltas, `async_provider` can be awaited without a thread.
/// Models: `openai_provider<Transport>`, `anthropic_provider<Transport>`, `router`, `any_provider`,
/// `scripted_provider` (a test double). Default: none (the agent holds a history and runs no loop).
/// @tparam P the provider.
template <class P>
concept provider = requires(P& p, const chat_request& request) {
    { p.complete(request) } -> std::same_as<chat_response>;
};

template <class P>
concept streaming_provider = provider<P> &&
    requires(P& p, const chat_request& request, const delta_callback& on_delta) {
    { p.stream(request, on_delta) } -> std::same_as<chat_response>;
};

template <class P>
concept embedding_provider = requires(P& p, const std::vector<std::string>& inputs) {
    { p.embed(inputs) } -> std::same_as<std::vector<std::vector<float>>>;
};

template <class P>
concept async_provider = requires(P& p, const chat_request& request) {
    { p.async_complete(request) } -> std::same_as<boost::asio::awaitable<chat_response>>;
};

template <class P>
concept async_streaming_provider = async_provider<P> &&
    requires(P& p, const chat_request& request, const delta_callback& on_delta) {
    { p.async_stream(request, on_delta) } -> std::same_as<boost::asio::awaitable<chat_response>>;
};

template <class P>
concept async_embedding_provider = requires(P& p, const std::vector<std::string>& inputs) {
    { p.async_embed(inputs) } -> std::same_as<boost::asio::awaitable<std::vector<std::vector<float>>>>;
};

}  // namespace agentkit::model
