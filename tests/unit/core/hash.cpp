// core/hash.hpp: the mixer, the transparent string hash, and the content hash's stable values.
#include <agentkit/core/hash.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

using namespace agentkit;

TEST(Hash, Mix64IsMurmur3Finaliser) {
    static_assert(mix64(0) == 0);  // the finaliser maps 0 to 0; callers offset their input (golden_gamma)
    EXPECT_EQ(mix64(1), 0xb456bcfc34c2cb2cULL);
    EXPECT_EQ(mix64(golden_gamma), 0x9ca066f1a4ab2eeaULL);
}

TEST(Hash, Mix64SpreadsSequentialKeysWithoutCollision) {
    std::unordered_set<std::uint64_t> seen;
    std::unordered_set<std::uint64_t> low_bytes;
    for (std::uint64_t i = 0; i < 100000; ++i) {
        const std::uint64_t h = mix64(i);
        EXPECT_TRUE(seen.insert(h).second);  // bijective
        low_bytes.insert(h & 0xff);
    }
    EXPECT_EQ(low_bytes.size(), 256u);  // sequential keys reach every low byte (std::hash<int> would not)
}

TEST(Hash, StringHashIsTransparent) {
    string_map<int> m;
    m.emplace("alpha", 1);
    m.emplace(std::string("beta"), 2);
    const std::string_view key = "alpha";
    ASSERT_NE(m.find(key), m.end());  // no std::string built for the look-up
    EXPECT_EQ(m.find(key)->second, 1);
    EXPECT_EQ(m.find("beta")->second, 2);
    EXPECT_EQ(m.find(std::string_view("gamma")), m.end());
    const string_hash h;
    EXPECT_EQ(h("x y"), h(std::string("x y")));
    EXPECT_EQ(h("x y"), std::hash<std::string_view>{}("x y"));
}

// The values are fixed: a cache may keep the hash instead of the text, across processes and builds.
TEST(Hash, ContentHashIsStable) {
    EXPECT_EQ(content_hash(""), "efd01f60ba9929269ca066f1a4ab2eea");
    EXPECT_EQ(content_hash("hello"), "3aff9cfcce477975298b742bbfb63319");
    EXPECT_EQ(content_hash("hello").size(), 32u);
    EXPECT_NE(content_hash("ab"), content_hash("ba"));
    EXPECT_NE(content_hash(""), content_hash(std::string(1, '\0')));
}
