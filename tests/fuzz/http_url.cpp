// Fuzzes the URL splitter of the HTTP transport: a value or an agentkit::error, and a value always has a host,
// a port and a target that starts with '/', and a Host header and target free of spaces and control bytes.
#include <agentkit/transport/url.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto u = agentkit::transport::parse_url(text);
        if (u.host.empty() || u.port == 0 || u.target.empty() || u.target.front() != '/') std::abort();
        // What goes on the wire (request line, Host) never carries a byte that could end a header line.
        for (const std::string& wire : {u.host_header(), u.target})
            for (const char c : wire)
                if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) std::abort();
    } catch (const agentkit::error&) {}
    return 0;
}
