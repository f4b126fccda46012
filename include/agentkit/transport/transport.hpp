#pragma once
// The transport slot's concept: a transport carries a request to a model endpoint and brings the response
// back; `request` and `response` are the transport's own types (an HTTP message, an in-process call).
// A streaming transport also hands over the body of a successful response piece by piece as it arrives
// (stream(request, on_body) with on_body(std::string_view)); an unsuccessful one comes back whole.
#include <concepts>
#include <functional>
#include <string_view>

namespace agentkit::transport {

template <class T>
concept transport = requires(T& t, const typename T::request& req) {
    { t.send(req) } -> std::convertible_to<typename T::response>;
};

using body_sink = std::function<void(std::string_view)>;

template <class T>
concept streaming_transport = transport<T> && requires(T& t, const typename T::request& req, const body_sink& sink) {
    { t.stream(req, sink) } -> std::convertible_to<typename T::response>;
};

}  // namespace agentkit::transport
