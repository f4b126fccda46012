#pragma once
// Definitions of transport::http_server (see http_server.hpp). Included by the header in header-only
// builds, compiled once in src/transport_http.cpp with AGENTKIT_SEPARATE_COMPILATION.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/json/writer.hpp>
#include <agentkit/transport/http_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <exception>
#include <list>
#include <mutex>
#include <utility>
#include <vector>

#include <sys/socket.h>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::transport {

namespace server_detail {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using net::awaitable;
inline constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

// Header names and values go onto the wire as given: CR, LF and NUL would split or end the header.
inline bool header_text_ok(std::string_view s) noexcept {
    for (const char ch : s)
        if (ch == '\r' || ch == '\n' || ch == '\0') return false;
    return true;
}

template <class Fields>
void put_headers(Fields& fields, const header_list& headers) {
    for (const auto& [name, value] : headers) {
        if (name.empty() || !header_text_ok(name) || !header_text_ok(value))
            throw error(errc::invalid_argument, "a response header name or value holds CR, LF or NUL",
                        "server.headers");
        fields.set(name, value);
    }
}

struct connection;
}  // namespace server_detail

AGENTKIT_DECL std::string json_error_body(std::string_view message, std::string_view type, std::string_view param,
                                          std::string_view code) {
    json::string_buffer out;
    json::writer w(out);
    auto str = [&w](std::string_view s) { json::write_string(w, s); };
    w.StartObject();
    w.Key("error");
    w.StartObject();
    w.Key("message");
    str(message);
    w.Key("type");
    str(type);
    w.Key("param");
    if (param.empty())
        w.Null();
    else
        str(param);
    w.Key("code");
    if (code.empty())
        w.Null();
    else
        str(code);
    w.EndObject();
    w.EndObject();
    return std::string(out.GetString(), out.GetSize());
}

struct http_server::impl : std::enable_shared_from_this<impl> {
    using connection = server_detail::connection;

    impl(boost::asio::any_io_executor executor, config c, server_handler h)
        : ex(std::move(executor)), cfg(std::move(c)), handler(std::move(h)), acceptor(boost::asio::make_strand(ex)) {}

    boost::asio::any_io_executor ex;
    const config cfg;
    server_handler handler;
    server_detail::tcp::acceptor acceptor;

    std::atomic<std::size_t> active{0};
    std::atomic<std::uint64_t> accepted{0}, refused{0}, requests{0}, limit_rejections{0}, handler_errors{0},
        disconnects{0};
    std::atomic<bool> draining{false};
    std::uint16_t bound_port = 0;

    std::mutex mu;  // guards connections
    std::list<std::weak_ptr<connection>> connections;

    server_detail::awaitable<void> accept_loop();
    server_detail::awaitable<void> session(std::shared_ptr<connection> c);
    // The handler's coroutine, with what it throws kept in `failure` (the session answers it).
    server_detail::awaitable<void> run_handler(server_request& rq, server_response& rs, std::exception_ptr& failure) {
        try {
            co_await handler(rq, rs);
        } catch (...) {
            failure = std::current_exception();
        }
    }
    void refuse(server_detail::tcp::socket& s);
    // Runs f(connection&) on every live connection's strand.
    template <class F>
    void for_each_connection(F f);
};

