#pragma once
// The request and response a transport carries to a model endpoint: an HTTP message reduced to what an
// API client needs. Header names compare case-insensitively, as HTTP says.
#include <agentkit/core/ascii.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::transport {

using header_list = std::vector<std::pair<std::string, std::string>>;

inline bool header_name_equal(std::string_view a, std::string_view b) noexcept { return ascii::iequals(a, b); }

inline std::optional<std::string_view> find_header(const header_list& headers, std::string_view name) noexcept {
    for (const auto& [k, v] : headers)
        if (header_name_equal(k, name)) return std::string_view(v);
    return std::nullopt;
}

struct http_request {
    std::string method = "POST";
    std::string url;  // absolute: http://host[:port]/path or https://...
    header_list headers;
    std::string body;

    std::optional<std::string_view> header(std::string_view name) const noexcept { return find_header(headers, name); }
};

struct http_response {
    int status = 0;
    header_list headers;
    std::string body;

    bool ok() const noexcept { return status >= 200 && status < 300; }
    std::optional<std::string_view> header(std::string_view name) const noexcept { return find_header(headers, name); }
};

}  // namespace agentkit::transport
