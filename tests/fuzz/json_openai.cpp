// Fuzzes the OpenAI wire decoders (completion, stream chunk, embeddings, error body) and the bounded JSON
// parser beneath them: any bytes give a value or an agentkit::error, never a crash, hang or other exception.
// Budgets: inputs past max_input are cut (linear-time parsers, so time follows size); nesting is bounded by
// json::default_max_depth in the decoders and by a tiny limit in a second parse, so both the limit paths
// and the ordinary ones run on every input.
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>
#include <agentkit/model/openai_wire.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {
constexpr std::size_t max_input = 1u << 20;
constexpr agentkit::json::parse_limits tiny{.max_depth = 4, .max_bytes = 4096};

// A depth or size error must name its knob; every other failure is a parse error naming the document.
void check_error(const agentkit::error& e) {
    const auto code = static_cast<agentkit::errc>(e.code().value());
    if (code == agentkit::errc::capacity_exceeded && e.field() != "json.max_depth" && e.field() != "json.max_bytes")
        std::abort();
    if (code != agentkit::errc::capacity_exceeded && code != agentkit::errc::parse_error &&
        code != agentkit::errc::unavailable)
        std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size < max_input ? size : max_input);
    using namespace agentkit::model::openai;
    try {
        auto r = decode_chat_response(text);
        (void)r;
    } catch (const agentkit::error& e) {
        check_error(e);
    }
    try {
        auto c = decode_stream_chunk(text);
        (void)c;
    } catch (const agentkit::error& e) {
        check_error(e);
    }
    try {
        auto e = decode_embeddings(text, 1 + size % 3);
        (void)e;
    } catch (const agentkit::error& e) {
        check_error(e);
    }
    (void)error_message(text);

    // The parser agrees with itself: is_valid says yes exactly when parse succeeds, and a parsed document
    // prints and reparses (its depth is bounded, so the recursive printer is safe).
    bool parsed = false;
    try {
        const auto d = agentkit::json::parse(text, "fuzz");
        parsed = true;
        const std::string again = agentkit::json::to_string(d);
        if (!agentkit::json::is_valid(again)) std::abort();
    } catch (const agentkit::error& e) {
        check_error(e);
    }
    if (parsed != agentkit::json::is_valid(text)) std::abort();
    if (std::memchr(text.data(), '\0', text.size()) && parsed) std::abort();  // a NUL never ends a document

    try {
        const auto d = agentkit::json::parse(text, "fuzz", tiny);
        if (text.size() > tiny.max_bytes) std::abort();
    } catch (const agentkit::error& e) {
        check_error(e);
    }
    return 0;
}
