// Fuzzes the OpenAI wire decoders (completion, stream chunk, embeddings, error body): any bytes give a value
// or an agentkit::error, never a crash, hang or other exception.
#include <agentkit/model/openai_wire.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using namespace agentkit::model::openai;
    try {
        auto r = decode_chat_response(text);
        (void)r;
    } catch (const agentkit::error&) {
    }
    try {
        auto c = decode_stream_chunk(text);
        (void)c;
    } catch (const agentkit::error&) {
    }
    try {
        auto e = decode_embeddings(text, 1 + size % 3);
        (void)e;
    } catch (const agentkit::error&) {
    }
    (void)error_message(text);
    return 0;
}
