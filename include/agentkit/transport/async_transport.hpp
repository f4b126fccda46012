#pragma once
// The asynchronous side of the transport concept: a transport whose exchanges are C++20 coroutines on
// Boost.Asio, so a caller waiting for an answer holds no thread.
//   co_await t.async_send(request)            -> response
//   co_await t.async_stream(request, on_body) -> response (a 2xx body goes to on_body piece by piece)
// Both are lazy: nothing starts until the awaitable is awaited, and the arguments are borrowed until it
// completes (await it in the same expression). Cancellation arrives through the awaiting coroutine's
// cancellation slot (co_spawn with bind_cancellation_slot, or a parallel_group); a cancelled exchange ends
// with agentkit::error(errc::cancelled).
#include <agentkit/transport/transport.hpp>

#include <boost/asio/awaitable.hpp>

#include <concepts>

namespace agentkit::transport {

template <class T>
concept async_transport = requires(T& t, const typename T::request& req) {
    { t.async_send(req) } -> std::same_as<boost::asio::awaitable<typename T::response>>;
};

template <class T>
concept async_streaming_transport = async_transport<T> &&
    requires(T& t, const typename T::request& req, const body_sink& sink) {
    { t.async_stream(req, sink) } -> std::same_as<boost::asio::awaitable<typename T::response>>;
};

}  // namespace agentkit::transport
