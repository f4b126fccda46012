#pragma once
// Unkeyed hashing shared by every layer: the 64-bit mixers (mix64; mix64_fast for the tokenizer's tables),
// one transparent string hash for maps keyed by
// std::string, and a 128-bit content hash. For keys a client chooses (rate-limit subjects, session ids) use
// core/keyed_hash.hpp instead: an unkeyed hash lets an attacker precompute colliding keys.
//
// The content hash is our own rather than xxHash: Debian ships only the runtime library (libxxhash0) unless
// libxxhash-dev is added to every consumer's dependencies, and the one caller hashes each text once beside an
// embedding call that costs far more than reading the text.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace agentkit {

// MurmurHash3's 64-bit finaliser: bijective, and every input bit flips each output bit with probability ~1/2.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

// A cheaper mixer (two xor-shift rounds and one multiply) for hot hash tables whose keys we derive ourselves
// (the tokenizer's pieces): mix64's third round costs the exact tokenizer 1-5 % of its CPU time (bench_tokens
// exact/count and exact/encode, A/B in one run). Not for keys a client chooses, nor where every output bit
// must depend on every input bit.
constexpr std::uint64_t mix64_fast(std::uint64_t h) noexcept {
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

// 2^64 / golden ratio, odd: the Weyl-sequence step that spreads consecutive counters over the word.
inline constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

// A transparent hash for maps keyed by std::string: find(std::string_view) and find(const char*) look up
// without building a std::string. Use with std::equal_to<> (string_map below does both).
struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    std::size_t operator()(const std::string& s) const noexcept { return (*this)(std::string_view(s)); }
    std::size_t operator()(const char* s) const noexcept { return (*this)(std::string_view(s)); }
};

template <class V>
using string_map = std::unordered_map<std::string, V, string_hash, std::equal_to<>>;

// 128-bit content hash as 32 lowercase hex digits: FNV-1a 64 and a multiply-xorshift hash with another
// seed, each finished with mix64 — two independent halves, so n texts collide with chance ~n^2 / 2^129.
// Stable across processes and builds (a cache may keep it instead of the text).
inline std::string content_hash(std::string_view text) {
    std::uint64_t a = 0xcbf29ce484222325ULL, b = golden_gamma ^ text.size();
    for (const unsigned char c : text) {
        a = (a ^ c) * 0x100000001b3ULL;
        b = (b + c) * 0xff51afd7ed558ccdULL;
        b ^= b >> 29;
    }
    a = mix64(a ^ text.size());
    b = mix64(b);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(32, '0');
    for (int i = 0; i < 16; ++i) {
        out[static_cast<std::size_t>(i)] = hex[(a >> (60 - 4 * i)) & 0xf];
        out[static_cast<std::size_t>(16 + i)] = hex[(b >> (60 - 4 * i)) & 0xf];
    }
    return out;
}

}  // namespace agentkit
