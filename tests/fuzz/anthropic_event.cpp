// Fuzzes the streamed Messages path without a network: SSE bytes -> sse_parser -> anthropic::stream_decoder
// -> delta_accumulator -> finish, as anthropic_provider runs it. The first byte picks how the body is split
// into pieces. Every limit is small here so the fuzzer reaches them: the event size, the streamed bytes and
// the number of tool calls. Any input ends in a response or an agentkit::error (a provider_error for an
// error event); what the decoder and the accumulator hold never passes their limits. Inputs past max_input
// are cut.
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/transport/sse_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {
constexpr std::size_t max_input = 1u << 20;
constexpr agentkit::model::delta_accumulator::config limits{.max_streamed_bytes = 2048, .max_streamed_tool_calls = 8};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    if (size > max_input) size = max_input;
    const std::size_t step = 1 + data[0] % 64;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    namespace model = agentkit::model;
    agentkit::transport::sse_parser sse(agentkit::transport::sse_parser::config{.max_event_bytes = 1024});
    model::anthropic::stream_decoder decoder(limits);
    model::delta_accumulator acc(limits);
    try {
        for (std::size_t i = 0; i < body.size() && !decoder.done(); i += step)
            sse.feed(body.substr(i, step), [&](const agentkit::transport::sse_event& e) {
                if (decoder.done()) return;
                if (auto delta = decoder.decode(e.type, e.data)) {
                    for (const auto& t : delta->tool_calls)
                        if (t.index >= limits.max_streamed_tool_calls) std::abort();  // the decoder bounds the indexes itself
                    acc.add(*delta);
                }
                if (acc.streamed_bytes() > limits.max_streamed_bytes) std::abort();
            });
    } catch (const agentkit::error&) {
    }
    auto r = acc.finish(decoder.finish_reason(), decoder.tokens(), decoder.model());
    if (r.reply.tool_calls().size() > limits.max_streamed_tool_calls) std::abort();
    std::size_t held = r.reply.content().size();
    for (const auto& c : r.reply.tool_calls()) {
        held += c.id.size() + c.name.size() + c.arguments.size();
        // Canonical arguments are valid JSON or the text as it came, never a crash.
        (void)model::anthropic::canonical_arguments(c.arguments);
    }
    if (held > limits.max_streamed_bytes) std::abort();
    return 0;
}
