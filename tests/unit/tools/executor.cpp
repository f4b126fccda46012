#include <agentkit/tools/executor.hpp>
#include <agentkit/tools/registry.hpp>
#include <agentkit/tools/tool_set.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>

using namespace agentkit;
using namespace agentkit::tools;

namespace {
auto echo_tool() {
    return make_tool("echo", "returns its arguments", R"({"type":"object"})", [](std::string_view a) { return std::string(a); });
}
auto failing_tool() {
    return make_tool("boom", "always throws", R"({"type":"object"})",
                     [](std::string_view) -> std::string { throw std::runtime_error("disk on fire"); });
}
std::vector<tool_call> calls(std::initializer_list<tool_call> c) { return c; }
}  // namespace

TEST(Executor, RunsToolsFromACompileTimeSet) {
    tool_set box(echo_tool(), failing_tool());
    static_assert(toolbox<decltype(box)>);
    executor ex;
    auto out = ex.run(box, calls({{"c1", "echo", R"({"x":1})"}}));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(out[0].ok());
    EXPECT_EQ(out[0].content, R"({"x":1})");
    EXPECT_EQ(out[0].to_message().tool_call_id(), "c1");
    EXPECT_EQ(box.specs().size(), 2u);
    EXPECT_EQ(box.specs()[1].name, "boom");
}

TEST(Executor, ErrorsBecomeToolMessages) {
    registry box;
    box.add(echo_tool()).add(failing_tool());
    executor ex;
    auto out = ex.run(box, calls({{"a", "boom", "{}"}, {"b", "nope", "{}"}, {"c", "echo", "{not json"}}));
    EXPECT_EQ(out[0].status, outcome_status::failed);
    EXPECT_EQ(out[0].content, "error: tool 'boom' failed: disk on fire");
    EXPECT_EQ(out[1].status, outcome_status::unknown_tool);
    EXPECT_EQ(out[1].content, "error: unknown tool 'nope'");
    EXPECT_EQ(out[2].status, outcome_status::bad_arguments);
    EXPECT_NE(out[2].content.find("not valid JSON"), std::string::npos);
}

TEST(Executor, CapsOutputWithAMarkerAndNeverSplitsUtf8) {
    registry box;
    box.add(make_tool("big", "", "{}", [](std::string_view) { return std::string(10, 'a') + "\xC3\xA9" + std::string(100, 'b'); }));
    executor::config cfg;
    cfg.max_output_bytes = 11;
    executor ex(cfg);
    auto o = ex.run_one(box, {"c", "big", "{}"});
    EXPECT_TRUE(o.truncated);
    EXPECT_EQ(o.original_bytes, 112u);
    EXPECT_EQ(o.content.substr(0, 11), std::string(10, 'a') + "\n");  // the 2-byte e-acute did not fit: cut before it
    EXPECT_NE(o.content.find("[agentkit: output truncated to 10 of 112 bytes"), std::string::npos);
    EXPECT_EQ(executor::config{}.max_output_bytes, 51200u);
    EXPECT_EQ(executor::config{}.default_timeout_ms, 30000u);
}

TEST(Executor, TimesOutAndAsksACooperativeToolToStop) {
    std::atomic<bool> stopped{false};
    registry box;
    box.add(make_tool("slow", "", "{}", [&](std::string_view, std::stop_token st) {
        while (!st.stop_requested()) std::this_thread::yield();
        stopped = true;
        return std::string("late");
    }));
    executor::config cfg;
    cfg.timeouts_ms["slow"] = 20;
    executor ex(cfg);
    auto o = ex.run_one(box, {"c", "slow", "{}"});
    EXPECT_EQ(o.status, outcome_status::timed_out);
    EXPECT_EQ(o.content, "error: tool 'slow' timed out after 20 ms");
    while (!stopped) std::this_thread::yield();
}

TEST(Executor, IndependentCallsRunInParallel) {
    // Three tools that each wait until all three have started: only a parallel executor can finish them.
    std::latch all_started(3);
    registry box;
    box.add(make_tool("meet", "", "{}", [&](std::string_view a) {
        all_started.arrive_and_wait();
        return std::string(a);
    }));
    executor::config cfg;
    cfg.max_workers = 3;
    executor ex(cfg);
    EXPECT_FALSE(ex.started());  // lazy: no thread before the first call
    auto out = ex.run(box, calls({{"1", "meet", "1"}, {"2", "meet", "2"}, {"3", "meet", "3"}}));
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(out[i].ok()) << out[i].content;
        EXPECT_EQ(out[i].content, std::to_string(i + 1));  // results keep the calls' order
    }
}

TEST(Executor, RejectsBadConfigNamingTheField) {
    try {
        executor::config cfg;
        cfg.max_workers = 0;
        executor ex(cfg);
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "tools.executor.max_workers");
    }
}

TEST(Registry, RejectsDuplicateNames) {
    registry box;
    box.add(echo_tool());
    EXPECT_THROW(box.add(echo_tool()), agentkit::error);
    EXPECT_THROW(box.invoke("missing", "{}"), agentkit::error);
}
