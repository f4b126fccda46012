#pragma once
// The knobs of transport::http_server, in a header of their own so that a deployment file's reader
// (config/) can hold them without pulling in Boost.Beast. Defaults as in Caxton's HTTP server (a Rust agent
// runtime's tuning guide): 2000 connections, 16 MB bodies; loopback unless told otherwise.
#include <agentkit/core/error.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace agentkit::transport {

struct http_server_config {
    std::string bind_address = "127.0.0.1";                // loopback unless told otherwise
    std::uint16_t port = 8080;                             // 0: a free port, see http_server::port()
    std::size_t max_connections = 2000;                    // more are answered 503 and closed
    std::chrono::milliseconds request_timeout{30000};      // a request's first byte to its last (408)
    std::chrono::milliseconds keep_alive_timeout{75000};   // idle between requests
    std::chrono::milliseconds write_timeout{30000};        // a client that stops reading
    std::chrono::milliseconds drain_timeout{30000};        // drain(): the longest wait for requests in flight
    std::size_t max_request_size = std::size_t{16} << 20;  // body bytes (413)
    std::size_t max_header_bytes = std::size_t{64} << 10;  // request line and header fields (431)
    int listen_backlog = 1024;

    // Throws agentkit::error(invalid_argument, ..., "server.<knob>") for a value that cannot work.
    void validate() const {
        const auto positive = [](bool ok, const char* knob) {
            if (!ok) throw error(errc::invalid_argument, "must be greater than zero", knob);
        };
        positive(max_connections > 0, "server.max_connections");
        positive(request_timeout.count() > 0, "server.request_timeout");
        positive(keep_alive_timeout.count() > 0, "server.keep_alive_timeout");
        positive(write_timeout.count() > 0, "server.write_timeout");
        positive(max_header_bytes > 0, "server.max_header_bytes");
        positive(listen_backlog > 0, "server.listen_backlog");
        if (drain_timeout.count() < 0)
            throw error(errc::invalid_argument, "must not be negative", "server.drain_timeout");
    }
};

}  // namespace agentkit::transport
