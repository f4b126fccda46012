#pragma once
// The definitions of transport::http (see http.hpp): the connection pool and the exchange coroutine on
// Boost.Beast, Asio and OpenSSL. Included by http.hpp in header-only mode; compiled once by
// src/transport_http.cpp when AGENTKIT_SEPARATE_COMPILATION is defined.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/transport/http.hpp>
#include <agentkit/transport/url.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
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
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::transport {

// The state copies of one http share (configuration, pool, TLS context, counters, metrics) and the code
// that works on it. Its member functions are defined in the class, so they are inline in both modes; in the
// separate mode only src/transport_http.cpp sees them. An exchange coroutine holds a shared_ptr to it.
struct http::impl {
    using tcp = boost::asio::ip::tcp;
    using error_code = boost::system::error_code;
    template <class T>
    using awaitable = boost::asio::awaitable<T>;
    // A one-shot wake-up another thread may send (thread-safe, never blocks the sender).
    using signal = boost::asio::experimental::concurrent_channel<void(error_code)>;

    // Carries an exception thrown by the caller's sink past the transport's own error translation.
    struct sink_failure {
        std::exception_ptr e;
    };
    struct connection {
        explicit connection(std::size_t max_buffer) : buffer(max_buffer) {}
        std::optional<boost::beast::tcp_stream> plain;
        std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
        boost::beast::flat_buffer buffer;
        clock::time_point idle_since{};
        bool reused = false;

        boost::beast::tcp_stream& lowest() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }
        ~connection() {
            error_code ec;
            if (plain || tls) lowest().socket().close(ec);
        }
    };

    // Metric families (attach_metrics) and the series of one origin, looked up once.
    struct family_set {
        std::string client;
        observe::counter_family* requests = nullptr;
        observe::counter_family* opened = nullptr;
        observe::counter_family* reused = nullptr;
        observe::counter_family* timeouts = nullptr;
        observe::counter_family* cancellations = nullptr;
        observe::gauge_family* connections = nullptr;
    };
    struct origin_series {
        const family_set* families = nullptr;
        std::string origin;
        observe::counter* requests = nullptr;
        observe::counter* opened = nullptr;
        observe::counter* reused = nullptr;
        observe::counter* cancellations = nullptr;
        observe::gauge* idle = nullptr;
        observe::gauge* busy = nullptr;
    };

    // An exchange waiting for a connection: the releaser hands it a slot (with a connection, or none to open).
    struct waiter {
        explicit waiter(std::shared_ptr<signal> s) : wake(std::move(s)) {}
        std::shared_ptr<signal> wake;
        bool granted = false;
        std::unique_ptr<connection> conn;
    };
    struct host_pool {
        std::vector<std::unique_ptr<connection>> idle;
        std::size_t busy = 0;
        std::deque<std::shared_ptr<waiter>> waiters;  // FIFO
        origin_series* series = nullptr;
    };

    impl(config c, boost::asio::any_io_executor ex) : cfg(std::move(c)), io(std::move(ex)) {}
    const config cfg;
    const boost::asio::any_io_executor io;  // where connections live; each exchange runs on a strand of it
    mutable std::mutex mutex;               // pools, series
    std::unordered_map<std::string, host_pool> pools;
    std::deque<origin_series> all_series;  // stable addresses for the registry's lifetime
    std::deque<family_set> all_families;
    std::atomic<const family_set*> metrics{nullptr};
    std::once_flag tls_once;
    std::unique_ptr<boost::asio::ssl::context> tls_ctx;
    std::atomic<std::uint64_t> requests{0}, opened{0}, reused{0}, stale{0}, discarded{0}, timeouts{0}, cancelled{0};

    // A connection checked out of the pool (one pool slot); returned (if still usable) or dropped on destruction.
    struct lease {
        impl* s = nullptr;
        host_pool* pool = nullptr;
        std::string origin;
        std::unique_ptr<connection> conn;
        bool keep = false;
        lease() = default;
        lease(lease&& o) noexcept
            : s(o.s), pool(o.pool), origin(std::move(o.origin)), conn(std::move(o.conn)), keep(o.keep) {
            o.s = nullptr;
        }
        lease& operator=(lease&&) = delete;
        ~lease() {
            if (s) s->release(*pool, keep ? std::move(conn) : nullptr);
        }
    };

    // ---- errors ---------------------------------------------------------------------------------------------
    [[noreturn]] static void fail_timeout(const char* knob, std::chrono::milliseconds limit, const std::string& what) {
        throw error(errc::timeout, what + " timed out after " + std::to_string(limit.count()) + " ms",
                    std::string("http.") + knob);
    }
    [[noreturn]] static void fail_io(const std::string& what, const error_code& ec) {
        throw error(errc::unavailable, what + ": " + ec.message(), "http");
    }
    [[noreturn]] static void fail_cancelled() { throw error(errc::cancelled, "the request was cancelled", "http"); }
    static void check_aborted(const error_code& ec) {
        if (ec == boost::asio::error::operation_aborted) fail_cancelled();
    }
    static awaitable<void> check_cancelled() {
        const auto state = co_await boost::asio::this_coro::cancellation_state;
        if (state.cancelled() != boost::asio::cancellation_type::none) fail_cancelled();
    }
    static bool connection_lost(const error_code& ec) {
        namespace bhttp = boost::beast::http;
        return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
            ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset ||
            ec == boost::asio::error::broken_pipe || ec == boost::asio::error::connection_aborted ||
            ec == boost::asio::error::not_connected;
    }
    // A failed read of the response: a limit, a malformed message, a lost connection or another I/O error.
    [[noreturn]] void fail_read(const std::string& what, const error_code& ec) const {
        namespace bhttp = boost::beast::http;
        check_aborted(ec);
        if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
            throw error(errc::capacity_exceeded,
                        "a response header or chunk-size line from " + what + " exceeds " +
                            std::to_string(cfg.max_header_bytes) + " bytes",
                        "http.max_header_bytes");
        if (!connection_lost(ec) && ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
            throw error(errc::parse_error, "malformed response from " + what + ": " + ec.message(), "http");
        fail_io("reading the response from " + what, ec);
    }

    // ---- request checks -------------------------------------------------------------------------------------
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
                            std::string("the value of header '")
                                .append(printable(name.substr(0, 100)))
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

    // ---- executors ------------------------------------------------------------------------------------------
    // True when the calling thread runs `ex`'s execution context (an io_context or a thread_pool, directly or
    // through a strand): a synchronous wait there could wait for itself.
    static bool runs_here(const boost::asio::any_io_executor& ex) {
        // Both run their handlers through Asio's scheduler service, which knows the threads inside it.
        auto& context = boost::asio::query(ex, boost::asio::execution::context);
        using scheduler = boost::asio::detail::scheduler;
        return boost::asio::has_service<scheduler>(context) &&
            boost::asio::use_service<scheduler>(context).can_dispatch();
    }

    // Closing (not cancelling) also ends a receive that starts after the timer fired.
    struct close_on_expiry {
        std::shared_ptr<signal> s;
        void operator()(const error_code& ec) const {
            if (!ec) s->close();
        }
    };
    // Waits until `s` is signalled or `until` passes (the caller then checks its state under its lock); ends
    // early when the awaiting coroutine is cancelled (the caller checks that too).
    static awaitable<void> wait_for(std::shared_ptr<signal> s, clock::time_point until) {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
        timer.expires_at(until);
        timer.async_wait(close_on_expiry{s});
        (void)co_await s->async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
        timer.cancel();
    }

    // ---- metrics --------------------------------------------------------------------------------------------
    void attach(observe::metric_registry& registry, std::string_view client) {
        family_set m;
        m.client = std::string(client);
        m.requests = &registry.find_or_add_counter("agentkit_http_client_requests",
                                                   "HTTP requests started by the client", {"client", "origin"});
        m.opened = &registry.find_or_add_counter("agentkit_http_client_connections_opened",
                                                 "Connections opened (TCP, and TLS where https)", {"client", "origin"});
        m.reused =
            &registry.find_or_add_counter("agentkit_http_client_connections_reused",
                                          "Requests sent on a pooled keep-alive connection", {"client", "origin"});
        m.timeouts = &registry.find_or_add_counter("agentkit_http_client_timeouts",
                                                   "Requests ended by a timeout, by the knob that bounded them",
                                                   {"client", "origin", "knob"});
        m.cancellations = &registry.find_or_add_counter(
            "agentkit_http_client_cancellations", "Requests ended by the caller's cancellation", {"client", "origin"});
        m.connections =
            &registry.find_or_add_gauge("agentkit_http_client_connections",
                                        "Pooled connections per origin, idle or in use", {"client", "origin", "state"});
        std::lock_guard lock(mutex);
        all_families.push_back(std::move(m));
        metrics.store(&all_families.back(), std::memory_order_release);
        for (auto& [origin, pool] : pools) series_of(origin, pool);
    }
    // Under the lock: the pool's series in the current family set (null without metrics).
    origin_series* series_of(const std::string& origin, host_pool& p) {
        const family_set* m = metrics.load(std::memory_order_acquire);
        if (!m) return nullptr;
        if (!p.series || p.series->families != m) {
            origin_series s;
            s.families = m;
            s.origin = origin;
            s.requests = &m->requests->with({m->client, origin});
            s.opened = &m->opened->with({m->client, origin});
            s.reused = &m->reused->with({m->client, origin});
            s.cancellations = &m->cancellations->with({m->client, origin});
            s.idle = &m->connections->with({m->client, origin, "idle"});
            s.busy = &m->connections->with({m->client, origin, "busy"});
            all_series.push_back(std::move(s));
            p.series = &all_series.back();
        }
        publish(p);
        return p.series;
    }
    static void publish(const host_pool& p) {
        if (!p.series) return;
        p.series->idle->set(static_cast<double>(p.idle.size()));
        p.series->busy->set(static_cast<double>(p.busy));
    }
    // Counts a failed exchange (timeouts by knob, cancellations) in statistics() and the metrics.
    void count_failure(const error& e, const origin_series* s) {
        if (e.code() == make_error_code(errc::timeout)) {
            ++timeouts;
            if (s) {
                std::string_view knob = e.field();
                if (knob.starts_with("http.")) knob.remove_prefix(5);
                s->families->timeouts->with({s->families->client, s->origin, knob}).increment();
            }
        } else if (e.code() == make_error_code(errc::cancelled)) {
            ++cancelled;
            if (s) s->cancellations->increment();
        }
    }

    // ---- the pool -------------------------------------------------------------------------------------------
    // An idle connection is usable when nothing arrived on it: readable means the server closed it (EOF,
    // a reset, a TLS close_notify) or sent bytes nobody asked for; either way it cannot carry a request.
    static bool idle_and_open(connection& c) {
        if (c.buffer.size() != 0) return false;
        ::pollfd p{};
        p.fd = c.lowest().socket().native_handle();
        p.events = POLLIN;
        return ::poll(&p, 1, 0) == 0;
    }

    // Gives a slot back: to the first waiter (with the connection when it is kept), else to the pool.
    void release(host_pool& p, std::unique_ptr<connection> back) {
        std::shared_ptr<waiter> next;
        {
            std::lock_guard lock(mutex);
            if (back) {
                back->idle_since = clock::now();
                back->reused = true;
            }
            if (!p.waiters.empty()) {
                next = std::move(p.waiters.front());
                p.waiters.pop_front();
                next->granted = true;
                next->conn = std::move(back);
            } else {
                --p.busy;
                if (back) p.idle.push_back(std::move(back));
            }
            publish(p);
        }
        back.reset();
        if (next) next->wake->try_send(error_code{});
    }

    // A slot for one exchange with `u`'s origin: an idle connection, room for a new one, or (all busy) a wait
    // in line for one until `deadline`.
    awaitable<lease> acquire(const url_parts& u, clock::time_point deadline) {
        lease l;
        l.origin = u.origin();
        std::shared_ptr<waiter> w;
        host_pool* pool = nullptr;
        {
            std::lock_guard lock(mutex);
            host_pool& p = pools[l.origin];
            pool = &p;
            const auto idle_limit = cfg.idle_timeout;
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
            if (l.conn || p.idle.size() + p.busy < cfg.max_connections_per_host) {
                ++p.busy;
                l.s = this;
                l.pool = &p;
            } else {
                w = std::make_shared<waiter>(std::make_shared<signal>(io, 1));
                p.waiters.push_back(w);
            }
            publish(p);
        }
        if (!w) co_return std::move(l);
        try {
            co_await wait_for(w->wake, deadline);
        } catch (...) {
            abandon(*pool, w);
            throw;
        }
        bool granted = false;
        {
            std::lock_guard lock(mutex);
            if (w->granted) {
                granted = true;
                l.conn = std::move(w->conn);
                l.s = this;
                l.pool = pool;
            } else {
                std::erase(pool->waiters, w);
            }
        }
        if (granted) co_return std::move(l);
        co_await check_cancelled();
        throw error(errc::timeout,
                    std::string("all ")
                        .append(std::to_string(cfg.max_connections_per_host))
                        .append(" connections to ")
                        .append(l.origin)
                        .append(" stayed busy until the request's total timeout"),
                    "http.max_connections_per_host");
    }
    // A waiter leaving the line early: a slot it was granted meanwhile goes to the next one.
    void abandon(host_pool& p, const std::shared_ptr<waiter>& w) {
        std::unique_ptr<connection> handed;
        {
            std::lock_guard lock(mutex);
            if (!w->granted) {
                std::erase(p.waiters, w);
                return;
            }
            handed = std::move(w->conn);
        }
        release(p, std::move(handed));
    }
    void close_idle() {
        std::lock_guard lock(mutex);
        for (auto& [origin, p] : pools) {
            p.idle.clear();
            publish(p);
        }
    }

    // ---- connecting -----------------------------------------------------------------------------------------
    clock::duration budget(std::chrono::milliseconds op, clock::time_point deadline, const char*& knob,
                           std::chrono::milliseconds& knob_limit) const {
        const auto now = clock::now();
        if (deadline - now < op) {
            knob = "total_timeout";
            knob_limit = cfg.total_timeout;
            if (deadline <= now) fail_timeout(knob, knob_limit, "the request");
            return deadline - now;
        }
        knob_limit = op;
        return op;
    }

    boost::asio::ssl::context& tls_context() {
        std::call_once(tls_once, [this] {
            auto ctx = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
            error_code ec;
            if (cfg.ca_file.empty())
                ctx->set_default_verify_paths(ec);
            else
                ctx->load_verify_file(cfg.ca_file, ec);
            if (ec)
                throw error(errc::io_error, std::string("cannot load CA certificates: ").append(ec.message()),
                            "http.ca_file");
            ctx->set_verify_mode(cfg.verify_peer ? boost::asio::ssl::verify_peer : boost::asio::ssl::verify_none);
            tls_ctx = std::move(ctx);
        });
        return *tls_ctx;
    }

    struct lookup {
        std::mutex m;
        bool done = false;
        error_code ec;
        std::vector<tcp::endpoint> endpoints;
        signal* waiting = nullptr;  // null once the exchange stopped waiting
    };
    struct stop_waiting {
        lookup* s;
        ~stop_waiting() {
            std::lock_guard lock(s->m);
            s->waiting = nullptr;
        }
    };
    static void look_up(std::shared_ptr<lookup> state, std::string host, std::string port) {
        error_code e;
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
        if (state->waiting) state->waiting->try_send(error_code{});
    }
    // Resolves on a thread of its own: getaddrinfo cannot be cancelled, and Asio's resolver would make the
    // connection wait for it even after a timeout. The result comes back through a signal, so no executor
    // thread waits; a lookup that outlives its budget (or a cancelled exchange) is left to finish alone.
    static awaitable<std::vector<tcp::endpoint>> resolve(const url_parts& u, clock::time_point until, const char* knob,
                                                         std::chrono::milliseconds knob_limit) {
        error_code ec;
        const auto literal = boost::asio::ip::make_address(u.host, ec);
        if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(literal, u.port)};
        auto state = std::make_shared<lookup>();
        auto wake = std::make_shared<signal>(co_await boost::asio::this_coro::executor, 1);
        state->waiting = wake.get();
        const stop_waiting detach_on_exit{state.get()};
        std::thread(look_up, state, u.host, std::to_string(u.port)).detach();
        co_await wait_for(wake, until);
        co_await check_cancelled();
        std::vector<tcp::endpoint> endpoints;
        {
            std::lock_guard lock(state->m);
            state->waiting = nullptr;
            if (state->done) {
                ec = state->ec;
                endpoints = std::move(state->endpoints);
            } else {
                ec = boost::asio::error::timed_out;
            }
        }
        if (ec == boost::asio::error::timed_out) fail_timeout(knob, knob_limit, "resolving " + u.host);
        if (ec) fail_io("cannot resolve " + u.host, ec);
        if (endpoints.empty()) fail_io("cannot resolve " + u.host, boost::asio::error::host_not_found);
        co_return endpoints;
    }

    awaitable<void> connect(connection& c, const url_parts& u, clock::time_point deadline,
                            const origin_series* series) {
        const char* knob = "connect_timeout";
        std::chrono::milliseconds knob_limit{0};
        const auto t = budget(cfg.connect_timeout, deadline, knob, knob_limit);
        const auto connect_deadline = clock::now() + t;  // resolve, connect and handshake share it
        const auto endpoints = co_await resolve(u, connect_deadline, knob, knob_limit);
        if (u.tls) {
            c.tls.emplace(io, tls_context());
            if (!SSL_set_tlsext_host_name(c.tls->native_handle(), u.host.c_str()))
                throw error(errc::invalid_argument, "cannot set TLS SNI for " + u.host, "url");
            if (cfg.verify_peer) c.tls->set_verify_callback(boost::asio::ssl::host_name_verification(u.host));
        } else {
            c.plain.emplace(io);
        }
        auto left = connect_deadline - clock::now();
        if (left <= clock::duration::zero())
            fail_timeout(knob, knob_limit, std::string("connecting to ").append(u.origin()));
        c.lowest().expires_after(left);
        const auto connected =
            co_await c.lowest().async_connect(endpoints, boost::asio::as_tuple(boost::asio::use_awaitable));
        error_code ec = std::get<0>(connected);
        if (ec == boost::beast::error::timeout)
            fail_timeout(knob, knob_limit, std::string("connecting to ").append(u.origin()));
        check_aborted(ec);
        if (ec) fail_io(std::string("cannot connect to ").append(u.origin()), ec);
        c.lowest().socket().set_option(tcp::no_delay(true), ec);
        if (c.tls) {
            left = connect_deadline - clock::now();
            if (left <= clock::duration::zero())
                fail_timeout(knob, knob_limit, std::string("the TLS handshake with ").append(u.origin()));
            c.lowest().expires_after(left);
            const auto shaken = co_await c.tls->async_handshake(boost::asio::ssl::stream_base::client,
                                                                boost::asio::as_tuple(boost::asio::use_awaitable));
            ec = std::get<0>(shaken);
            if (ec == boost::beast::error::timeout)
                fail_timeout(knob, knob_limit, std::string("the TLS handshake with ").append(u.origin()));
            check_aborted(ec);
            if (ec)
                throw error(
                    errc::unavailable,
                    std::string("TLS handshake with ").append(u.origin()).append(" failed: ").append(ec.message()),
                    "http.verify_peer");
        }
        ++opened;
        if (series) series->opened->increment();
    }

    // ---- the exchange ---------------------------------------------------------------------------------------
    // The completion token of every operation: (error, results...) as a tuple, never an exception.
    static auto as_result() { return boost::asio::as_tuple(boost::asio::use_awaitable); }
    // The operations transfer() runs on either stream type.
    struct write_op {
        boost::beast::http::request<boost::beast::http::string_body>& req;
        template <class Stream>
        auto operator()(Stream& s) const {
            return boost::beast::http::async_write(s, req, as_result());
        }
    };
    template <class Parser>
    struct read_header_op {
        boost::beast::flat_buffer& buffer;
        Parser& parser;
        template <class Stream>
        auto operator()(Stream& s) const {
            return boost::beast::http::async_read_header(s, buffer, parser, as_result());
        }
    };
    template <class Parser>
    struct read_some_op {
        boost::beast::flat_buffer& buffer;
        Parser& parser;
        template <class Stream>
        auto operator()(Stream& s) const {
            return boost::beast::http::async_read_some(s, buffer, parser, as_result());
        }
    };
    // One read or write on the connection's stream (TLS or plain) with an expiry; (error, bytes).
    template <class Op>
    static awaitable<std::tuple<error_code, std::size_t>> transfer(connection& c, clock::duration timeout, Op op) {
        c.lowest().expires_after(timeout);
        if (c.tls) co_return co_await op(*c.tls);
        co_return co_await op(*c.plain);
    }

    using buffer_parser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;
    [[noreturn]] static void fail_body_limit(const std::string& origin, std::uint64_t limit, const char* knob) {
        throw error(errc::capacity_exceeded,
                    std::string("the response body from ")
                        .append(origin)
                        .append(" exceeds ")
                        .append(std::to_string(limit))
                        .append(" bytes"),
                    knob);
    }
    // One attempt on one connection. Returns nullopt when a reused connection failed in a way that makes
    // sending the request again on a fresh one safe (see the header comment); the caller does that.
    awaitable<std::optional<response>> attempt(lease& l, const url_parts& u, const request& r,
                                               const stoppable_sink* sink, clock::time_point deadline) {
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

        const char* knob = "read_timeout";
        std::chrono::milliseconds knob_limit{0};
        auto t = budget(cfg.read_timeout, deadline, knob, knob_limit);
        auto written = co_await transfer(c, t, write_op{req});
        error_code ec = std::get<0>(written);
        if (ec == boost::beast::error::timeout)
            fail_timeout(knob, knob_limit, std::string("sending the request to ").append(u.origin()));
        check_aborted(ec);
        if (ec) {
            // The request did not leave completely, so the server cannot have acted on it: safe to resend.
            if (was_reused && connection_lost(ec)) co_return std::nullopt;
            fail_io(std::string("cannot send the request to ").append(u.origin()), ec);
        }

        // Interim 1xx responses come before the final one; all their headers share max_header_bytes.
        std::optional<buffer_parser> parser;
        std::size_t header_budget = cfg.max_header_bytes;
        for (;;) {
            parser.emplace();
            parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(header_budget, UINT32_MAX)));
            parser->body_limit(boost::none);
            if (r.method == "HEAD") parser->skip(true);
            const auto buffered_before = c.buffer.size();
            knob = "read_timeout";
            t = budget(cfg.read_timeout, deadline, knob, knob_limit);
            auto header = co_await transfer(c, t, read_header_op<buffer_parser>{c.buffer, *parser});
            ec = std::get<0>(header);
            const std::size_t header_bytes = std::get<1>(header);
            if (ec == boost::beast::error::timeout)
                fail_timeout(knob, knob_limit, std::string("waiting for the response of ").append(u.origin()));
            check_aborted(ec);
            if (ec) {
                // Nothing of an answer arrived: the server closed the reused connection, perhaps after reading
                // the request. Only an idempotent request may be sent again then.
                if (was_reused && buffered_before == 0 && !parser->got_some() && connection_lost(ec) &&
                    idempotent(r.method))
                    co_return std::nullopt;
                fail_read(u.origin(), ec);
            }
            const unsigned status = parser->get().result_int();
            if (status >= 200) break;
            if (status == 101)
                throw error(errc::parse_error, u.origin() + " switched protocols, which was not asked for", "http");
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
        if (const auto length = parser->content_length(); length && *length > limit)
            fail_body_limit(u.origin(), limit, limit_knob);

        const std::uint64_t min_rate = cfg.min_bytes_per_second;
        const auto rate_window = cfg.read_timeout;
        auto window_start = clock::now();
        std::uint64_t window_bytes = 0;
        std::uint64_t received = 0;
        std::unique_ptr<char[]> piece_buffer(new char[piece_bytes]);
        char* const piece = piece_buffer.get();
        while (!parser->is_done()) {
            parser->get().body().data = piece;
            parser->get().body().size = piece_bytes;
            knob = "read_timeout";
            t = budget(cfg.read_timeout, deadline, knob, knob_limit);
            auto got = co_await transfer(c, t, read_some_op<buffer_parser>{c.buffer, *parser});
            ec = std::get<0>(got);
            if (ec == bhttp::error::need_buffer) ec = {};
            const std::size_t n = piece_bytes - parser->get().body().size;
            received += n;
            if (n) {
                if (received > limit) fail_body_limit(u.origin(), limit, limit_knob);
                if (to_sink) {
                    sink_result next;
                    try {
                        next = (*sink)(std::string_view(piece, n));
                    } catch (...) {
                        throw sink_failure{std::current_exception()};
                    }
                    if (next == sink_result::stop) {
                        l.keep = co_await drain(c, *parser, deadline) && parser->keep_alive();
                        co_return res;
                    }
                } else {
                    res.body.append(piece, n);
                }
            }
            if (ec == boost::beast::error::timeout)
                fail_timeout(knob, knob_limit, std::string("reading the response body of ").append(u.origin()));
            check_aborted(ec);
            if (connection_lost(ec))
                throw error(errc::unavailable,
                            std::string("the connection to ")
                                .append(u.origin())
                                .append(" closed after ")
                                .append(std::to_string(received))
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
                                    std::string("the response body from ")
                                        .append(u.origin())
                                        .append(" arrived slower than ")
                                        .append(std::to_string(min_rate))
                                        .append(" bytes per second"),
                                    "http.min_bytes_per_second");
                    window_start = now;
                    window_bytes = 0;
                }
            }
        }
        l.keep = parser->keep_alive();
        co_return res;
    }
    static constexpr std::size_t piece_bytes = 16 * 1024;

    // After a sink stopped: reads and drops what is left of the body for at most stop_drain (and
    // drain_limit_bytes), so a server that ends the body right away keeps its connection reusable.
    template <class Parser>
    awaitable<bool> drain(connection& c, Parser& parser, clock::time_point deadline) {
        namespace bhttp = boost::beast::http;
        const auto until = std::min(deadline, clock::now() + cfg.stop_drain);
        std::size_t dropped = 0;
        char piece[4096];
        while (!parser.is_done()) {
            const auto left = until - clock::now();
            if (left <= clock::duration::zero() || dropped > drain_limit_bytes) co_return false;
            parser.get().body().data = piece;
            parser.get().body().size = sizeof piece;
            auto got = co_await transfer(c, left, read_some_op<Parser>{c.buffer, parser});
            error_code ec = std::get<0>(got);
            if (ec == bhttp::error::need_buffer) ec = {};
            check_aborted(ec);
            if (ec) co_return false;
            dropped += sizeof piece - parser.get().body().size;
        }
        co_return true;
    }

    awaitable<response> exchange_once_or_twice(const request& r, const stoppable_sink* sink,
                                               const origin_series*& series) {
        const auto start = clock::now();
        const auto deadline = start + cfg.total_timeout;
        const url_parts u = parse_url(r.url, "url");
        check_request(r);
        ++requests;
        if (metrics.load(std::memory_order_acquire)) {
            std::lock_guard lock(mutex);
            const auto origin = u.origin();
            series = series_of(origin, pools[origin]);
            if (series) series->requests->increment();
        }
        for (int tries = 0;; ++tries) {
            lease l = co_await acquire(u, deadline);
            co_await check_cancelled();
            if (!l.conn) {
                l.conn = std::make_unique<connection>(cfg.max_header_bytes);
                co_await connect(*l.conn, u, deadline, series);
            } else {
                ++reused;
                if (series) series->reused->increment();
            }
            auto res = co_await attempt(l, u, r, sink, deadline);
            if (res) co_return std::move(*res);
            ++stale;
            l.conn.reset();  // the server had closed it: drop it and its idle siblings, retry on a fresh one
            {
                std::lock_guard lock(mutex);
                l.pool->idle.clear();
                publish(*l.pool);
            }
            if (tries > 0)
                throw error(errc::unavailable,
                            std::string("the connection to ").append(u.origin()).append(" was closed twice"), "http");
        }
    }

    // The exchange with the transport's error translation: only agentkit::error leaves (and a sink's own).
    static awaitable<response> run(std::shared_ptr<impl> self, const request& r, const stoppable_sink* sink) {
        const origin_series* series = nullptr;
        try {
            co_return co_await self->exchange_once_or_twice(r, sink, series);
        } catch (const error& e) {
            self->count_failure(e, series);
            throw;
        } catch (const sink_failure& f) {
            std::rethrow_exception(f.e);
        } catch (const std::bad_alloc&) {
            throw error(errc::capacity_exceeded, "out of memory during an HTTP exchange", "http");
        } catch (const boost::system::system_error& e) {
            if (e.code() != boost::asio::error::operation_aborted)
                throw error(errc::io_error, std::string("HTTP exchange failed: ") + e.what(), "http");
            // Cancelled between two operations (Asio refuses to start one once the coroutine is cancelled).
            const error cancelled_error(errc::cancelled, "the request was cancelled", "http");
            self->count_failure(cancelled_error, series);
            throw cancelled_error;
        } catch (const std::exception& e) {
            throw error(errc::io_error, std::string("HTTP exchange failed: ") + e.what(), "http");
        }
    }
    // Runs the exchange on a strand of the client's executor and resumes the caller on its own; the caller's
    // cancellation reaches the exchange (co_spawn forwards it).
    static awaitable<response> on_strand(std::shared_ptr<impl> self, const request& r, const stoppable_sink* sink) {
        auto strand = boost::asio::make_strand(self->io);
        co_return co_await boost::asio::co_spawn(strand, run(std::move(self), r, sink), boost::asio::use_awaitable);
    }
};

