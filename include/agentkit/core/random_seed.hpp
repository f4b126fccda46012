#pragma once
// fresh_seed(): a different 64-bit seed on every call, not predictable from outside the process. For
// state that must neither be guessable nor shared between instances (a cache's sketch hashing, a retry's
// jitter). One draw from the system's entropy per process (getrandom(2); std::random_device where that is
// missing), then a Weyl sequence over an atomic counter through core/hash.hpp's bijective mix64 (distinct
// calls, distinct seeds): creating a cache costs an atomic increment, not a system call. getrandom keeps <random> (6,000 lines) out of every cache and retry translation unit.
#include <agentkit/core/hash.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#if __has_include(<sys/random.h>)
#include <sys/random.h>
#else
#include <random>
#endif

namespace agentkit {

inline std::uint64_t fresh_seed() noexcept {
    static const std::uint64_t base = []() noexcept {
        auto b = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#if __has_include(<sys/random.h>)
        std::uint64_t drawn = 0;
        if (getrandom(&drawn, sizeof drawn, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof drawn)) b ^= drawn;
            // else: no entropy yet (early boot) or no syscall: the clock alone still differs per process
#else
        try {
            std::random_device rd;
            b ^= (std::uint64_t{rd()} << 32) ^ rd();
        } catch (...) {  // no entropy source on this platform: the clock alone still differs per process
        }
#endif
        return b;
    }();
    static std::atomic<std::uint64_t> counter{0};
    return mix64(base + (counter.fetch_add(1, std::memory_order_relaxed) + 1) * golden_gamma);
}

}  // namespace agentkit
