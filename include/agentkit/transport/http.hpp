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
//     body to a sink as it arrives (SSE), so nothing waits for the end of a long generation; a sink that
//     returns sink_result::stop ends the read there (what follows is drained for at most stop_drain_ms,
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
// Thread-safe: concurrent requests use different connections. Copies share one pool.
//
// The definitions live in impl/http.ipp, included at the end of this header unless
// AGENTKIT_SEPARATE_COMPILATION is defined; then src/transport_http.cpp (the agentkit::http library when
// CMake's AGENTKIT_SEPARATE_COMPILATION is ON) compiles them once, and a user's translation unit sees no
// Beast, Asio or OpenSSL. Sinks of every type go through one type-erased call, so the Beast code is
// instantiated once either way.
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/transport.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace agentkit::transport {

class http {
public:
    using request = http_request;
    using response = http_response;
    using clock = std::chrono::steady_clock;
    // The most a stopped stream's remaining body may bring while it is drained (see stop_drain_ms).
    static constexpr std::size_t drain_limit_bytes = 64u << 10;

    struct config {
        std::uint64_t connect_timeout_ms = 10000;
        std::uint64_t read_timeout_ms = 30000;     // seeds (Victor): provider timeout 30 s
        std::uint64_t total_timeout_ms = 300000;   // a long generation may stream for minutes
        std::size_t max_connections_per_host = 10; // seeds (Victor): concurrent requests 10
        std::uint64_t idle_timeout_ms = 60000;
        std::size_t max_response_bytes = 64u << 20;  // non-2xx and non-streamed bodies
        // Streamed 2xx bodies in total (the sink keeps them, the transport only passes them on).
        std::uint64_t max_streamed_bytes = std::uint64_t(1) << 30;
        // The status line and header fields, also of interim 1xx responses together with the final one; the
        // same bound holds each chunk-size line (with extensions) and the trailer of a chunked body.
        std::size_t max_header_bytes = 64u << 10;
        // A body must bring at least this many bytes per second, averaged over read_timeout_ms, or the
        // request ends (errc::timeout); 0 = no minimum. Off by default because an SSE stream may idle on
        // short keep-alive comments while a model thinks; a body dripped just fast enough to beat
        // read_timeout_ms is then bounded by total_timeout_ms.
        std::uint64_t min_bytes_per_second = 0;
        // When a sink stops a stream, what is left of the body is read and dropped for at most this long
        // (and at most drain_limit_bytes) so the connection can be reused; a body still going on then (a
        // server that holds it open) closes the connection instead. 0: always close.
        std::uint64_t stop_drain_ms = 100;
        bool verify_peer = true;
        std::string ca_file;                       // empty: the system's CA paths
        std::string user_agent = "agentkit";
    };

    struct stats {
        std::uint64_t requests = 0;
        std::uint64_t connections_opened = 0;
        std::uint64_t connections_reused = 0;
        std::uint64_t stale_retries = 0;    // requests sent again after a reused connection failed
        std::uint64_t stale_discarded = 0;  // idle connections found closed by the server before reuse
    };

    http() : http(config{}) {}
    explicit http(config cfg);

    const config& settings() const noexcept;
    stats statistics() const;
    // Open connections to `origin` ("http://127.0.0.1:8080"), idle and in use.
    std::size_t open_connections(const std::string& origin) const;

    response send(const request& r) { return exchange(r, nullptr); }
    // on_body(std::string_view) returns void or sink_result (stop: no more pieces; see stop_drain_ms).
    template <class Sink>
    response stream(const request& r, Sink&& on_body) {
        const stoppable_sink sink = [&on_body](std::string_view piece) { return deliver(on_body, piece); };
        return exchange(r, &sink);
    }

private:
    using stoppable_sink = std::function<sink_result(std::string_view)>;
    struct impl;

    response exchange(const request& r, const stoppable_sink* sink);

    std::shared_ptr<impl> impl_;
};

static_assert(streaming_transport<http>);

}  // namespace agentkit::transport

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/transport/impl/http.ipp>
#endif
