#pragma once
// http_server: the HTTP/1.1 server the gateway stands on, on Boost.Beast (needs agentkit::http). Every
// connection is one C++20 coroutine on a strand of the executor given; the handler is a coroutine too, so
// a request that waits for an upstream model holds no thread.
//
//   transport::http_server server(io.get_executor(), {.port = 8080}, [](server_request& rq, server_response& rs)
//       -> boost::asio::awaitable<void> { co_await rs.send(200, {{"content-type", "text/plain"}}, "hi"); });
//   server.start();  io.run();      // server.drain() stops it gracefully
//
// Every input a client controls is bounded, and each limit answers with its own status and a JSON error
// naming the knob (the OpenAI error shape, {"error":{"message","type","param","code"}}), never a crash:
//   - max_connections: a connection over it gets 503 and is closed at once;
//   - max_header_bytes (431), max_request_size (413: a declared Content-Length is refused before its body is
//     read), a malformed request (400);
//   - request_timeout: from a request's first byte to its last (slow-loris: 408, then closed);
//   - keep_alive_timeout: an idle connection between requests is closed silently;
//   - write_timeout: a client that stops reading a response for that long is dropped.
// A client that goes away while its handler waits is noticed (the socket turns readable with no data) and
// the handler's coroutine is cancelled through its cancellation slot, so an upstream request it awaits is
// cancelled with it. A handler that throws before answering gets 500; after a streamed response has
// started, the connection is closed instead (the client sees a broken chunked body, never a clean end).
// drain(): stop accepting, let requests in flight finish (no keep-alive after them), and close whatever is
// left after drain_timeout.
//
// The definitions live in impl/http_server.ipp (compiled once in agentkit::http with
// AGENTKIT_SEPARATE_COMPILATION, else included at the end of this header).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/http_server_config.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::transport {

// One request as the handler sees it: the whole body has been read (within max_request_size).
struct server_request {
    std::string method;
    std::string target;  // origin-form: /v1/chat/completions?x=y
    header_list headers;
    std::string body;
    std::string remote_address;  // the peer's IP address

    std::optional<std::string_view> header(std::string_view name) const noexcept { return find_header(headers, name); }
    // target without its query string
    std::string_view path() const noexcept {
        const std::string_view t = target;
        return t.substr(0, t.find('?'));
    }
};

// The handler's way to answer one request: either send() once, or start() / write()... / finish() for a
// streamed (chunked) body such as server-sent events. Not answering at all is answered with 500.
class server_response {
public:
    // A whole response; Content-Length is set from the body.
    boost::asio::awaitable<void> send(int status, header_list headers, std::string body);
    // A streamed response (Transfer-Encoding: chunked), for SSE: start, write each piece as it is ready
    // (false: the client is gone, stop producing), finish.
    boost::asio::awaitable<void> start(int status, header_list headers);
    boost::asio::awaitable<bool> write(std::string_view piece);
    boost::asio::awaitable<void> finish();

    bool started() const noexcept;
    bool client_gone() const noexcept;

    struct state;
    explicit server_response(state& s) noexcept : s_(&s) {}

private:
    state* s_;
};

using server_handler = std::function<boost::asio::awaitable<void>(server_request&, server_response&)>;

class http_server {
public:
    using config = http_server_config;

    struct stats {
        std::uint64_t connections_accepted = 0;
        std::uint64_t connections_refused = 0;  // over max_connections
        std::uint64_t requests = 0;
        std::uint64_t limit_rejections = 0;    // 400/408/413/431
        std::uint64_t handler_errors = 0;      // a handler that threw
        std::uint64_t client_disconnects = 0;  // clients gone while their handler ran
        std::size_t active_connections = 0;
    };

    // Binds and listens now (errors: errc::io_error naming server.bind_address / server.port), accepts
    // after start(). The executor's context must outlive the server.
    http_server(boost::asio::any_io_executor ex, config cfg, server_handler handler);
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    void start();
    // Graceful stop, see above; completes when every connection is closed.
    boost::asio::awaitable<void> drain();
    // Closes the listener and every connection now.
    void stop();

    std::uint16_t port() const noexcept;
    const config& configuration() const noexcept;
    stats statistics() const noexcept;

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

// The OpenAI-shaped JSON error body the server answers its own limits with:
// {"error":{"message":...,"type":...,"param":...,"code":...}} (param null when empty).
AGENTKIT_DECL std::string json_error_body(std::string_view message, std::string_view type, std::string_view param,
                                          std::string_view code);

}  // namespace agentkit::transport
AGENTKIT_COROUTINES_END

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/transport/impl/http_server.ipp>
#endif
