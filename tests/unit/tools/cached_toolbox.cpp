#include <agentkit/tools/cached_toolbox.hpp>
#include <agentkit/tools/executor.hpp>
#include <agentkit/tools/registry.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

using namespace agentkit::tools;

TEST(CachedToolbox, SecondIdenticalCallIsServedFromTheCache) {
    std::atomic<int> runs{0};
    registry box;
    box.add(make_tool("search", "", "{}", [&](std::string_view a) {
        ++runs;
        return "results for " + std::string(a);
    }));
    box.add(make_tool("shell.exec", "", "{}", [&](std::string_view) {
        ++runs;
        return std::string("ran");
    }));
    cached_toolbox<registry> cached(std::move(box));
    static_assert(toolbox<cached_toolbox<registry>>);
    EXPECT_EQ(cached.invoke("search", R"({"q":"a"})"), R"(results for {"q":"a"})");
    EXPECT_EQ(cached.invoke("search", R"({"q":"a"})"), R"(results for {"q":"a"})");
    EXPECT_EQ(runs, 1);
    cached.invoke("search", R"({"q":"b"})");  // other arguments: another entry
    EXPECT_EQ(runs, 2);
    cached.invoke("shell.exec", "{}");
    cached.invoke("shell.exec", "{}");  // excluded by pattern: runs every time
    EXPECT_EQ(runs, 4);
    EXPECT_FALSE(cached.cacheable("process.kill"));
    EXPECT_TRUE(cached.cacheable("processor"));
    EXPECT_EQ(cached.result_cache().size(), 2u);
}

TEST(CachedToolbox, FailuresAreNotCachedAndWorkThroughTheExecutor) {
    int runs = 0;
    registry box;
    box.add(make_tool("flaky", "", "{}", [&](std::string_view) -> std::string {
        if (++runs == 1) throw std::runtime_error("first time fails");
        return "ok";
    }));
    cached_toolbox<registry> cached(std::move(box));
    executor ex;
    EXPECT_EQ(ex.run_one(cached, {"1", "flaky", "{}"}).status, outcome_status::failed);
    EXPECT_EQ(ex.run_one(cached, {"2", "flaky", "{}"}).content, "ok");
    EXPECT_EQ(ex.run_one(cached, {"3", "flaky", "{}"}).content, "ok");
    EXPECT_EQ(runs, 2);
}
