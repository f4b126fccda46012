#pragma once
// http: the transport policy for real endpoints, on Boost.Beast (needs agentkit::http: Boost 1.81 + OpenSSL).
//
//   - keep-alive: a pool of connections per origin (scheme, host, port), at most max_connections_per_host
//     open at once (in use + idle); a caller that finds all busy waits for one, within its total timeout;
//     idle connections older than idle_timeout_ms are closed instead of reused;
//   - timeouts: connect_timeout_ms (resolve + connect + TLS handshake), read_timeout_ms (no byte for that
//     long), total_timeout_ms (the whole exchange); each ends the request with errc::timeout naming the knob;
//   - TLS through OpenSSL with peer and host-name verification ON by default (verify_peer = false exists for
//     local test servers only), SNI set, system CA paths or ca_file;
//   - bodies: Content-Length or chunked, both ways Beast reads them; stream() hands each piece of a 2xx
//     body to a sink as it arrives (SSE), so nothing waits for the end of a long generation.
// A request on a reused connection that the server had closed meanwhile is retried once on a new one.
// Thread-safe: concurrent requests use different connections. Copies share one pool.
#include <agentkit/core/error.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/transport.hpp>
#include <agentkit/transport/url.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace agentkit::transport {

class http {
public:
    using request = http_request;
    using response = http_response;
    using clock = std::chrono::steady_clock;

    struct config {
        std::uint64_t connect_timeout_ms = 10000;
        std::uint64_t read_timeout_ms = 30000;     // seeds (Victor): provider timeout 30 s
        std::uint64_t total_timeout_ms = 300000;   // a long generation may stream for minutes
        std::size_t max_connections_per_host = 10; // seeds (Victor): concurrent requests 10
        std::uint64_t idle_timeout_ms = 60000;
        std::size_t max_response_bytes = 64u << 20;  // non-2xx and non-streamed bodies
        bool verify_peer = true;
        std::string ca_file;                       // empty: the system's CA paths
        std::string user_agent = "agentkit";
    };

    struct stats {
        std::uint64_t requests = 0;
        std::uint64_t connections_opened = 0;
        std::uint64_t connections_reused = 0;
        std::uint64_t stale_retries = 0;  // reused connections the server had closed
    };

    http() : http(config{}) {}
    explicit http(config cfg) : s_(std::make_shared<shared>(std::move(cfg))) {
        const auto& c = s_->cfg;
        if (c.max_connections_per_host == 0) throw_invalid_field("http.max_connections_per_host", "must be at least 1");
        if (c.connect_timeout_ms == 0) throw_invalid_field("http.connect_timeout_ms", "must be at least 1");
        if (c.read_timeout_ms == 0) throw_invalid_field("http.read_timeout_ms", "must be at least 1");
        if (c.total_timeout_ms == 0) throw_invalid_field("http.total_timeout_ms", "must be at least 1");
    }

    const config& settings() const noexcept { return s_->cfg; }
    stats statistics() const {
        return {s_->requests.load(), s_->opened.load(), s_->reused.load(), s_->stale.load()};
    }
    // Open connections to `origin` ("http://127.0.0.1:8080"), idle and in use.
    std::size_t open_connections(const std::string& origin) const {
        std::lock_guard lock(s_->mutex);
        auto it = s_->pools.find(origin);
        return it == s_->pools.end() ? 0 : it->second.idle.size() + it->second.busy;
    }

    response send(const request& r) {
        return exchange(r, nullptr);
    }
    template <class Sink>
    response stream(const request& r, Sink&& on_body) {
        body_sink sink = std::forward<Sink>(on_body);
        return exchange(r, &sink);
    }

private:
    using tcp = boost::asio::ip::tcp;
    struct connection {
        boost::asio::io_context ioc;
        std::optional<boost::beast::tcp_stream> plain;
        std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
        boost::beast::flat_buffer buffer;
        clock::time_point idle_since{};
        bool reused = false;

