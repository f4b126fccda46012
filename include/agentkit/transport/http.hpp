#pragma once
// http: the transport policy for real endpoints, on Boost.Beast (needs agentkit::http: Boost 1.81 + OpenSSL).
// One exchange (pool, resolve, connect, TLS handshake, write, 1xx, body, drain, the one safe resend) is one
// C++20 coroutine on Boost.Asio; the synchronous API runs that coroutine and waits for it.
//
//   co_await client.async_send(request)            the caller's coroutine holds no thread while it waits
//   co_await client.async_stream(request, on_body)
//   client.send(request) / client.stream(...)       blocks the calling thread until the coroutine is done
//
// Executors:
//   - http(config): the client owns an io_context run by one I/O thread of its own, started on first use and
//     stopped (joined) when the last copy is destroyed; every connection lives there. Async exchanges
//     started on such a client must be finished before its last copy is destroyed.
//   - http(executor, config): connections live on the caller's executor (e.g. an io_context run by 2
//     threads), so coroutines there hold no extra thread. The executor's context must outlive every copy,
//     and some thread must run it (the synchronous API waits for it too).
//   Each exchange runs on a strand of the client's executor (Beast's streams are not thread-safe), so the
//   executor may be multi-threaded. The synchronous API must not be called from a thread that runs the
//   client's executor (it would wait for work only that thread can do): where that can be detected (an
//   io_context, a thread_pool, strands of them, the client's own I/O thread) it throws
//   agentkit::error(errc::invalid_argument, ..., "http") instead of deadlocking; call it from another
//   thread, or co_await the async API there.
//
//   - keep-alive: a pool of connections per origin (scheme, host, port) shared by all copies, threads and
//     coroutines, at most max_connections_per_host open at once (in use + idle), a connection used by one
//     exchange at a time; an exchange that finds all busy waits for one asynchronously, in arrival order
//     (no thread blocks), within its total timeout (errc::timeout naming http.max_connections_per_host);
//     idle connections older than idle_timeout are closed instead of reused;
//   - timeouts: connect_timeout (resolve + connect + TLS handshake), read_timeout (no byte for that
//     long), total_timeout (the whole exchange); each ends the request with errc::timeout naming the knob;
//     a host name is resolved on a short-lived thread of its own (getaddrinfo cannot be cancelled) whose
//     result is delivered back to the coroutine; a literal IP address needs no lookup;
//   - cancellation: through the awaiting coroutine's cancellation slot (co_spawn with
//     bind_cancellation_slot, awaitable_operators' ||); a cancelled exchange ends promptly with
//     errc::cancelled, its connection is closed (never pooled) and its pool slot freed;
//   - TLS through OpenSSL with peer and host-name verification ON by default (verify_peer = false exists for
//     local test servers only), SNI set, system CA paths or ca_file;
//   - bodies: Content-Length or chunked, both ways Beast reads them; stream() hands each piece of a 2xx
//     body to a sink as it arrives (SSE), so nothing waits for the end of a long generation; a sink that
//     returns sink_result::stop ends the read there (what follows is drained for at most stop_drain,
//     so a connection whose body ends right after is still reused; otherwise it is closed);
//   - every buffer is bounded: the header, each chunk-size line and interim 1xx responses by
//     max_header_bytes, a kept body by max_response_bytes, a streamed one by max_streamed_bytes; a limit
//     ends the request with errc::capacity_exceeded naming the knob. A malformed response is a parse_error;
//     no other exception type leaves the transport (a sink's own exceptions pass through unchanged);
//   - header names and values with CR, LF, NUL or other control bytes are refused before anything is sent.
// Interim responses (100 Continue, 103 Early Hints) are skipped. An idle connection the server has closed
// (or sent unrequested bytes on) is dropped before use. A request on a reused connection that fails with
// no byte of the answer is sent again on a new connection only when that cannot repeat its effect: the
// request could not be written completely, or its method is idempotent (RFC 9110 9.2.2); a POST the
// server may have read is never sent twice.
// Sinks run on the exchange's strand, one piece at a time; a sink must not block on the client's executor.
// Copies share one pool.
//
// Metrics (attach_metrics): agentkit_http_client_requests_total, _connections_opened_total,
// _connections_reused_total, _timeouts_total{knob}, _cancellations_total and the gauge
// agentkit_http_client_connections{state="idle"|"busy"}, each labelled {client, origin} (`client` is the
// instance name given to attach_metrics, so clients can share the families of one registry).
//
// The definitions live in impl/http.ipp, included at the end of this header unless
// AGENTKIT_SEPARATE_COMPILATION is defined; then src/transport_http.cpp (the agentkit::http library when
// CMake's AGENTKIT_SEPARATE_COMPILATION is ON) compiles them once, and a user's translation unit sees no
// Beast, OpenSSL or the heavy parts of Asio (only asio::awaitable and any_io_executor). Sinks of every type
// go through one type-erased call, so the Beast code is instantiated once either way.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/transport/async_transport.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/transport.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::observe {
class metric_registry;
}  // namespace agentkit::observe

