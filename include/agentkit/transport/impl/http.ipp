#pragma once
// The definitions of transport::http (see http.hpp): the connection pool and everything on Boost.Beast,
// Asio and OpenSSL. Included by http.hpp in header-only mode; compiled once by src/transport_http.cpp
// when AGENTKIT_SEPARATE_COMPILATION is defined.
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/transport/http.hpp>
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
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace agentkit::transport {

// The state copies of one http share (configuration, pool, TLS context, counters) and the code that works
// on it. Its member functions are defined in the class, so they are inline in both modes; in the separate
// mode only src/transport_http.cpp sees them.
struct http::impl {
    using tcp = boost::asio::ip::tcp;
    // Carries an exception thrown by the caller's sink past the transport's own error translation.
    struct sink_failure {
        std::exception_ptr e;
    };
    struct connection {
        explicit connection(std::size_t max_buffer) : buffer(max_buffer) {}
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

    explicit impl(config c) : cfg(std::move(c)) {}
    const config cfg;
    mutable std::mutex mutex;
    std::condition_variable freed;
    std::unordered_map<std::string, host_pool> pools;
    std::once_flag tls_once;
    std::unique_ptr<boost::asio::ssl::context> tls_ctx;
    std::atomic<std::uint64_t> requests{0}, opened{0}, reused{0}, stale{0}, discarded{0};  // for statistics()

    // A connection checked out of the pool; returned (if still usable) or dropped on destruction.
    struct lease {
        impl* s = nullptr;
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
    static bool connection_lost(const boost::beast::error_code& ec) {
        namespace bhttp = boost::beast::http;
        return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == boost::asio::error::eof ||
               ec == boost::asio::error::connection_reset || ec == boost::asio::error::broken_pipe ||
               ec == boost::asio::error::connection_aborted || ec == boost::asio::error::not_connected;
    }
    // A failed read of the response: a limit, a malformed message, a lost connection or another I/O error.
    [[noreturn]] void fail_read(const std::string& what, const boost::beast::error_code& ec) const {
        namespace bhttp = boost::beast::http;
        if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
            throw error(errc::capacity_exceeded,
                        "a response header or chunk-size line from " + what + " exceeds " +
                            std::to_string(cfg.max_header_bytes) + " bytes",
                        "http.max_header_bytes");
        if (!connection_lost(ec) && ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
            throw error(errc::parse_error, "malformed response from " + what + ": " + ec.message(), "http");
        fail_io("reading the response from " + what, ec);
    }

    // RFC 9110 5.6.2 token characters: what a method or a header name may consist of.
    static bool token_char(char c) noexcept {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) return false;
        return std::string_view("\"(),/:;<=>?@[\\]{}").find(c) == std::string_view::npos;
    }
    // A header value must not carry CR, LF, NUL or another control byte (a horizontal tab is allowed):
    // one would end the header line and let the value write headers of its own. The value is not echoed.
    static void check_header_value(std::string_view name, std::string_view value, const std::string& field) {
        for (const char c : value) {
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\t') || u == 0x7f)
                throw error(errc::invalid_argument,
                            std::string("the value of header '").append(printable(name.substr(0, 100)))
                                .append("' contains a CR, LF, NUL or another control byte"),
                            field);
        }
    }
    static void check_request(const request& r) {
        if (r.method.empty() || r.method.size() > 64 || !std::all_of(r.method.begin(), r.method.end(), token_char))
            throw error(errc::invalid_argument, "the method must be a non-empty HTTP token", "method");
        for (const auto& [name, value] : r.headers) {
            const std::string field = std::string("headers.").append(printable(name.substr(0, 100)));
            if (name.empty() || !std::all_of(name.begin(), name.end(), token_char))
                throw error(errc::invalid_argument, "a header name must be a non-empty HTTP token", field);
            check_header_value(name, value, field);
        }
    }
    static bool idempotent(std::string_view method) noexcept {
        for (const char* m : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
            if (method == m) return true;
        return false;
    }
    // An idle connection is usable when nothing arrived on it: readable means the server closed it (EOF,
    // a reset, a TLS close_notify) or sent bytes nobody asked for; either way it cannot carry a request.
    static bool idle_and_open(connection& c) {
        if (c.buffer.size() != 0) return false;
        ::pollfd p{};
        p.fd = c.lowest().socket().native_handle();
        p.events = POLLIN;
        return ::poll(&p, 1, 0) == 0;
    }

    lease acquire(const url_parts& u, clock::time_point deadline) {
        lease l;
        l.origin = u.origin();
        std::unique_lock lock(mutex);
        auto& p = pools[l.origin];
        const auto idle_limit = std::chrono::milliseconds(cfg.idle_timeout_ms);
        for (;;) {
            while (!p.idle.empty()) {
                auto c = std::move(p.idle.back());
                p.idle.pop_back();
                if (clock::now() - c->idle_since >= idle_limit) continue;
                if (!idle_and_open(*c)) {
                    ++discarded;
                    continue;
                }
                l.conn = std::move(c);
                break;
            }
            if (l.conn || p.idle.size() + p.busy < cfg.max_connections_per_host) break;
            if (freed.wait_until(lock, deadline) == std::cv_status::timeout && clock::now() >= deadline)
                throw error(errc::timeout,
                            std::string("all ").append(std::to_string(cfg.max_connections_per_host)).append(" connections to ").append(l.origin)
                                .append(" stayed busy until the request's total timeout"),
                            "http.max_connections_per_host");
        }
        ++p.busy;
        l.s = this;
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
            knob_ms = cfg.total_timeout_ms;
            if (deadline <= now) fail_timeout(knob, knob_ms, "the request");
            return deadline - now;
        }
        knob_ms = op_ms;
        return op;
    }

    boost::asio::ssl::context& tls_context() {
        std::call_once(tls_once, [this] {
            auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
            boost::beast::error_code ec;
            if (cfg.ca_file.empty())
                ctx->set_default_verify_paths(ec);
            else
                ctx->load_verify_file(cfg.ca_file, ec);
            if (ec) throw error(errc::io_error, std::string("cannot load CA certificates: ").append(ec.message()), "http.ca_file");
            ctx->set_verify_mode(cfg.verify_peer ? boost::asio::ssl::verify_peer : boost::asio::ssl::verify_none);
            tls_ctx = std::move(ctx);
        });
        return *tls_ctx;
    }

    // Resolves on a thread of its own: getaddrinfo cannot be cancelled, and Asio's resolver would make the
    // connection wait for it even after a timeout. A lookup that outlives its budget is left to finish alone.
    static std::vector<tcp::endpoint> resolve(const url_parts& u, clock::duration budget, const char* knob,
                                              std::uint64_t knob_ms) {
        boost::beast::error_code ec;
        const auto literal = boost::asio::ip::make_address(u.host, ec);
        if (!ec) return {tcp::endpoint(literal, u.port)};
        struct lookup {
            std::mutex m;
            std::condition_variable cv;
            bool done = false;
            boost::beast::error_code ec;
            std::vector<tcp::endpoint> endpoints;
        };
        auto state = std::make_shared<lookup>();
        std::thread([state, host = u.host, port = std::to_string(u.port)] {
            boost::beast::error_code e;
            std::vector<tcp::endpoint> found;
            try {
                boost::asio::io_context ioc;
                tcp::resolver resolver(ioc);
                for (const auto& entry : resolver.resolve(host, port, e)) found.push_back(entry.endpoint());
            } catch (...) {
                e = boost::asio::error::no_memory;
            }
            std::lock_guard lock(state->m);
            state->ec = e;
            state->endpoints = std::move(found);
            state->done = true;
            state->cv.notify_all();
        }).detach();
        std::unique_lock lock(state->m);
        if (!state->cv.wait_for(lock, budget, [&] { return state->done; }))
            fail_timeout(knob, knob_ms, "resolving " + u.host);
        if (state->ec) fail_io("cannot resolve " + u.host, state->ec);
        if (state->endpoints.empty()) fail_io("cannot resolve " + u.host, boost::asio::error::host_not_found);
        return std::move(state->endpoints);
    }

    void connect(connection& c, const url_parts& u, clock::time_point deadline) {
        const char* knob = "connect_timeout_ms";
        std::uint64_t knob_ms = 0;
        const auto t = budget(cfg.connect_timeout_ms, deadline, knob, knob_ms);
        const auto connect_deadline = clock::now() + t;  // resolve, connect and handshake share it
        const auto endpoints = resolve(u, t, knob, knob_ms);
        if (u.tls) {
            c.tls.emplace(c.ioc, tls_context());
            if (!SSL_set_tlsext_host_name(c.tls->native_handle(), u.host.c_str()))
                throw error(errc::invalid_argument, "cannot set TLS SNI for " + u.host, "url");
            if (cfg.verify_peer) c.tls->set_verify_callback(boost::asio::ssl::host_name_verification(u.host));
        } else {
            c.plain.emplace(c.ioc);
        }
        auto left = connect_deadline - clock::now();
        if (left <= clock::duration::zero()) fail_timeout(knob, knob_ms, std::string("connecting to ").append(u.origin()));
        boost::beast::error_code ec = run(c, left, [&](auto handler) { c.lowest().async_connect(endpoints, handler); });
        if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, std::string("connecting to ").append(u.origin()));
        if (ec) fail_io(std::string("cannot connect to ").append(u.origin()), ec);
        c.lowest().socket().set_option(tcp::no_delay(true), ec);
        if (c.tls) {
            left = connect_deadline - clock::now();
            if (left <= clock::duration::zero()) fail_timeout(knob, knob_ms, std::string("the TLS handshake with ").append(u.origin()));
            ec = run(c, left, [&](auto handler) { c.tls->async_handshake(boost::asio::ssl::stream_base::client, handler); });
            if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, std::string("the TLS handshake with ").append(u.origin()));
            if (ec) throw error(errc::unavailable, std::string("TLS handshake with ").append(u.origin()).append(" failed: ").append(ec.message()), "http.verify_peer");
        }
        ++opened;
    }

    template <class Op>
    boost::beast::error_code io(connection& c, std::uint64_t op_ms, clock::time_point deadline, const char*& knob,
                                std::uint64_t& knob_ms, Op&& op) {
        const auto t = budget(op_ms, deadline, knob, knob_ms);
        if (c.tls) return run(c, t, [&](auto handler) { op(*c.tls, handler); });
        return run(c, t, [&](auto handler) { op(*c.plain, handler); });
    }

    // One attempt on one connection. Returns nullopt when a reused connection failed in a way that makes
    // sending the request again on a fresh one safe (see the header comment); the caller does that.
    std::optional<response> attempt(lease& l, const url_parts& u, const request& r, const stoppable_sink* sink,
                                    clock::time_point deadline) {
        namespace bhttp = boost::beast::http;
        connection& c = *l.conn;
        const bool was_reused = c.reused;
        bhttp::request<bhttp::string_body> req;
        req.version(11);
        req.method_string(r.method);
        req.target(u.target);
        req.set(bhttp::field::host, u.host_header());
        req.set(bhttp::field::user_agent, cfg.user_agent);
        for (const auto& [k, v] : r.headers) req.set(k, v);
        req.body() = r.body;
        req.prepare_payload();

        const char* knob = "read_timeout_ms";
        std::uint64_t knob_ms = 0;
        auto ec = io(c, cfg.read_timeout_ms, deadline, knob, knob_ms,
                     [&](auto& stream, auto handler) { bhttp::async_write(stream, req, handler); });
        if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, std::string("sending the request to ").append(u.origin()));
        if (ec) {
            // The request did not leave completely, so the server cannot have acted on it: safe to resend.
            if (was_reused && connection_lost(ec)) return std::nullopt;
            fail_io(std::string("cannot send the request to ").append(u.origin()), ec);
        }

        // Interim 1xx responses come before the final one; all their headers share max_header_bytes.
        std::optional<bhttp::response_parser<bhttp::buffer_body>> parser;
        std::size_t header_budget = cfg.max_header_bytes;
        for (;;) {
            parser.emplace();
            parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(header_budget, UINT32_MAX)));
            parser->body_limit(boost::none);
            if (r.method == "HEAD") parser->skip(true);
            const auto buffered_before = c.buffer.size();
            knob = "read_timeout_ms";
            std::size_t header_bytes = 0;
            ec = io(c, cfg.read_timeout_ms, deadline, knob, knob_ms, [&](auto& stream, auto handler) {
                bhttp::async_read_header(stream, c.buffer, *parser,
                                         [handler, &header_bytes](boost::beast::error_code e, std::size_t n) mutable {
                                             header_bytes = n;
                                             handler(e);
                                         });
            });
            if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, std::string("waiting for the response of ").append(u.origin()));
            if (ec) {
                // Nothing of an answer arrived: the server closed the reused connection, perhaps after reading
                // the request. Only an idempotent request may be sent again then.
                if (was_reused && buffered_before == 0 && !parser->got_some() && connection_lost(ec) &&
                    idempotent(r.method))
                    return std::nullopt;
                fail_read(u.origin(), ec);
            }
            const unsigned status = parser->get().result_int();
            if (status >= 200) break;
            if (status == 101) throw error(errc::parse_error, u.origin() + " switched protocols, which was not asked for", "http");
            header_budget -= std::min(header_budget, std::max<std::size_t>(header_bytes, 1));
            if (header_budget == 0) fail_read(u.origin(), bhttp::error::header_limit);
        }

        response res;
        const auto& h = parser->get();
        res.status = static_cast<int>(h.result_int());
        for (const auto& f : h) res.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        const bool to_sink = sink && res.ok();
        const std::uint64_t limit = to_sink ? cfg.max_streamed_bytes : cfg.max_response_bytes;
        const char* limit_knob = to_sink ? "http.max_streamed_bytes" : "http.max_response_bytes";
        auto over_limit = [&] {
            throw error(errc::capacity_exceeded,
                        std::string("the response body from ").append(u.origin()).append(" exceeds ").append(std::to_string(limit)).append(" bytes"), limit_knob);
        };
        if (const auto length = parser->content_length(); length && *length > limit) over_limit();

        const std::uint64_t min_rate = cfg.min_bytes_per_second;
        const auto rate_window = std::chrono::milliseconds(cfg.read_timeout_ms);
        auto window_start = clock::now();
        std::uint64_t window_bytes = 0;
        std::uint64_t received = 0;
        char piece[16 * 1024];
        while (!parser->is_done()) {
            parser->get().body().data = piece;
            parser->get().body().size = sizeof piece;
            knob = "read_timeout_ms";
            ec = io(c, cfg.read_timeout_ms, deadline, knob, knob_ms,
                    [&](auto& stream, auto handler) { bhttp::async_read_some(stream, c.buffer, *parser, handler); });
            if (ec == bhttp::error::need_buffer) ec = {};
            const std::size_t n = sizeof piece - parser->get().body().size;
            received += n;
            if (n) {
                if (received > limit) over_limit();
                if (to_sink) {
                    sink_result next;
                    try {
                        next = (*sink)(std::string_view(piece, n));
                    } catch (...) {
                        throw sink_failure{std::current_exception()};
                    }
                    if (next == sink_result::stop) {
                        l.keep = drain(c, *parser, deadline) && parser->keep_alive();
                        return res;
                    }
                } else {
                    res.body.append(piece, n);
                }
            }
            if (ec == boost::beast::error::timeout) fail_timeout(knob, knob_ms, std::string("reading the response body of ").append(u.origin()));
            if (connection_lost(ec))
                throw error(errc::unavailable,
                            std::string("the connection to ").append(u.origin()).append(" closed after ").append(std::to_string(received))
                                .append(" body bytes, before the response was complete"),
                            "http");
            if (ec) fail_read(u.origin(), ec);
            if (min_rate) {
                window_bytes += n;
                const auto now = clock::now();
                if (now - window_start >= rate_window) {
                    const auto seconds = std::chrono::duration<double>(now - window_start).count();
                    if (static_cast<double>(window_bytes) < static_cast<double>(min_rate) * seconds)
                        throw error(errc::timeout,
                                    std::string("the response body from ").append(u.origin()).append(" arrived slower than ")
                                        .append(std::to_string(min_rate)).append(" bytes per second"),
                                    "http.min_bytes_per_second");
                    window_start = now;
                    window_bytes = 0;
                }
            }
        }
        l.keep = parser->keep_alive();
        return res;
    }

    // After a sink stopped: reads and drops what is left of the body for at most stop_drain_ms (and
    // drain_limit_bytes), so a server that ends the body right away keeps its connection reusable.
    template <class Parser>
    bool drain(connection& c, Parser& parser, clock::time_point deadline) {
        namespace bhttp = boost::beast::http;
        const auto until = std::min(deadline, clock::now() + std::chrono::milliseconds(cfg.stop_drain_ms));
        std::size_t dropped = 0;
        char piece[4096];
        while (!parser.is_done()) {
            const auto left = until - clock::now();
            if (left <= clock::duration::zero() || dropped > drain_limit_bytes) return false;
            parser.get().body().data = piece;
            parser.get().body().size = sizeof piece;
            auto ec = c.tls ? run(c, left, [&](auto h) { bhttp::async_read_some(*c.tls, c.buffer, parser, h); })
                            : run(c, left, [&](auto h) { bhttp::async_read_some(*c.plain, c.buffer, parser, h); });
            if (ec == bhttp::error::need_buffer) ec = {};
            if (ec) return false;
            dropped += sizeof piece - parser.get().body().size;
        }
        return true;
    }

    response exchange_once_or_twice(const request& r, const stoppable_sink* sink) {
        const auto start = clock::now();
        const auto deadline = start + std::chrono::milliseconds(cfg.total_timeout_ms);
        const url_parts u = parse_url(r.url, "url");
        check_request(r);
        ++requests;
        for (int tries = 0;; ++tries) {
            lease l = acquire(u, deadline);
            if (!l.conn) {
                l.conn = std::make_unique<connection>(cfg.max_header_bytes);
                connect(*l.conn, u, deadline);
            } else {
                ++reused;
            }
            if (auto res = attempt(l, u, r, sink, deadline)) return std::move(*res);
            ++stale;
            l.conn.reset();  // the server had closed it: drop it and its idle siblings, retry on a fresh one
            {
                std::lock_guard lock(mutex);
                pools[l.origin].idle.clear();
            }
            if (tries > 0) throw error(errc::unavailable, std::string("the connection to ").append(u.origin()).append(" was closed twice"), "http");
        }
    }
};

