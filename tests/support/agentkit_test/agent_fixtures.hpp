#pragma once
// Fixtures shared by the agent-loop tests (synchronous and asynchronous): a compile-time "add" tool, a
// "get_weather" tool (always "sunny, 21 C"), a deterministic backoff policy (100 ms × attempt, no
// randomness) whose waits the tests can assert, and one that never waits.
#include <agentkit/json/document.hpp>
#include <agentkit/tools/tool_set.hpp>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace agentkit_test {

inline auto add_tool() {
    return agentkit::tools::make_tool("add", "adds a and b",
                                      R"({"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}}})",
                                      [](std::string_view args) {
                                          auto d = agentkit::json::parse(args, "arguments");
                                          return std::to_string(d["a"].GetInt() + d["b"].GetInt());
                                      });
}
using add_tools = agentkit::tools::tool_set<decltype(add_tool())>;

inline auto weather_tool() {
    return agentkit::tools::make_tool("get_weather", "weather for a city",
                                      R"({"type":"object","properties":{"city":{"type":"string"}}})",
                                      [](std::string_view) { return std::string("sunny, 21 C"); });
}

struct fixed_backoff {
    std::chrono::nanoseconds delay(std::uint32_t attempt, std::chrono::nanoseconds, std::mt19937_64&) const {
        return std::chrono::milliseconds(100 * attempt);
    }
};

struct no_wait_backoff {
    std::chrono::nanoseconds delay(std::uint32_t, std::chrono::nanoseconds, std::mt19937_64&) const { return {}; }
};

}  // namespace agentkit_test
