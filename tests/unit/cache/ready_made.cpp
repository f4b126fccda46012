// The seeds' ready-made caches: tool results (canonical keys, exclude patterns, ttl), responses
// (bytes, ttl), embeddings (model + content hash). The canonical form itself: tests/unit/json/canonical.cpp.
#include <agentkit/cache/embedding_cache.hpp>
#include <agentkit/cache/response_cache.hpp>
#include <agentkit/cache/tool_result_cache.hpp>

#include <gtest/gtest.h>

#include <string>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace cache_ready_made_test {

namespace ac = agentkit::cache;
using namespace std::chrono_literals;

TEST(ToolResultCache, SeedDefaults) {
    const ac::tool_result_cache::config c;
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.ttl, 300s);
    EXPECT_EQ(c.max_size, 1000u);
    EXPECT_EQ(c.exclude_patterns, (std::vector<std::string>{"shell.exec", "process.*"}));
}

TEST(ToolResultCache, CanonicalKeysExcludesAndTtl) {
    agentkit::manual_clock clock;
    ac::basic_tool_result_cache<ac::lru, ac::mutex, agentkit::manual_clock> c({.clock = clock});
    EXPECT_TRUE(c.put("search", R"({"q": "cats", "n": 3})", "result"));
    EXPECT_EQ(c.get("search", R"({"n":3,"q":"cats"})"), "result");  // same call, other key order
    EXPECT_FALSE(c.get("search", R"({"n":4,"q":"cats"})"));
    EXPECT_FALSE(c.put("shell.exec", R"({"cmd":"ls"})", "x"));
    EXPECT_FALSE(c.put("process.spawn", "{}", "x"));
    EXPECT_FALSE(c.get("shell.exec", R"({"cmd":"ls"})"));
    int runs = 0;
    auto run = [&] { return std::to_string(++runs); };
    EXPECT_EQ(c.get_or_compute("process.list", "{}", run), "1");
    EXPECT_EQ(c.get_or_compute("process.list", "{}", run), "2");  // excluded: always runs
    EXPECT_EQ(c.get_or_compute("read_file", R"({"path":"a"})", run), "3");
    EXPECT_EQ(c.get_or_compute("read_file", R"({"path":"a"})", run), "3");
    clock.advance(300s);
    EXPECT_FALSE(c.get("search", R"({"n":3,"q":"cats"})"));  // ttl 300 s
    EXPECT_EQ(c.invalidate_tool("read_file"), 1u);
    EXPECT_THROW(c.get("search", "{bad"), agentkit::error);
}

TEST(ToolResultCache, Disabled) {
    ac::tool_result_cache c({.enabled = false});
    EXPECT_FALSE(c.put("search", "{}", "x"));
    EXPECT_FALSE(c.get("search", "{}"));
}

TEST(ResponseCache, BytesTtlAndSkips) {
    agentkit::manual_clock clock;
    ac::basic_response_cache<ac::w_tinylfu, ac::sharded<2>, agentkit::manual_clock> c(
        {.ttl = 60s, .cache_size = 1 << 16, .max_entry_size = 1024, .clock = clock});
    EXPECT_TRUE(c.put("gpt", "hello", "hi"));
    EXPECT_FALSE(c.get("other-model", "hello"));
    EXPECT_EQ(c.get("gpt", "hello"), "hi");
    EXPECT_FALSE(c.put("gpt", "long", std::string(4096, 'x')));
    EXPECT_EQ(c.statistics().skipped, 1u);
    clock.advance(60s);
    EXPECT_FALSE(c.get("gpt", "hello"));
    EXPECT_EQ(c.get_or_compute("gpt", "q", [] { return std::string("a"); }), "a");
    EXPECT_EQ(c.invalidate_model("gpt"), 1u);
}

// The default response cache (64 MB by bytes, W-TinyLFU, sharded<8>) used to size its frequency sketch
// by max_size (8M counters' words per shard, 512 MB zeroed at construction). It now allocates by entries.
TEST(ResponseCache, DefaultConstructionAllocatesNothingPerByteOfCapacity) {
    ac::response_cache c;
    EXPECT_EQ(c.underlying().capacity(), std::size_t{64} << 20);
    EXPECT_LT(c.underlying().memory_bytes(), 64u * 1024);
    for (int i = 0; i < 500; ++i) c.put("gpt", "prompt " + std::to_string(i), std::string(200, 'r'));
    EXPECT_EQ(c.statistics().size, 500u);
    EXPECT_LT(c.underlying().memory_bytes(), 500u * 512);
}

TEST(EmbeddingCache, KeyedByModelAndContentHash) {
    ac::embedding_cache c;
    const std::vector<float> v{0.1f, 0.2f};
    c.put("text-embedding-3-small", "hello world", v);
    EXPECT_EQ(c.get("text-embedding-3-small", "hello world"), v);
    EXPECT_FALSE(c.get("text-embedding-3-large", "hello world"));
    EXPECT_FALSE(c.get("text-embedding-3-small", "hello world!"));
    const auto k = ac::basic_embedding_cache<>::key("m", std::string(1 << 20, 'x'));
    EXPECT_EQ(k.size(), 2u + 32u);  // model, NUL, 32 hex digits: the text itself is not kept
    EXPECT_NE(ac::content_hash("ab"), ac::content_hash("ba"));
    EXPECT_NE(ac::content_hash(""), ac::content_hash(std::string(1, '\0')));
    int calls = 0;
    c.get_or_compute("m", "t", [&] {
        ++calls;
        return std::vector<float>{1};
    });
    c.get_or_compute("m", "t", [&] {
        ++calls;
        return std::vector<float>{1};
    });
    EXPECT_EQ(calls, 1);
}

}  // namespace cache_ready_made_test