namespace server_detail {

struct connection {
    explicit connection(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    std::string remote;
    bool idle = true;  // between requests (only touched on the connection's strand)
    std::list<std::weak_ptr<connection>>::iterator registered;

    void close() noexcept {
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream.socket().close(ec);
    }
};

}  // namespace server_detail

struct server_response::state {
    server_detail::connection& conn;
    const http_server::config& cfg;
    bool keep_alive = true;
    bool started = false;    // a status line went out (whole or streamed)
    bool streaming = false;  // start() was called
    bool finished = false;   // send() or finish() completed
    bool gone = false;       // a write failed or the client closed
};

namespace server_detail {

template <class Message>
awaitable<bool> write_message(server_response::state& s, Message& m) {
    s.conn.stream.expires_after(s.cfg.write_timeout);
    auto [ec, n] = co_await bhttp::async_write(s.conn.stream, m, tuple_awaitable);
    (void)n;
    if (ec) s.gone = true;
    co_return !ec;
}

// How long and how much a closing connection keeps reading what the client still sends after an error
// answer: closing a socket with unread bytes makes the kernel send a reset, which can destroy the answer
// before the client reads it. Bounded, so a client cannot hold the connection open this way.
inline constexpr std::chrono::milliseconds linger_time{500};
inline constexpr std::size_t linger_bytes = std::size_t{4} << 20;

// An answer of the server's own (a limit, a malformed request, a handler failure), always closing.
inline awaitable<void> send_error(connection& c, const http_server::config& cfg, int status, std::string_view message,
                                  std::string_view type, std::string_view param, std::string_view code) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
    res.set(bhttp::field::content_type, "application/json");
    res.keep_alive(false);
    res.body() = json_error_body(message, type, param, code);
    res.prepare_payload();
    c.stream.expires_after(cfg.write_timeout);
    auto [ec, n] = co_await bhttp::async_write(c.stream, res, tuple_awaitable);
    (void)n;
    if (ec) co_return;
    beast::error_code ignored;
    c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    c.stream.expires_after(linger_time);
    char scratch[16384];
    for (std::size_t discarded = 0; discarded < linger_bytes;) {
        auto [rec, got] = co_await c.stream.async_read_some(net::buffer(scratch), tuple_awaitable);
        if (rec) break;
        discarded += got;
    }
}

// Set by read_request when the connection ended during the 100 Continue (nothing left to answer).
inline const beast::error_code client_left = net::error::broken_pipe;

// Reads one request (header, the 100 Continue a client may wait for, body) within the parser's limits.
inline awaitable<beast::error_code> read_request(connection& c, bhttp::request_parser<bhttp::string_body>& parser,
                                                 const http_server::config& cfg) {
    auto [hec, hn] = co_await bhttp::async_read_header(c.stream, c.buffer, parser, tuple_awaitable);
    (void)hn;
    if (hec) co_return hec;
    if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        // Declared too large: refused before the client sends the body.
        if (const auto len = parser.content_length(); len && *len > cfg.max_request_size)
            co_return beast::error_code(bhttp::error::body_limit);
        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [wec, wn] = co_await net::async_write(c.stream, net::buffer(cont.data(), cont.size()), tuple_awaitable);
        (void)wn;
        if (wec) co_return client_left;
    }
    auto [bec, bn] = co_await bhttp::async_read(c.stream, c.buffer, parser, tuple_awaitable);
    (void)bn;
    co_return bec;
}

// Completes when the client has gone: its socket turned readable with nothing to read (EOF) or failed.
// Bytes of a pipelined next request are left in the socket and the wait goes on until cancelled.
inline awaitable<void> watch_for_disconnect(connection& c) {
    auto& sock = c.stream.socket();
    auto [ec] = co_await sock.async_wait(tcp::socket::wait_read, tuple_awaitable);
    if (ec) co_return;  // cancelled (the handler finished) or a socket error: either way, stop watching
    char probe;
    const auto n = ::recv(sock.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0) co_return;  // EOF or reset: gone
    net::steady_timer forever(co_await net::this_coro::executor, net::steady_timer::time_point::max());
    co_await forever.async_wait(tuple_awaitable);  // data waiting: only the handler's end stops this
}

}  // namespace server_detail

// ---- server_response ----------------------------------------------------------------------------------
AGENTKIT_DECL boost::asio::awaitable<void> server_response::send(int status, header_list headers, std::string body) {
    namespace bhttp = server_detail::bhttp;
    if (s_->started) throw error(errc::invalid_argument, "the response was already sent or started", "server.response");
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
    server_detail::put_headers(res, headers);
    res.keep_alive(s_->keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    s_->started = true;
    if (co_await server_detail::write_message(*s_, res)) s_->finished = true;
}

AGENTKIT_DECL boost::asio::awaitable<void> server_response::start(int status, header_list headers) {
    namespace bhttp = server_detail::bhttp;
    if (s_->started) throw error(errc::invalid_argument, "the response was already sent or started", "server.response");
    bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(status), 11};
    server_detail::put_headers(res, headers);
    res.keep_alive(s_->keep_alive);
    res.chunked(true);
    s_->started = s_->streaming = true;
    bhttp::response_serializer<bhttp::empty_body> sr{res};
    s_->conn.stream.expires_after(s_->cfg.write_timeout);
    auto [ec, n] = co_await bhttp::async_write_header(s_->conn.stream, sr, server_detail::tuple_awaitable);
    (void)n;
    if (ec) s_->gone = true;
}

