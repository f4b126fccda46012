#pragma once
// The HTTP server block of Caxton's tuning guide (`http_server`), for agentkit-gateway and any server built on
// transport::http_server:
//   http_server.bind_address ("127.0.0.1:8080", "[::1]:8080", or a host alone)  -> http_server_config::bind_address, port
//   http_server.worker_threads (0: one per hardware thread)                      -> the server's thread count
//   http_server.max_connections / request_timeout / keep_alive_timeout / write_timeout / drain_timeout /
//   max_request_size ("16MB") / max_header_bytes ("64KB") / listen_backlog     -> http_server_config
#include <agentkit/config/reader.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/transport/http_server_config.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit::config {

struct server_keys {
    transport::http_server_config& server;
    std::size_t& worker_threads;
};

namespace detail {
// "host:port", "[v6]:port", "host" (port unchanged) -> bind_address and port; `p` names the key in errors.
inline void parse_bind_address(std::string_view text, const std::string& p, transport::http_server_config& c) {
    std::string_view host = text;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {  // [::1]:8080
        const auto close = text.find(']');
        if (close == std::string_view::npos) throw_invalid_field(p, "an IPv6 address must end with ']'");
        host = text.substr(1, close - 1);
        const auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') throw_invalid_field(p, "expected ':<port>' after ']'");
            port = rest.substr(1);
        }
    } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
        if (text.find(':') != colon) throw_invalid_field(p, "write an IPv6 address in brackets: \"[::1]:8080\"");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (host.empty()) throw_invalid_field(p, "the host is empty (\"127.0.0.1:8080\", \"0.0.0.0:8080\")");
    if (text.size() > 255) throw_invalid_field(p, "is longer than 255 bytes");
    if (port.data() == nullptr) {  // no ":port": the port stays as it is
        c.bind_address = std::string(host);
        return;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
        throw_invalid_field(p, std::string("the port '").append(port).append("' is not a number from 0 to 65535"));
    c.bind_address = std::string(host);
    c.port = static_cast<std::uint16_t>(value);
}

inline std::string bind_address_text(const transport::http_server_config& c) {
    const bool v6 = c.bind_address.find(':') != std::string::npos;
    return (v6 ? "[" + c.bind_address + "]" : c.bind_address) + ":" + std::to_string(c.port);
}
}  // namespace detail

template <class V>
void visit(V& v, server_keys k) {
    auto& c = k.server;
    if constexpr (V::loading) {
        std::string address;
        v.string("bind_address", address, false);
        if (!address.empty()) detail::parse_bind_address(address, v.key_path("bind_address"), c);
    } else {
        v.string("bind_address", detail::bind_address_text(c));
    }
    v.integer("worker_threads", k.worker_threads, std::size_t{0}, std::size_t{1024});
    v.integer("max_connections", c.max_connections, std::size_t{1}, std::size_t{1} << 24);
    v.duration("request_timeout", c.request_timeout, duration_style::text, std::chrono::milliseconds(1));
    v.duration("keep_alive_timeout", c.keep_alive_timeout, duration_style::text, std::chrono::milliseconds(1));
    v.duration("write_timeout", c.write_timeout, duration_style::text, std::chrono::milliseconds(1));
    v.duration("drain_timeout", c.drain_timeout, duration_style::text);
    v.size("max_request_size", c.max_request_size, std::size_t{1}, std::size_t{1} << 32);
    v.size("max_header_bytes", c.max_header_bytes, std::size_t{256}, std::size_t{16} << 20);
    v.integer("listen_backlog", c.listen_backlog, 1, 65535);
}

}  // namespace agentkit::config
