// Fuzzes the pre-tokenizers, the exact encodings and the estimator on arbitrary bytes (invalid UTF-8
// included): pieces are contiguous and non-empty; with the rank files present (scripts/bootstrap),
// decode(encode(x)) == x, count(x) == encode(x).size() and token boundaries are contiguous; the SIMD and
// scalar estimator passes agree.
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/calibrated_estimator.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace {
using namespace agentkit::text;

// Prints the input (hex) and what broke, then aborts: the replay shows how to reproduce.
[[noreturn]] void fail(std::string_view text, const char* what) {
    std::fprintf(stderr, "tokens_encode: %s on %zu bytes:", what, text.size());
    for (unsigned char c : text) std::fprintf(stderr, " %02x", c);
    std::fprintf(stderr, "\n");
    std::abort();
}

template <class P>
const basic_bpe_encoding<typename P::split>* encoding_or_null() {
    static const basic_bpe_encoding<typename P::split>* enc = []() -> const basic_bpe_encoding<typename P::split>* {
        try {
            if (!std::filesystem::exists(tiktoken_dir() + "/" + std::string(P::file))) return nullptr;
            return &bpe_encoding_of<P>();
        } catch (const agentkit::error&) {
            return nullptr;
        }
    }();
    return enc;
}

template <class P>
void check(std::string_view text) {
    std::size_t at = 0;
    for_each_piece<typename P::split>(text, [&](std::size_t b, std::size_t e) {
        if (b != at || e <= b || e > text.size()) fail(text, P::name.data());
        at = e;
    });
    if (at != text.size()) fail(text, "pieces do not cover the text");
    const auto* enc = encoding_or_null<P>();
    if (!enc) return;
    const auto ids = enc->encode_ordinary(text);
    if (enc->decode(ids) != text) fail(text, "decode(encode(x)) != x");
    if (enc->count(text) != ids.size()) fail(text, "count(x) != encode(x).size()");
    std::size_t k = 0, end = 0;
    enc->for_each_token(text, [&](token_id id, std::size_t b, std::size_t e) {
        if (b != end || e <= b || k >= ids.size() || ids[k] != id) fail(text, "for_each_token disagrees with encode");
        end = e;
        ++k;
    });
    if (k != ids.size() || end != text.size()) fail(text, "for_each_token does not cover the text");
    try {
        (void)enc->encode(text);  // throws only for a disallowed special token
    } catch (const agentkit::error&) {
        if (text.find("<|") == std::string_view::npos) fail(text, "encode threw without a special token");
    }
}
}  // namespace

// Each input is split, encoded, counted and decoded on both encodings; 64 KiB per input covers long
// pieces (the heap merge starts at 65 bytes) and keeps a run within a few milliseconds.
constexpr std::size_t max_input_bytes = 64 * 1024;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > max_input_bytes) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check<cl100k>(text);
    check<o200k>(text);
    byte_features scalar;
    detail::classify_scalar(data, size, scalar);
    if (features_of(text).n != scalar.n) fail(text, "SIMD and scalar estimator features differ");
    return 0;
}