AGENTKIT_DECL boost::asio::awaitable<bool> server_response::write(std::string_view piece) {
    namespace net = server_detail::net;
    if (!s_->streaming || s_->finished)
        throw error(errc::invalid_argument, "write() needs start() first", "server.response");
    if (s_->gone) co_return false;
    if (piece.empty()) co_return true;  // an empty chunk would end the body
    s_->conn.stream.expires_after(s_->cfg.write_timeout);
    auto [ec, n] = co_await net::async_write(s_->conn.stream,
                                             server_detail::bhttp::make_chunk(net::buffer(piece.data(), piece.size())),
                                             server_detail::tuple_awaitable);
    (void)n;
    if (ec) s_->gone = true;
    co_return !ec;
}

AGENTKIT_DECL boost::asio::awaitable<void> server_response::finish() {
    namespace net = server_detail::net;
    if (!s_->streaming) throw error(errc::invalid_argument, "finish() needs start() first", "server.response");
    if (s_->finished || s_->gone) co_return;
    s_->conn.stream.expires_after(s_->cfg.write_timeout);
    auto [ec, n] = co_await net::async_write(s_->conn.stream, server_detail::bhttp::make_chunk_last(),
                                             server_detail::tuple_awaitable);
    (void)n;
    if (ec)
        s_->gone = true;
    else
        s_->finished = true;
}

AGENTKIT_DECL bool server_response::started() const noexcept { return s_->started; }
AGENTKIT_DECL bool server_response::client_gone() const noexcept { return s_->gone; }

// ---- the server -----------------------------------------------------------------------------------------
namespace server_detail {
// Ends a session: the socket closed, the connection forgotten, its slot under max_connections freed.
struct session_end {
    http_server::impl& s;
    connection& c;
    ~session_end() {
        c.close();
        {
            const std::lock_guard lock(s.mu);
            s.connections.erase(c.registered);
        }
        s.active.fetch_sub(1, std::memory_order_relaxed);
    }
};
}  // namespace server_detail

template <class F>
void http_server::impl::for_each_connection(F f) {
    std::vector<std::shared_ptr<connection>> live;
    {
        const std::lock_guard lock(mu);
        for (auto& w : connections)
            if (auto c = w.lock()) live.push_back(std::move(c));
    }
    for (auto& c : live) {
        auto ex = c->stream.get_executor();
        boost::asio::post(ex, [c = std::move(c), f]() mutable { f(*c); });
    }
}

AGENTKIT_DECL void http_server::impl::refuse(server_detail::tcp::socket& s) {
    // Best effort and never waiting: a connection over the limit must not cost a coroutine or a timer.
    static const std::string response = [] {
        const std::string body = json_error_body("the server has reached max_connections; retry later", "server_busy",
                                                 "server.max_connections", "max_connections");
        std::string r =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
            "Connection: close\r\nContent-Length: ";
        r.append(std::to_string(body.size())).append("\r\n\r\n").append(body);
        return r;
    }();
    [[maybe_unused]] const auto n =
        ::send(s.native_handle(), response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    server_detail::beast::error_code ec;
    s.shutdown(server_detail::tcp::socket::shutdown_both, ec);
    s.close(ec);
}

AGENTKIT_DECL server_detail::awaitable<void> http_server::impl::accept_loop() {
    namespace net = server_detail::net;
    auto self = shared_from_this();
    for (;;) {
        // Each connection on a strand of its own: its coroutine and the posts of stop()/drain() never overlap.
        const net::any_io_executor strand = net::make_strand(ex);
        auto [ec, sock] = co_await acceptor.async_accept(strand, server_detail::tuple_awaitable);
        if (ec) {
            if (!acceptor.is_open() || ec == net::error::operation_aborted) co_return;
            // Out of descriptors (EMFILE/ENFILE) or a connection reset before accept: wait a little, go on.
            net::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(10));
            co_await pause.async_wait(server_detail::tuple_awaitable);
            continue;
        }
        if (draining.load(std::memory_order_relaxed) || active.load(std::memory_order_relaxed) >= cfg.max_connections) {
            refused.fetch_add(1, std::memory_order_relaxed);
            refuse(sock);
            continue;
        }
        active.fetch_add(1, std::memory_order_relaxed);
        accepted.fetch_add(1, std::memory_order_relaxed);
        auto c = std::make_shared<connection>(std::move(sock));
        {
            const std::lock_guard lock(mu);
            c->registered = connections.insert(connections.end(), c);
        }
        auto where = c->stream.get_executor();
        net::co_spawn(where, session(std::move(c)), net::detached);
    }
}

