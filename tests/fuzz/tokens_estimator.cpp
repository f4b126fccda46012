// Differential fuzz target for the calibrated estimator's byte pass: every kernel this CPU runs (scalar,
// SSE2, AVX2, each forced) must give the portable kernel's features and carried flags, for the whole
// input and for the input fed in two parts at a cut chosen by its first byte (streaming). Abort on any
// difference.
#include <agentkit/text/calibrated_estimator.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace at = agentkit::text;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    at::byte_features want;
    at::measure_features(text, want, at::simd_level::scalar);
    const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
    for (const auto level : {at::simd_level::sse2, at::simd_level::avx2}) {
        if (!at::simd_level_available(level)) continue;
        at::byte_features whole, parts;
        at::measure_features(text, whole, level);
        at::measure_features(text.substr(0, cut), parts, level);
        at::measure_features(text.substr(cut), parts, level);
        if (whole.n != want.n || whole.prev != want.prev || parts.n != want.n || parts.prev != want.prev) std::abort();
    }
    return 0;
}
