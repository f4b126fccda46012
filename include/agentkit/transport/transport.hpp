#pragma once
// The transport slot's concept: a transport carries a request to a model endpoint and brings the response
// back; `request` and `response` are the transport's own types (an HTTP message, an in-process call).
// A streaming transport also hands over the body of a successful response piece by piece as it arrives
// (stream(request, on_body) with on_body(std::string_view)); an unsuccessful one comes back whole.
// A sink may return sink_result::stop when it has all it needs (an SSE stream's final event): the
// transport then stops reading that body. A sink returning void takes everything.
#include <concepts>
#include <functional>
#include <string_view>
#include <type_traits>

namespace agentkit::transport {

template <class T>
concept transport = requires(T& t, const typename T::request& req) {
    { t.send(req) } -> std::convertible_to<typename T::response>;
};

using body_sink = std::function<void(std::string_view)>;

enum class sink_result { more, stop };

// Calls a sink that returns void (takes everything) or sink_result.
template <class Sink>
sink_result deliver(Sink& sink, std::string_view piece) {
    if constexpr (std::is_void_v<std::invoke_result_t<Sink&, std::string_view>>) {
        sink(piece);
        return sink_result::more;
    } else {
        static_assert(std::is_same_v<std::invoke_result_t<Sink&, std::string_view>, sink_result>,
                      "a body sink returns void or sink_result");
        return sink(piece);
    }
}

template <class T>
concept streaming_transport = transport<T> && requires(T& t, const typename T::request& req, const body_sink& sink) {
    { t.stream(req, sink) } -> std::convertible_to<typename T::response>;
};

}  // namespace agentkit::transport