AGENTKIT_DECL server_detail::awaitable<void> http_server::impl::session(std::shared_ptr<connection> c) {
    namespace net = server_detail::net;
    namespace beast = server_detail::beast;
    namespace bhttp = server_detail::bhttp;
    using namespace boost::asio::experimental::awaitable_operators;
    auto self = shared_from_this();
    const server_detail::session_end on_exit{*this, *c};
    {
        beast::error_code ec;
        const auto ep = c->stream.socket().remote_endpoint(ec);
        if (!ec) c->remote = ep.address().to_string();
    }

    for (;;) {
        // Idle: wait for the first byte of the next request, at most keep_alive_timeout.
        c->idle = true;
        if (draining.load(std::memory_order_relaxed)) co_return;
        if (c->buffer.size() == 0) {
            c->stream.expires_after(cfg.keep_alive_timeout);
            auto [ec, n] = co_await c->stream.async_read_some(c->buffer.prepare(4096), server_detail::tuple_awaitable);
            if (ec) co_return;  // closed, reset, idle too long, or drained
            c->buffer.commit(n);
        }
        c->idle = false;

        // The request, within request_timeout from its first byte. The deadline is a timer of its own that
        // cancels the read (tcp_stream's own expiry would close the socket before the 408 could be sent).
        c->stream.expires_never();
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(cfg.max_header_bytes, UINT32_MAX)));
        parser.body_limit(cfg.max_request_size);
        net::steady_timer deadline(c->stream.get_executor(), cfg.request_timeout);
        const auto read = co_await (server_detail::read_request(*c, parser, cfg) ||
                                    deadline.async_wait(server_detail::tuple_awaitable));
        const beast::error_code ec = read.index() == 0 ? std::get<0>(read) : beast::error_code(beast::error::timeout);
        if (ec == server_detail::client_left) co_return;
        if (ec) {
            if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
                ec == net::error::operation_aborted || ec == net::error::bad_descriptor)
                co_return;
            limit_rejections.fetch_add(1, std::memory_order_relaxed);
            if (ec == beast::error::timeout)
                co_await server_detail::send_error(*c, cfg, 408, "the request was not received within request_timeout",
                                                   "invalid_request_error", "server.request_timeout",
                                                   "request_timeout");
            else if (ec == bhttp::error::body_limit)
                co_await server_detail::send_error(*c, cfg, 413, "the request body is larger than max_request_size",
                                                   "invalid_request_error", "server.max_request_size",
                                                   "request_too_large");
            else if (ec == bhttp::error::header_limit)
                co_await server_detail::send_error(*c, cfg, 431, "the request header is larger than max_header_bytes",
                                                   "invalid_request_error", "server.max_header_bytes",
                                                   "header_too_large");
            else
                co_await server_detail::send_error(*c, cfg, 400,
                                                   std::string("malformed HTTP request: ").append(ec.message()),
                                                   "invalid_request_error", "", "bad_request");
            co_return;
        }

        auto msg = parser.release();
        server_request rq;
        rq.method = std::string(msg.method_string());
        rq.target = std::string(msg.target());
        rq.headers.reserve(16);
        for (const auto& f : msg) rq.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        rq.body = std::move(msg.body());
        rq.remote_address = c->remote;
        requests.fetch_add(1, std::memory_order_relaxed);

        server_response::state st{*c, cfg};
        st.keep_alive = msg.keep_alive() && !draining.load(std::memory_order_relaxed);
        server_response rs(st);
        c->stream.expires_never();  // the handler's own waits have their own deadlines

        std::exception_ptr failure;
        // The handler runs while the socket is watched; a client that leaves cancels it.
        const auto which = co_await (run_handler(rq, rs, failure) || server_detail::watch_for_disconnect(*c));
        if (which.index() == 1) {
            disconnects.fetch_add(1, std::memory_order_relaxed);
            co_return;
        }
        if (failure) handler_errors.fetch_add(1, std::memory_order_relaxed);
        if (st.gone) co_return;
        if (!st.started) {
            std::string why = "the handler gave no response";
            if (failure) {
                try {
                    std::rethrow_exception(failure);
                } catch (const std::exception& e) {
                    why = std::string("internal error: ").append(e.what());
                } catch (...) {
                    why = "internal error";
                }
            }
            co_await server_detail::send_error(*c, cfg, 500, why, "server_error", "", "internal_error");
            co_return;
        }
        if (!st.finished) co_return;  // a stream the handler left open (or failed in): closing tells the client
        if (!st.keep_alive) co_return;
    }
}

