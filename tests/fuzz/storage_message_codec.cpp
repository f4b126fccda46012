// Fuzzes the checkpoint / tool-call blob decoder: any input either decodes or throws agentkit::error (a
// parse_error, or capacity_exceeded naming the decode_limits knob); whatever decodes stays within the
// limits and re-encodes to a blob that decodes to the same messages. Inputs are cut at a size budget, and
// small limits are used as well as the defaults, so the limit paths are reached by short inputs.
#include <agentkit/storage/message_codec.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {
namespace codec = agentkit::storage::codec;

constexpr std::size_t max_input_bytes = 1 << 20;

void expect_known_error(const agentkit::error& e) {
    if (e.code() == agentkit::errc::capacity_exceeded) {
        if (e.field() != "codec.max_messages" && e.field() != "codec.max_tool_calls") std::abort();
    } else if (e.code() != agentkit::errc::parse_error && e.code() != agentkit::errc::invalid_argument) {
        std::abort();
    }
}

std::size_t tool_calls_in(const std::vector<agentkit::message>& msgs) {
    std::size_t n = 0;
    for (const auto& m : msgs) n += m.tool_calls().size();
    return n;
}

void run(std::string_view in, const codec::decode_limits& limits) {
    try {
        const auto msgs = codec::decode_messages(in, limits);
        if (msgs.size() > limits.max_messages || tool_calls_in(msgs) > limits.max_tool_calls) std::abort();
        if (codec::decode_messages(codec::encode_messages(msgs), limits) != msgs) std::abort();
    } catch (const agentkit::error& e) {
        expect_known_error(e);
    }
    try {
        const auto calls = codec::decode_tool_calls(in, limits);
        if (calls.size() > limits.max_tool_calls) std::abort();
        if (codec::decode_tool_calls(codec::encode_tool_calls(calls), limits) != calls) std::abort();
    } catch (const agentkit::error& e) {
        expect_known_error(e);
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size < max_input_bytes ? size : max_input_bytes);
    run(in, {});
    run(in, {.max_messages = 2, .max_tool_calls = 3});
    return 0;
}