namespace agentkit::transport {

class http {
public:
    using request = http_request;
    using response = http_response;
    using clock = std::chrono::steady_clock;
    // The most a stopped stream's remaining body may bring while it is drained (see stop_drain).
    static constexpr std::size_t drain_limit_bytes = 64u << 10;

    struct config {
        std::chrono::milliseconds connect_timeout{10000};
        std::chrono::milliseconds read_timeout{30000};    // seeds (Victor): provider timeout 30 s
        std::chrono::milliseconds total_timeout{300000};  // a long generation may stream for minutes
        std::size_t max_connections_per_host = 10;        // seeds (Victor): concurrent requests 10
        std::chrono::milliseconds idle_timeout{60000};
        std::size_t max_response_bytes = 64u << 20;  // non-2xx and non-streamed bodies
        // Streamed 2xx bodies in total (the sink keeps them, the transport only passes them on).
        std::uint64_t max_streamed_bytes = std::uint64_t(1) << 30;
        // The status line and header fields, also of interim 1xx responses together with the final one; the
        // same bound holds each chunk-size line (with extensions) and the trailer of a chunked body.
        std::size_t max_header_bytes = 64u << 10;
        // A body must bring at least this many bytes per second, averaged over read_timeout, or the
        // request ends (errc::timeout); 0 = no minimum. Off by default because an SSE stream may idle on
        // short keep-alive comments while a model thinks; a body dripped just fast enough to beat
        // read_timeout is then bounded by total_timeout.
        std::uint64_t min_bytes_per_second = 0;
        // When a sink stops a stream, what is left of the body is read and dropped for at most this long
        // (and at most drain_limit_bytes) so the connection can be reused; a body still going on then (a
        // server that holds it open) closes the connection instead. 0: always close.
        std::chrono::milliseconds stop_drain{100};
        bool verify_peer = true;
        std::string ca_file;  // empty: the system's CA paths
        std::string user_agent = "agentkit";
    };

    struct stats {
        std::uint64_t requests = 0;
        std::uint64_t connections_opened = 0;
        std::uint64_t connections_reused = 0;
        std::uint64_t stale_retries = 0;    // requests sent again after a reused connection failed
        std::uint64_t stale_discarded = 0;  // idle connections found closed by the server before reuse
        std::uint64_t timeouts = 0;         // requests ended by errc::timeout (any knob)
        std::uint64_t cancelled = 0;        // requests ended by the caller's cancellation
    };

    // A client with an io_context and one I/O thread of its own (started on first use).
    http() : http(config{}) {}
    explicit http(config cfg);
    // A client whose connections live on `ex` (its context must outlive every copy of the client).
    explicit http(boost::asio::any_io_executor ex) : http(std::move(ex), config{}) {}
    http(boost::asio::any_io_executor ex, config cfg);

    const config& configuration() const noexcept;
    stats statistics() const;
    // Open connections to `origin` ("http://127.0.0.1:8080"), idle and in use.
    std::size_t open_connections(const std::string& origin) const;
    // The executor the connections live on (the client's own io_context's, or the one given).
    boost::asio::any_io_executor get_executor() const;

    // Registers the client's metric families in `registry` (or joins them when another client registered
    // them), its series labelled client=`instance`. The registry must outlive the client and its copies.
    // Before this is called the client pays nothing for metrics.
    void attach_metrics(observe::metric_registry& registry, std::string_view instance = "http");

    // Synchronous: waits for the exchange (see the executor rule above).
    response send(const request& r) { return exchange(r, nullptr); }
    // on_body(std::string_view) returns void or sink_result (stop: no more pieces; see stop_drain).
    template <class Sink>
    response stream(const request& r, Sink&& on_body) {
        const stoppable_sink sink = [&on_body](std::string_view piece) { return deliver(on_body, piece); };
        return exchange(r, &sink);
    }

    // Asynchronous: lazy; `r` is borrowed until the awaitable completes (await it in the same expression, or
    // keep the request alive), and the client object must be alive when it starts. The sink is moved into
    // the coroutine (a temporary lambda is safe); pass std::ref(sink) to keep using one of your own.
    boost::asio::awaitable<response> async_send(const request& r) { return async_exchange(r, nullptr); }
    template <class Sink>
    boost::asio::awaitable<response> async_stream(const request& r, Sink on_body) {
        const stoppable_sink sink = [&on_body](std::string_view piece) { return deliver(on_body, piece); };
        co_return co_await async_exchange(r, &sink);
    }

private:
    using stoppable_sink = std::function<sink_result(std::string_view)>;
    struct impl;
    struct own_context;

    response exchange(const request& r, const stoppable_sink* sink);
    boost::asio::awaitable<response> async_exchange(const request& r, const stoppable_sink* sink);

    std::shared_ptr<impl> impl_;
    // Only for http(config): the io_context and its thread, shut down when the last copy goes.
    std::shared_ptr<own_context> own_;
};

static_assert(streaming_transport<http>);
static_assert(async_streaming_transport<http>);

}  // namespace agentkit::transport
AGENTKIT_COROUTINES_END

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/transport/impl/http.ipp>
#endif
