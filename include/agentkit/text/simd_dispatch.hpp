#pragma once
// Which SIMD instruction set a kernel may use, decided once at run time. A header-only library cannot
// ask its users to build with -march=native, so the wide kernels are compiled for their instruction set
// with a function attribute (AGENTKIT_TARGET_AVX2) and chosen by a CPUID check cached in a static; a
// build that already targets AVX2 skips the check. Off x86-64 only the portable path exists.
//
//   if (agentkit::text::simd_level_available(agentkit::text::simd_level::avx2)) kernel_avx2(...); else ...
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define AGENTKIT_X86_SIMD 1
// Kernels compiled for AVX2 (+ BMI1/2, POPCNT, which every AVX2 CPU has) regardless of -march; only
// call them when simd_level_available(simd_level::avx2).
#define AGENTKIT_TARGET_AVX2 __attribute__((target("avx2,bmi,bmi2,popcnt")))
#define AGENTKIT_TARGET_AVX2_INLINE __attribute__((target("avx2,bmi,bmi2,popcnt"), always_inline)) inline
#else
#define AGENTKIT_X86_SIMD 0
#endif

namespace agentkit::text {

// Ordered: a level implies the ones below it.
enum class simd_level : std::uint8_t {
    scalar,  // portable C++ (every target)
    sse2,    // 16-byte vectors (every x86-64 CPU)
    avx2,    // 32-byte vectors, with BMI1/BMI2/POPCNT
};

inline const char* to_string(simd_level level) noexcept {
    switch (level) {
        case simd_level::sse2: return "sse2";
        case simd_level::avx2: return "avx2";
        case simd_level::scalar: break;
    }
    return "scalar";
}

// The widest level this CPU (and OS: AVX state saved by XSAVE, which __builtin_cpu_supports checks) runs.
inline simd_level detected_simd_level() noexcept {
#if AGENTKIT_X86_SIMD
#if defined(__AVX2__) && defined(__BMI__) && defined(__BMI2__) && defined(__POPCNT__)
    return simd_level::avx2;  // the build targets it: no check, and the compiler can inline the kernel
#else
    static const simd_level level = [] {
        __builtin_cpu_init();
        const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
            __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
        return avx2 ? simd_level::avx2 : simd_level::sse2;
    }();
    return level;
#endif
#else
    return simd_level::scalar;
#endif
}

inline bool simd_level_available(simd_level level) noexcept { return level <= detected_simd_level(); }

}  // namespace agentkit::text
