// siphash: the reference variant matches the paper's vectors; the default (1-3) depends on every byte, the
// length and both key words.
#include <agentkit/core/keyed_hash.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace core_keyed_hash_test {

using agentkit::sip_key;
using agentkit::siphash;

constexpr sip_key reference_key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};

std::string bytes_0_to(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(i));
    return s;
}

TEST(SipHash, ReferenceVariantMatchesThePapersVectors) {
    static_assert(siphash<2, 4>(reference_key, "") == 0x726fdb47dd0e0e31ULL);
    EXPECT_EQ((siphash<2, 4>(reference_key, bytes_0_to(15))), 0xa129ca6149be45e5ULL);
}

TEST(SipHash, EveryByteTheLengthAndBothKeyWordsMatter) {
    const std::string base = bytes_0_to(21);
    std::set<std::uint64_t> seen{siphash(reference_key, base)};
    for (std::size_t i = 0; i < base.size(); ++i) {
        std::string flipped = base;
        flipped[i] = static_cast<char>(flipped[i] ^ 1);
        EXPECT_TRUE(seen.insert(siphash(reference_key, flipped)).second) << "byte " << i;
    }
    EXPECT_TRUE(seen.insert(siphash(reference_key, base + '\0')).second) << "a trailing NUL";
    EXPECT_TRUE(seen.insert(siphash({reference_key.k0 ^ 1, reference_key.k1}, base)).second) << "k0";
    EXPECT_TRUE(seen.insert(siphash({reference_key.k0, reference_key.k1 ^ 1}, base)).second) << "k1";
}

}  // namespace core_keyed_hash_test
