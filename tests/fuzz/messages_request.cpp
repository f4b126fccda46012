// Fuzzes what a gateway reads from Anthropic clients: a POST /v1/messages body -> anthropic::decode_request
// (small limits, so the fuzzer reaches them); every decoded request's last message is answered, whole and as
// a stream, and read back by the client side of the wire, which must give the same text. Any input ends in a
// request or an agentkit::error, never a crash.
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/transport/sse_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace anthropic = agentkit::model::anthropic;
    namespace model = agentkit::model;
    const std::string_view body(reinterpret_cast<const char*>(data), size < (1u << 20) ? size : (1u << 20));
    anthropic::incoming_messages in;
    try {
        in =
            anthropic::decode_request(body, model::request_limits{.max_messages = 16, .max_tools = 4, .max_depth = 32});
    } catch (const agentkit::error&) {
        return 0;
    }
    if (in.request.tools.size() > 4) std::abort();
    model::chat_response r;
    if (!in.request.messages.empty()) r.reply = agentkit::message::assistant(in.request.messages.back().content());
    r.model = in.request.model;
    const auto back = anthropic::decode_response(anthropic::encode_response(r, "msg_fuzz"));
    if (back.reply.content() != r.reply.content()) std::abort();
    anthropic::stream_encoder enc("msg_fuzz", r.model);
    model::chat_delta d;
    d.content = r.reply.content();
    std::string sse = enc.delta(d);
    sse += enc.finish("stop", {});
    anthropic::stream_decoder dec;
    std::string text;
    agentkit::transport::sse_parser parser;
    parser.feed(sse, [&](const agentkit::transport::sse_event& e) {
        if (auto delta = dec.decode(e.type, e.data)) text += delta->content;
    });
    if (!dec.done() || text != r.reply.content()) std::abort();
    return 0;
}
