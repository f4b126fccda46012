// Fuzzes the tiktoken rank-file parser: any bytes either parse into a vocabulary whose lookups agree
// with its decoding table, or throw agentkit::error; never crash, hang, read out of bounds or size its
// tables by a rank the input merely names (rank tables stay proportional to the input).
#include <agentkit/text/bpe_vocabulary.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

// Rank files are parsed in linear time and memory; a quarter megabyte holds every structure the parser
// meets (a real file only repeats them), and keeps each run fast.
constexpr std::size_t max_input_bytes = 256 * 1024;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using agentkit::text::bpe_vocabulary;
    if (size > max_input_bytes) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const auto v = bpe_vocabulary::parse(input, "fuzz.tiktoken");
        for (agentkit::text::token_id r = 0; r < v.rank_limit() && r < 4096; ++r) {
            const auto b = v.bytes_of(r);
            if (!b.empty() && v.rank(b) != r) std::abort();
        }
        // Every piece encodes into tokens that cover it exactly.
        const std::string piece(input.substr(0, 200));
        std::size_t at = 0;
        v.encode_piece(reinterpret_cast<const unsigned char*>(piece.data()), piece.size(),
                       [&](auto id, std::size_t b, std::size_t e) {
                           if (b != at || e <= b || v.bytes_of(id) != std::string_view(piece).substr(b, e - b))
                               std::abort();
                           at = e;
                       });
        if (at != piece.size()) std::abort();
    } catch (const agentkit::error&) {}
    return 0;
}
