#pragma once
// The transport slot's concept: a transport carries a request to a model endpoint and brings the response
// back; `request` and `response` are the transport's own types (an HTTP message, an in-process call).
#include <concepts>

namespace agentkit::transport {

template <class T>
concept transport = requires(T& t, const typename T::request& req) {
    { t.send(req) } -> std::convertible_to<typename T::response>;
};

}  // namespace agentkit::transport