        boost::beast::tcp_stream& lowest() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }
        ~connection() {
            boost::beast::error_code ec;
            if (plain || tls) lowest().socket().close(ec);
        }
    };
    struct host_pool {
        std::vector<std::unique_ptr<connection>> idle;
        std::size_t busy = 0;
    };
    struct shared {
        explicit shared(config c) : cfg(std::move(c)) {}
        config cfg;
        mutable std::mutex mutex;
        std::condition_variable freed;
        std::unordered_map<std::string, host_pool> pools;
        std::once_flag tls_once;
        std::unique_ptr<boost::asio::ssl::context> tls_context;
        std::atomic<std::uint64_t> requests{0}, opened{0}, reused{0}, stale{0};
    };

    // A connection checked out of the pool; returned (if still usable) or dropped on destruction.
    struct lease {
        shared* s = nullptr;
        std::string origin;
        std::unique_ptr<connection> conn;
        bool keep = false;
        lease() = default;
        lease(lease&& o) noexcept : s(o.s), origin(std::move(o.origin)), conn(std::move(o.conn)), keep(o.keep) { o.s = nullptr; }
        lease& operator=(lease&&) = delete;
        ~lease() {
            if (!s) return;
            std::lock_guard lock(s->mutex);
            auto& p = s->pools[origin];
            --p.busy;
            if (keep && conn) {
                conn->idle_since = clock::now();
                conn->reused = true;
                p.idle.push_back(std::move(conn));
            }
            s->freed.notify_one();
        }
    };

    [[noreturn]] static void fail_timeout(const char* knob, std::uint64_t ms, const std::string& what) {
        throw error(errc::timeout, what + " timed out after " + std::to_string(ms) + " ms", std::string("http.") + knob);
    }
    [[noreturn]] static void fail_io(const std::string& what, const boost::beast::error_code& ec) {
        throw error(errc::unavailable, what + ": " + ec.message(), "http");
    }

    lease acquire(const url_parts& u, clock::time_point deadline) {
        lease l;
        l.origin = u.origin();
        std::unique_lock lock(s_->mutex);
        auto& p = s_->pools[l.origin];
        const auto idle_limit = std::chrono::milliseconds(s_->cfg.idle_timeout_ms);
        for (;;) {
            while (!p.idle.empty()) {
                auto c = std::move(p.idle.back());
                p.idle.pop_back();
                if (clock::now() - c->idle_since < idle_limit) {
                    l.conn = std::move(c);
                    break;
                }
            }
            if (l.conn || p.idle.size() + p.busy < s_->cfg.max_connections_per_host) break;
            if (s_->freed.wait_until(lock, deadline) == std::cv_status::timeout && clock::now() >= deadline)
                throw error(errc::timeout,
                            "all " + std::to_string(s_->cfg.max_connections_per_host) + " connections to " + l.origin +
                                " stayed busy until the request's total timeout",
                            "http.max_connections_per_host");
        }
        ++p.busy;
        l.s = s_.get();
        return l;
    }

    // Runs one async operation on the connection's private io_context with an expiry; returns its error.
    template <class Start>
    static boost::beast::error_code run(connection& c, clock::duration timeout, Start&& start) {
        c.lowest().expires_after(timeout);
        boost::beast::error_code result = boost::asio::error::would_block;
        start([&result](boost::beast::error_code ec, auto&&...) { result = ec; });
        c.ioc.restart();
        c.ioc.run();
        return result;
    }

    clock::duration budget(std::uint64_t op_ms, clock::time_point deadline, const char*& knob, std::uint64_t& knob_ms) const {
        const auto now = clock::now();
        const auto op = std::chrono::milliseconds(op_ms);
        if (deadline - now < op) {
            knob = "total_timeout_ms";
            knob_ms = s_->cfg.total_timeout_ms;
            if (deadline <= now) fail_timeout(knob, knob_ms, "the request");
            return deadline - now;
        }
        knob_ms = op_ms;
        return op;
    }

    boost::asio::ssl::context& tls_context() {
        std::call_once(s_->tls_once, [this] {
            auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
            boost::beast::error_code ec;
            if (s_->cfg.ca_file.empty())
                ctx->set_default_verify_paths(ec);
            else
                ctx->load_verify_file(s_->cfg.ca_file, ec);
            if (ec) throw error(errc::io_error, "cannot load CA certificates: " + ec.message(), "http.ca_file");
            ctx->set_verify_mode(s_->cfg.verify_peer ? boost::asio::ssl::verify_peer : boost::asio::ssl::verify_none);
            s_->tls_context = std::move(ctx);
        });
        return *s_->tls_context;
    }

    void connect(connection& c, const url_parts& u, clock::time_point deadline) {
        const char* knob = "connect_timeout_ms";
        std::uint64_t knob_ms = 0;
        const auto t = budget(s_->cfg.connect_timeout_ms, deadline, knob, knob_ms);
        const auto connect_deadline = clock::now() + t;
        tcp::resolver resolver(c.ioc);
        boost::beast::error_code ec = boost::asio::error::would_block;
        tcp::resolver::results_type endpoints;
        resolver.async_resolve(u.host, std::to_string(u.port), [&](boost::beast::error_code e, tcp::resolver::results_type r) {
            ec = e;
            endpoints = std::move(r);
        });
        c.ioc.restart();
        c.ioc.run_for(t);
        if (ec == boost::asio::error::would_block) {
            resolver.cancel();
            c.ioc.restart();
            c.ioc.run();
            fail_timeout(knob, knob_ms, "resolving " + u.host);
        }
        if (ec) fail_io("cannot resolve " + u.host, ec);
        if (u.tls) {
            c.tls.emplace(c.ioc, tls_context());
            if (!SSL_set_tlsext_host_name(c.tls->native_handle(), u.host.c_str()))
                throw error(errc::invalid_argument, "cannot set TLS SNI for " + u.host, "url");
            if (s_->cfg.verify_peer) c.tls->set_verify_callback(boost::asio::ssl::host_name_verification(u.host));
        } else {
            c.plain.emplace(c.ioc);
        }
        auto left = connect_deadline - clock::now();
        if (left <= clock::duration::zero()) fail_timeout(knob, knob_ms, "connecting to " + u.origin());
        ec = run(c, left, [&](auto handler) { c.lowest().async_connect(endpoints, handler); });
        if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, "connecting to " + u.origin());
        if (ec) fail_io("cannot connect to " + u.origin(), ec);
        c.lowest().socket().set_option(tcp::no_delay(true), ec);
        if (c.tls) {
            left = connect_deadline - clock::now();
            if (left <= clock::duration::zero()) fail_timeout(knob, knob_ms, "the TLS handshake with " + u.origin());
            ec = run(c, left, [&](auto handler) { c.tls->async_handshake(boost::asio::ssl::stream_base::client, handler); });
            if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, "the TLS handshake with " + u.origin());
            if (ec) throw error(errc::unavailable, "TLS handshake with " + u.origin() + " failed: " + ec.message(), "http.verify_peer");
        }
        ++s_->opened;
    }

    template <class Op>
    boost::beast::error_code io(connection& c, std::uint64_t op_ms, clock::time_point deadline, const char*& knob,
                                std::uint64_t& knob_ms, Op&& op) {
        const auto t = budget(op_ms, deadline, knob, knob_ms);
        if (c.tls) return run(c, t, [&](auto handler) { op(*c.tls, handler); });
        return run(c, t, [&](auto handler) { op(*c.plain, handler); });
    }

    // One attempt on one connection. Returns nullopt when a reused connection turned out closed before any
    // response byte (the caller retries on a fresh one).
    std::optional<response> attempt(lease& l, const url_parts& u, const request& r, const body_sink* sink,
                                    clock::time_point deadline) {
        namespace bhttp = boost::beast::http;
        connection& c = *l.conn;
        const bool was_reused = c.reused;
        bhttp::request<bhttp::string_body> req;
        req.version(11);
        req.method_string(r.method);
        req.target(u.target);
        req.set(bhttp::field::host, u.host);
        req.set(bhttp::field::user_agent, s_->cfg.user_agent);
        for (const auto& [k, v] : r.headers) req.set(k, v);
        req.body() = r.body;
        req.prepare_payload();

        const char* knob = "read_timeout_ms";
        std::uint64_t knob_ms = 0;
        auto ec = io(c, s_->cfg.read_timeout_ms, deadline, knob, knob_ms,
                     [&](auto& stream, auto handler) { bhttp::async_write(stream, req, handler); });
        if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, "sending the request to " + u.origin());
        if (ec) {
            if (was_reused) return std::nullopt;
            fail_io("cannot send the request to " + u.origin(), ec);
        }

        bhttp::response_parser<bhttp::buffer_body> parser;
        parser.header_limit(64 * 1024);
        parser.body_limit(boost::none);
        knob = "read_timeout_ms";
        ec = io(c, s_->cfg.read_timeout_ms, deadline, knob, knob_ms,
                [&](auto& stream, auto handler) { bhttp::async_read_header(stream, c.buffer, parser, handler); });
        if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, "waiting for the response of " + u.origin());
        if (ec) {
            if (was_reused && (ec == bhttp::error::end_of_stream || ec == boost::asio::error::connection_reset ||
                               ec == boost::asio::error::eof))
                return std::nullopt;
            fail_io("reading the response header from " + u.origin(), ec);
        }

        response res;
        const auto& h = parser.get();
        res.status = static_cast<int>(h.result_int());
        for (const auto& f : h) res.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        const bool to_sink = sink && res.ok();
        std::size_t received = 0;
        char piece[16 * 1024];
        while (!parser.is_done()) {
            parser.get().body().data = piece;
            parser.get().body().size = sizeof piece;
            knob = "read_timeout_ms";
            ec = io(c, s_->cfg.read_timeout_ms, deadline, knob, knob_ms,
                    [&](auto& stream, auto handler) { bhttp::async_read_some(stream, c.buffer, parser, handler); });
            if (ec == bhttp::error::need_buffer) ec = {};
            const std::size_t n = sizeof piece - parser.get().body().size;
            received += n;
            if (n) {
                if (to_sink) {
                    (*sink)(std::string_view(piece, n));
                } else {
                    if (res.body.size() + n > s_->cfg.max_response_bytes)
                        throw error(errc::capacity_exceeded,
                                    "response body exceeds " + std::to_string(s_->cfg.max_response_bytes) + " bytes",
                                    "http.max_response_bytes");
                    res.body.append(piece, n);
                }
            }
            if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, "reading the response body of " + u.origin());
            if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == boost::asio::error::eof ||
                ec == boost::asio::error::connection_reset)
                throw error(errc::unavailable,
                            "the connection to " + u.origin() + " closed after " + std::to_string(received) +
                                " body bytes, before the response was complete",
                            "http");
            if (ec) fail_io("reading the response body from " + u.origin(), ec);
        }
        l.keep = parser.keep_alive();
        return res;
    }

    response exchange(const request& r, const body_sink* sink) {
        const auto start = clock::now();
        const auto deadline = start + std::chrono::milliseconds(s_->cfg.total_timeout_ms);
        const url_parts u = parse_url(r.url, "url");
        ++s_->requests;
        for (int tries = 0;; ++tries) {
            lease l = acquire(u, deadline);
            if (!l.conn) {
                l.conn = std::make_unique<connection>();
                connect(*l.conn, u, deadline);
            } else {
                ++s_->reused;
            }
            if (auto res = attempt(l, u, r, sink, deadline)) return std::move(*res);
            ++s_->stale;
            l.conn.reset();  // the server had closed it: drop it and its idle siblings, retry on a fresh one
            {
                std::lock_guard lock(s_->mutex);
                s_->pools[l.origin].idle.clear();
            }
            if (tries > 0) throw error(errc::unavailable, "the connection to " + u.origin() + " was closed twice", "http");
        }
    }

    std::shared_ptr<shared> s_;
};

static_assert(streaming_transport<http>);

}  // namespace agentkit::transport
