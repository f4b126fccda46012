// Fuzzes the checkpoint / tool-call blob decoder: any input either decodes or throws agentkit::error;
// whatever decodes re-encodes to a blob that decodes to the same messages.
#include <agentkit/storage/message_codec.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    namespace codec = agentkit::storage::codec;
    try {
        const auto msgs = codec::decode_messages(in);
        if (codec::decode_messages(codec::encode_messages(msgs)) != msgs) std::abort();
    } catch (const agentkit::error&) {
    }
    try {
        const auto calls = codec::decode_tool_calls(in);
        if (codec::decode_tool_calls(codec::encode_tool_calls(calls)) != calls) std::abort();
    } catch (const agentkit::error&) {
    }
    return 0;
}
