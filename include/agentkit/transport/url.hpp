#pragma once
// Splits an absolute http(s) URL into what a connection needs. Strict: anything else is an error naming the
// field, so a typo in base_url fails at the first request with a clear message.
#include <agentkit/core/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit::transport {

struct url_parts {
    bool tls = false;
    std::string host;  // without brackets for IPv6 literals
    std::uint16_t port = 0;
    std::string target;  // path + query, at least "/"

    // The connection pool's key: scheme, host and port.
    std::string origin() const {
        return std::string(tls ? "https://" : "http://")
            .append(bracketed_host())
            .append(":")
            .append(std::to_string(port));
    }
    // The Host header: the port only when it is not the scheme's default, an IPv6 literal in brackets.
    std::string host_header() const {
        return port == (tls ? 443 : 80) ? bracketed_host() : bracketed_host() + ":" + std::to_string(port);
    }
    std::string bracketed_host() const { return host.find(':') == std::string::npos ? host : "[" + host + "]"; }
};

inline url_parts parse_url(std::string_view url, std::string_view field = "url") {
    auto fail = [&](const std::string& why) -> url_parts {
        throw error(errc::invalid_argument, why + " in '" + std::string(url.substr(0, 200)) + "'", std::string(field));
    };
    url_parts u;
    std::string_view rest = url;
    if (rest.starts_with("https://")) {
        u.tls = true;
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else {
        return fail("expected an http:// or https:// URL");
    }
    const auto slash = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, slash);
    std::string_view target = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    if (const auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
    if (authority.find('@') != std::string_view::npos) return fail("credentials in the URL are not supported");
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("unterminated IPv6 literal");
        u.host.assign(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail("unexpected text after the IPv6 literal");
            port = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        u.host.assign(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (u.host.empty()) return fail("no host");
    for (char c : u.host)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '/' || c == '\\' || c == '[' || c == ']')
            return fail("invalid character in the host");
    if (!authority.starts_with('[') && u.host.find(':') != std::string::npos)
        return fail("an IPv6 literal needs brackets");
    if (port.empty()) {
        u.port = u.tls ? 443 : 80;
    } else {
        unsigned long v = 0;
        if (port.size() > 5) return fail("port out of range");
        for (char c : port) {
            if (c < '0' || c > '9') return fail("port is not a number");
            v = v * 10 + static_cast<unsigned long>(c - '0');
        }
        if (v == 0 || v > 65535) return fail("port out of range");
        u.port = static_cast<std::uint16_t>(v);
    }
    u.target = target.empty() ? "/" : std::string(target.front() == '?' ? "/" : "") + std::string(target);
    for (char c : u.target)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
            return fail("whitespace or control character in the path");
    return u;
}

}  // namespace agentkit::transport