// http(config): an io_context of the client's own and the thread that runs it (from the first request on).
struct http::own_context {
    explicit own_context(std::shared_ptr<impl> p) : pool(std::move(p)) {}
    boost::asio::io_context ioc{1};
    std::shared_ptr<impl> pool;  // its idle connections are closed before the io_context goes
    std::once_flag started;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
    std::thread thread;

    void start() {
        std::call_once(started, [this] {
            work.emplace(ioc.get_executor());
            thread = std::thread([this] {
                for (;;) {
                    try {
                        ioc.run();
                        return;
                    } catch (...) {  // the exchanges catch everything; keep the loop alive regardless
                    }
                }
            });
        });
    }
    ~own_context() {
        if (thread.joinable()) {
            work.reset();
            ioc.stop();
            if (thread.get_id() == std::this_thread::get_id())
                thread.detach();  // the last copy went inside a sink on the I/O thread: run() returns after it
            else
                thread.join();
        }
        pool->close_idle();
    }
};

namespace detail {
inline void check_http_config(const http::config& c) {
    if (c.max_connections_per_host == 0) throw_invalid_field("http.max_connections_per_host", "must be at least 1");
    if (c.connect_timeout < std::chrono::milliseconds(1))
        throw_invalid_field("http.connect_timeout", "must be at least 1 ms");
    if (c.read_timeout < std::chrono::milliseconds(1))
        throw_invalid_field("http.read_timeout", "must be at least 1 ms");
    if (c.total_timeout < std::chrono::milliseconds(1))
        throw_invalid_field("http.total_timeout", "must be at least 1 ms");
    if (c.max_header_bytes < 256) throw_invalid_field("http.max_header_bytes", "must be at least 256");
}
}  // namespace detail