// ---- http_server ----------------------------------------------------------------------------------------
AGENTKIT_DECL http_server::http_server(boost::asio::any_io_executor ex, config cfg, server_handler handler) {
    namespace net = server_detail::net;
    cfg.validate();
    if (!handler) throw error(errc::invalid_argument, "no handler", "server.handler");
    impl_ = std::make_shared<impl>(std::move(ex), std::move(cfg), std::move(handler));
    auto& a = impl_->acceptor;
    server_detail::beast::error_code ec;
    const auto address = net::ip::make_address(impl_->cfg.bind_address, ec);
    if (ec)
        throw error(errc::invalid_argument, std::string("not an IP address: ").append(impl_->cfg.bind_address),
                    "server.bind_address");
    const server_detail::tcp::endpoint ep(address, impl_->cfg.port);
    auto fail = [&](const char* what, const char* knob) {
        throw error(errc::io_error,
                    std::string(what)
                        .append(" ")
                        .append(impl_->cfg.bind_address)
                        .append(":")
                        .append(std::to_string(impl_->cfg.port))
                        .append(": ")
                        .append(ec.message()),
                    knob);
    };
    a.open(ep.protocol(), ec);
    if (ec) fail("cannot open a socket for", "server.bind_address");
    a.set_option(net::socket_base::reuse_address(true), ec);
    a.bind(ep, ec);
    if (ec) fail("cannot bind", "server.port");
    a.listen(impl_->cfg.listen_backlog, ec);
    if (ec) fail("cannot listen on", "server.port");
    impl_->bound_port = a.local_endpoint(ec).port();
}

AGENTKIT_DECL http_server::~http_server() { stop(); }

AGENTKIT_DECL void http_server::start() {
    namespace net = server_detail::net;
    net::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(), net::detached);
}

AGENTKIT_DECL void http_server::stop() {
    namespace net = server_detail::net;
    if (!impl_) return;
    impl_->draining.store(true);
    net::post(impl_->acceptor.get_executor(), [s = impl_] {
        server_detail::beast::error_code ec;
        s->acceptor.close(ec);
    });
    impl_->for_each_connection([](server_detail::connection& c) { c.close(); });
}

AGENTKIT_DECL boost::asio::awaitable<void> http_server::drain() {
    namespace net = server_detail::net;
    auto s = impl_;
    s->draining.store(true);
    net::post(s->acceptor.get_executor(), [s] {
        server_detail::beast::error_code ec;
        s->acceptor.close(ec);
    });
    // Idle connections close now; busy ones close after their current response (no keep-alive).
    s->for_each_connection([](server_detail::connection& c) {
        if (c.idle) c.close();
    });
    const auto deadline = std::chrono::steady_clock::now() + s->cfg.drain_timeout;
    net::steady_timer tick(co_await net::this_coro::executor);
    while (s->active.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        tick.expires_after(std::chrono::milliseconds(5));
        co_await tick.async_wait(server_detail::tuple_awaitable);
    }
    s->for_each_connection([](server_detail::connection& c) { c.close(); });
    while (s->active.load() > 0) {  // closed sockets end their sessions at once
        tick.expires_after(std::chrono::milliseconds(1));
        co_await tick.async_wait(server_detail::tuple_awaitable);
    }
}

AGENTKIT_DECL std::uint16_t http_server::port() const noexcept { return impl_->bound_port; }

AGENTKIT_DECL const http_server::config& http_server::configuration() const noexcept { return impl_->cfg; }

AGENTKIT_DECL http_server::stats http_server::statistics() const noexcept {
    stats s;
    s.connections_accepted = impl_->accepted.load(std::memory_order_relaxed);
    s.connections_refused = impl_->refused.load(std::memory_order_relaxed);
    s.requests = impl_->requests.load(std::memory_order_relaxed);
    s.limit_rejections = impl_->limit_rejections.load(std::memory_order_relaxed);
    s.handler_errors = impl_->handler_errors.load(std::memory_order_relaxed);
    s.client_disconnects = impl_->disconnects.load(std::memory_order_relaxed);
    s.active_connections = impl_->active.load(std::memory_order_relaxed);
    return s;
}

}  // namespace agentkit::transport
AGENTKIT_COROUTINES_END
