// Fuzzes what a gateway reads from its clients: a POST /v1/chat/completions body -> decode_chat_request
// (small limits, so the fuzzer reaches them), and what it answers with: every decoded request is encoded
// again as a response and as stream chunks, and those are decoded by the client side of the wire, which must
// give back the same content. Any input ends in a request or an agentkit::error, never a crash.
#include <agentkit/model/openai_wire.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace openai = agentkit::model::openai;
    const std::string_view body(reinterpret_cast<const char*>(data), size < (1u << 20) ? size : (1u << 20));
    openai::incoming_chat in;
    try {
        in = openai::decode_chat_request(body,
                                         openai::request_limits{.max_messages = 16, .max_tools = 4, .max_depth = 32});
    } catch (const agentkit::error&) {
        return 0;
    }
    if (in.request.messages.size() > 16 || in.request.tools.size() > 4) std::abort();
    // Echo the last message back as an answer and read it as a client would.
    agentkit::model::chat_response r;
    if (!in.request.messages.empty()) r.reply = agentkit::message::assistant(in.request.messages.back().content());
    r.model = in.request.model;
    const auto back = openai::decode_chat_response(openai::encode_chat_response(r, "chatcmpl-fuzz", 1));
    if (back.reply.content() != r.reply.content() || back.model != r.model) std::abort();
    agentkit::model::chat_delta d;
    d.content = r.reply.content();
    const auto chunk = openai::decode_stream_chunk(openai::encode_stream_delta(d, {"chatcmpl-fuzz", 1, r.model}, true));
    if (chunk.delta.content != d.content) std::abort();
    return 0;
}
