// Differential fuzzing of pattern_set (the vectorised non-retryable-pattern scan) against
// std::string_view::find. Input: byte 0 = number of patterns (1-4), then each pattern as a length byte
// (1-24) and its bytes; the rest is the text. Any disagreement aborts.
#include <agentkit/resilience/pattern_set.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::size_t at = 0;
    const std::size_t count = 1 + data[at++] % 4;
    std::vector<std::string> patterns;
    for (std::size_t i = 0; i < count && at < size; ++i) {
        const std::size_t len = 1 + data[at++] % 24;
        if (at + len > size) break;
        patterns.emplace_back(reinterpret_cast<const char*>(data + at), len);
        at += len;
    }
    if (patterns.empty()) return 0;
    // The text in its own heap buffer of exactly its size, so ASan catches any read past its end.
    const std::string text(reinterpret_cast<const char*>(data + at), size - at);
    const agentkit::resilience::pattern_set set(patterns);
    bool expected = false;
    for (const auto& p : patterns) expected = expected || std::string_view(text).find(p) != std::string_view::npos;
    if (set.found_in(text) != expected) std::abort();
    return 0;
}
