// Fuzzes the streamed-chat path without a network: SSE bytes -> sse_parser -> decode_stream_chunk ->
// delta_accumulator -> finish, as a provider runs it. Every limit is small here so the fuzzer reaches them:
// the event size, the streamed bytes and the number of tool calls. Any input ends in a response or an
// agentkit::error; what the accumulator holds never passes its limits. Inputs past 1 MiB are cut.
#include <agentkit/model/chat.hpp>
#include <agentkit/model/openai_wire.hpp>
#include <agentkit_test/fuzz_stream.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace model = agentkit::model;
    constexpr auto limits = agentkit_test::fuzz_stream_limits;
    model::delta_accumulator acc(limits);
    bool done = false;
    const bool fed = agentkit_test::feed_fuzz_stream(
        data, size, [&] { return done; },
        [&](const agentkit::transport::sse_event& e) {
            const auto chunk = model::openai::decode_stream_chunk(e.data);
            if (chunk.done) {
                done = true;
                return;
            }
            acc.add(chunk.delta);
            if (acc.streamed_bytes() > limits.max_streamed_bytes) std::abort();
        });
    if (!fed) return 0;
    agentkit_test::check_fuzz_reply(acc.finish("stop", {}, "m"));
    return 0;
}
