// Fuzzes the streamed Messages path without a network: SSE bytes -> sse_parser -> anthropic::stream_decoder
// -> delta_accumulator -> finish, as anthropic_provider runs it. The first byte picks how the body is split
// into pieces. Every limit is small here so the fuzzer reaches them: the event size, the streamed bytes and
// the number of tool calls. Any input ends in a response or an agentkit::error (a provider_error for an
// error event); what the decoder and the accumulator hold never passes their limits. Inputs past 1 MiB
// are cut.
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit_test/fuzz_stream.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace model = agentkit::model;
    constexpr auto limits = agentkit_test::fuzz_stream_limits;
    model::anthropic::stream_decoder decoder(limits);
    model::delta_accumulator acc(limits);
    const bool fed = agentkit_test::feed_fuzz_stream(
        data, size, [&] { return decoder.done(); },
        [&](const agentkit::transport::sse_event& e) {
            if (auto delta = decoder.decode(e.type, e.data)) {
                for (const auto& t : delta->tool_calls)
                    if (t.index >= limits.max_streamed_tool_calls)
                        std::abort();  // the decoder bounds the indexes itself
                acc.add(*delta);
            }
            if (acc.streamed_bytes() > limits.max_streamed_bytes) std::abort();
        });
    if (!fed) return 0;
    auto r = acc.finish(decoder.finish_reason(), decoder.tokens(), decoder.model());
    agentkit_test::check_fuzz_reply(r);
    // Canonical arguments are valid JSON or the text as it came, never a crash.
    for (const auto& c : r.reply.tool_calls()) (void)model::anthropic::canonical_arguments(c.arguments);
    return 0;
}