AGENTKIT_DECL http::http(config cfg) : impl_(std::make_shared<impl>(std::move(cfg))) {
    const auto& c = impl_->cfg;
    if (c.max_connections_per_host == 0) throw_invalid_field("http.max_connections_per_host", "must be at least 1");
    if (c.connect_timeout_ms == 0) throw_invalid_field("http.connect_timeout_ms", "must be at least 1");
    if (c.read_timeout_ms == 0) throw_invalid_field("http.read_timeout_ms", "must be at least 1");
    if (c.total_timeout_ms == 0) throw_invalid_field("http.total_timeout_ms", "must be at least 1");
    if (c.max_header_bytes < 256) throw_invalid_field("http.max_header_bytes", "must be at least 256");
    impl::check_header_value("User-Agent", c.user_agent, "http.user_agent");
}

AGENTKIT_DECL const http::config& http::settings() const noexcept { return impl_->cfg; }

AGENTKIT_DECL http::stats http::statistics() const {
    const impl& s = *impl_;
    return {s.requests.load(), s.opened.load(), s.reused.load(), s.stale.load(), s.discarded.load()};
}

AGENTKIT_DECL std::size_t http::open_connections(const std::string& origin) const {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->pools.find(origin);
    return it == impl_->pools.end() ? 0 : it->second.idle.size() + it->second.busy;
}

AGENTKIT_DECL http::response http::exchange(const request& r, const stoppable_sink* sink) {
    try {
        return impl_->exchange_once_or_twice(r, sink);
    } catch (const error&) {
        throw;
    } catch (const impl::sink_failure& f) {
        std::rethrow_exception(f.e);
    } catch (const std::bad_alloc&) {
        throw error(errc::capacity_exceeded, "out of memory during an HTTP exchange", "http");
    } catch (const std::exception& e) {
        throw error(errc::io_error, std::string("HTTP exchange failed: ") + e.what(), "http");
    }
}

}  // namespace agentkit::transport
