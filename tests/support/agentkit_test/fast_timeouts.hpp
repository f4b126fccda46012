#pragma once
// HTTP client timeouts short enough for a test against a server on 127.0.0.1: a failure shows in seconds,
// not minutes.
#include <agentkit/transport/http.hpp>

#include <chrono>

namespace agentkit_test {

inline agentkit::transport::http::config fast_timeouts() {
    agentkit::transport::http::config c;
    c.connect_timeout = std::chrono::milliseconds(2000);
    c.read_timeout = std::chrono::milliseconds(2000);
    c.total_timeout = std::chrono::milliseconds(10000);
    return c;
}

}  // namespace agentkit_test
