#pragma once
// The harness of the fuzz targets for a streamed reply (SSE bytes -> sse_parser -> a provider's decoder ->
// delta_accumulator -> finish). Every limit is small so that the fuzzer reaches them: the event size, the
// streamed bytes and the number of tool calls. Inputs past max_fuzz_input are cut.
#include <agentkit/core/error.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/transport/sse_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace agentkit_test {

inline constexpr std::size_t max_fuzz_input = 1u << 20;
inline constexpr agentkit::model::delta_accumulator::config fuzz_stream_limits{.max_streamed_bytes = 2048,
                                                                               .max_streamed_tool_calls = 8};

// Feeds the input as a streamed body: the first byte picks the size of the pieces (1 to 64 bytes), the rest
// goes through an sse_parser with a 1 KiB event limit, each event to on_event until done() holds. An
// agentkit::error ends the stream. False for an empty input (nothing fed).
template <class Done, class OnEvent>
bool feed_fuzz_stream(const std::uint8_t* data, std::size_t size, Done&& done, OnEvent&& on_event) {
    if (size < 1) return false;
    if (size > max_fuzz_input) size = max_fuzz_input;
    const std::size_t step = 1 + data[0] % 64;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    agentkit::transport::sse_parser sse(agentkit::transport::sse_parser::config{.max_event_bytes = 1024});
    try {
        for (std::size_t i = 0; i < body.size() && !done(); i += step)
            sse.feed(body.substr(i, step), [&](const agentkit::transport::sse_event& e) {
                if (!done()) on_event(e);
            });
    } catch (const agentkit::error&) {}
    return true;
}

// Aborts (a finding) when a finished reply holds more than fuzz_stream_limits allow.
inline void check_fuzz_reply(const agentkit::model::chat_response& r) {
    if (r.reply.tool_calls().size() > fuzz_stream_limits.max_streamed_tool_calls) std::abort();
    std::size_t held = r.reply.content().size();
    for (const auto& c : r.reply.tool_calls()) held += c.id.size() + c.name.size() + c.arguments.size();
    if (held > fuzz_stream_limits.max_streamed_bytes) std::abort();
}

}  // namespace agentkit_test
