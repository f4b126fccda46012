#pragma once
// in_process<Handler>: a transport that calls a handler directly - no socket, no serialisation beyond what
// the handler does. For tests of the layers above HTTP and for embedding a model server in the same process.
// Handler: http_response(const http_request&). stream() hands the whole body over in pieces of
// stream_piece_bytes, so streaming parsers meet split input as they would on a network; a sink that
// returns sink_result::stop gets no more pieces.
// It is also an async_streaming_transport: async_send / async_stream call the handler inline (no thread
// switch, no suspension) and deliver the pieces as stream() does, so a provider's coroutine path can be
// tested against the same handler as its synchronous one.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/transport/async_transport.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/transport.hpp>

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::transport {

template <class Handler = std::function<http_response(const http_request&)>>
class in_process {
public:
    using request = http_request;
    using response = http_response;
    struct config {
        std::size_t stream_piece_bytes = 64;
    };

    explicit in_process(Handler h) : in_process(std::move(h), config{}) {}
    in_process(Handler h, config cfg) : handler_(std::move(h)), cfg_(cfg) {}

    response send(const request& r) { return handler_(r); }

    template <class Sink>
    response stream(const request& r, Sink&& on_body) {
        response res = handler_(r);
        if (!res.ok()) return res;
        const std::size_t piece = std::max<std::size_t>(1, cfg_.stream_piece_bytes);
        for (std::size_t i = 0; i < res.body.size(); i += piece)
            if (deliver(on_body, std::string_view(res.body).substr(i, piece)) == sink_result::stop) break;
        res.body.clear();
        return res;
    }

    boost::asio::awaitable<response> async_send(const request& r) { co_return send(r); }

    template <class Sink>
    boost::asio::awaitable<response> async_stream(const request& r, Sink&& on_body) {
        co_return stream(r, on_body);
    }

private:
    Handler handler_;
    config cfg_;
};

static_assert(streaming_transport<in_process<>> && async_streaming_transport<in_process<>>);

}  // namespace agentkit::transport
AGENTKIT_COROUTINES_END