AGENTKIT_DECL http::http(config cfg) {
    detail::check_http_config(cfg);
    impl::check_header_value("User-Agent", cfg.user_agent, "http.user_agent");
    // The io_context must exist before the pool that refers to its executor; the pool is shared with it.
    auto own = std::make_shared<own_context>(nullptr);
    impl_ = std::make_shared<impl>(std::move(cfg), own->ioc.get_executor());
    own->pool = impl_;
    own_ = std::move(own);
}

AGENTKIT_DECL http::http(boost::asio::any_io_executor ex, config cfg) {
    detail::check_http_config(cfg);
    impl::check_header_value("User-Agent", cfg.user_agent, "http.user_agent");
    if (!ex) throw_invalid_field("http.executor", "must be a valid executor");
    impl_ = std::make_shared<impl>(std::move(cfg), std::move(ex));
}

AGENTKIT_DECL const http::config& http::configuration() const noexcept { return impl_->cfg; }

AGENTKIT_DECL http::stats http::statistics() const {
    const impl& s = *impl_;
    return {s.requests.load(),  s.opened.load(),   s.reused.load(),   s.stale.load(),
            s.discarded.load(), s.timeouts.load(), s.cancelled.load()};
}

AGENTKIT_DECL std::size_t http::open_connections(const std::string& origin) const {
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->pools.find(origin);
    return it == impl_->pools.end() ? 0 : it->second.idle.size() + it->second.busy;
}

AGENTKIT_DECL boost::asio::any_io_executor http::get_executor() const { return impl_->io; }

AGENTKIT_DECL void http::attach_metrics(observe::metric_registry& registry, std::string_view instance) {
    impl_->attach(registry, instance);
}

AGENTKIT_DECL boost::asio::awaitable<http::response> http::async_exchange(const request& r,
                                                                          const stoppable_sink* sink) {
    if (own_) own_->start();
    return impl::on_strand(impl_, r, sink);
}

AGENTKIT_DECL http::response http::exchange(const request& r, const stoppable_sink* sink) {
    if (own_) own_->start();
    if (impl::runs_here(impl_->io))
        throw error(errc::invalid_argument,
                    "the synchronous send()/stream() was called on a thread that runs the client's executor, where it "
                    "would wait for itself; co_await async_send()/async_stream() there, or call from another thread",
                    "http");
    auto done =
        boost::asio::co_spawn(boost::asio::make_strand(impl_->io), impl::run(impl_, r, sink), boost::asio::use_future);
    return done.get();
}

}  // namespace agentkit::transport
AGENTKIT_COROUTINES_END
