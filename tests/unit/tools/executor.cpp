#include <agentkit/tools/executor.hpp>
#include <agentkit/tools/registry.hpp>
#include <agentkit/tools/tool_set.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>

using namespace agentkit;
using namespace agentkit::tools;

namespace {
auto echo_tool() {
    return make_tool("echo", "returns its arguments", R"({"type":"object"})",
                     [](std::string_view a) { return std::string(a); });
}
auto failing_tool() {
    return make_tool("boom", "always throws", R"({"type":"object"})",
                     [](std::string_view) -> std::string { throw std::runtime_error("disk on fire"); });
}
std::vector<tool_call> calls(std::initializer_list<tool_call> c) { return c; }
// Starts the executor's threads, so a short deadline in a test measures the tool, not thread creation.
void warm_up(executor& ex) {
    registry box;
    box.add(make_tool("noop", "", "{}", [](std::string_view) { return std::string(); }));
    ASSERT_TRUE(ex.run_one(box, {"warm", "noop", "{}"}).ok());
}
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
    box.add(make_tool("big", "", "{}",
                      [](std::string_view) { return std::string(10, 'a') + "\xC3\xA9" + std::string(100, 'b'); }));
    executor::config cfg;
    cfg.max_output_bytes = 11;
    executor ex(cfg);
    auto o = ex.run_one(box, {"c", "big", "{}"});
    EXPECT_TRUE(o.truncated);
    EXPECT_EQ(o.original_bytes, 112u);
    EXPECT_EQ(o.content.substr(0, 11), std::string(10, 'a') + "\n");  // the 2-byte e-acute did not fit: cut before it
    EXPECT_NE(o.content.find("[agentkit: output truncated to 10 of 112 bytes"), std::string::npos);
    EXPECT_EQ(executor::config{}.max_output_bytes, 51200u);
    EXPECT_EQ(executor::config{}.default_timeout.count(), 30000);
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
    cfg.timeouts["slow"] = std::chrono::milliseconds(20);
    executor ex(cfg);
    warm_up(ex);
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
    auto out =
        ex.run(box, calls({{"1", "meet", R"({"n":1})"}, {"2", "meet", R"({"n":2})"}, {"3", "meet", R"({"n":3})"}}));
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(out[i].ok()) << out[i].content;
        EXPECT_EQ(out[i].content, R"({"n":)" + std::to_string(i + 1) + "}");  // results keep the calls' order
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

namespace {
using namespace std::chrono_literals;

// Records which calls started (and when), so a test can prove a call never ran.
struct start_log {
    std::mutex mutex;
    std::vector<std::string> started;
    void add(std::string_view who) {
        std::lock_guard lock(mutex);
        started.emplace_back(who);
    }
    std::vector<std::string> snapshot() {
        std::lock_guard lock(mutex);
        return started;
    }
};
}  // namespace

TEST(ExecutorTimeout, CallsQueuedBehindASlowToolNeverStartAfterTimingOut) {
    for (bool parallel : {true, false}) {
        auto log = std::make_shared<start_log>();
        auto release = std::make_shared<std::atomic<bool>>(false);
        registry box;
        // Holds the only worker past every deadline (and ignores its stop token) until the test lets it go.
        box.add(make_tool("sleepy", "", "{}", [log, release](std::string_view) {
            log->add("sleepy");
            while (!*release) std::this_thread::sleep_for(1ms);
            return std::string("woke");
        }));
        box.add(make_tool("mark", "", "{}", [log](std::string_view a) {
            log->add(std::string(a));
            return std::string("marked");
        }));
        executor::config cfg;
        cfg.max_workers = 1;
        cfg.parallel_execution_enabled = parallel;
        cfg.default_timeout = std::chrono::milliseconds(200);
        {
            executor ex(cfg);
            warm_up(ex);
            auto out =
                ex.run(box, calls({{"1", "sleepy", "{}"}, {"2", "mark", R"({"m":2})"}, {"3", "mark", R"({"m":3})"}}));
            ASSERT_EQ(out.size(), 3u);
            for (const auto& o : out) EXPECT_EQ(o.status, outcome_status::timed_out) << o.content;
            EXPECT_EQ(out[0].content, "error: tool 'sleepy' timed out after 200 ms");
            EXPECT_EQ(out[1].content, "error: tool 'mark' timed out after 200 ms before it started; it did not run");
            *release = true;
            // The worker comes free and serves a new call queued behind the two it must skip: once that one
            // ran, the worker has passed the timed-out calls.
            auto later = ex.run_one(box, {"4", "mark", R"({"m":4})"});
            EXPECT_TRUE(later.ok()) << later.content;
        }
        EXPECT_EQ(log->snapshot(), (std::vector<std::string>{"sleepy", R"({"m":4})"})) << "parallel=" << parallel;
    }
}

TEST(ExecutorShutdown, DestroyingAnExecutorWithAHungToolReturnsWithinTheShutdownBound) {
    // The hung tool ignores its stop token; its state is shared so it may outlive the executor safely.
    struct hang_state {
        std::atomic<bool> release{false};
        std::atomic<bool> entered{false};
        std::atomic<bool> returned{false};
    };
    auto state = std::make_shared<hang_state>();
    registry box;  // declared first: it outlives the abandoned worker's call (released below)
    box.add(make_tool("hang", "", "{}", [state](std::string_view) {
        state->entered = true;
        while (!state->release) std::this_thread::sleep_for(1ms);
        state->returned = true;
        return std::string("finally");
    }));
    executor::config cfg;
    cfg.default_timeout = std::chrono::milliseconds(200);
    cfg.shutdown_timeout = std::chrono::milliseconds(100);
    EXPECT_EQ(executor::config{}.shutdown_timeout.count(), 5000);
    auto ex = std::make_unique<executor>(cfg);
    warm_up(*ex);
    auto o = ex->run_one(box, {"1", "hang", "{}"});
    EXPECT_EQ(o.status, outcome_status::timed_out);
    EXPECT_TRUE(state->entered);
    const auto t0 = std::chrono::steady_clock::now();
    ex.reset();                                            // requests stop, waits 100 ms, detaches the hung worker
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);  // generous: the bug was waiting forever
    EXPECT_FALSE(state->returned);
    state->release = true;  // the detached worker finishes on its own state
    while (!state->returned) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(50ms);  // let it leave the registry's code before the registry dies
}

TEST(ExecutorShutdown, CooperativeToolIsAskedToStopAndJoined) {
    std::atomic<bool> stopped{false};
    registry box;
    box.add(make_tool("wait", "", "{}", [&](std::string_view, std::stop_token st) {
        while (!st.stop_requested()) std::this_thread::sleep_for(1ms);
        stopped = true;
        return std::string("stopped");
    }));
    executor::config cfg;
    cfg.default_timeout = std::chrono::milliseconds(200);
    {
        executor ex(cfg);
        warm_up(ex);
        EXPECT_EQ(ex.run_one(box, {"1", "wait", "{}"}).status, outcome_status::timed_out);
    }  // the default shutdown bound is generous; a cooperative tool ends long before it, and is joined
    EXPECT_TRUE(stopped);
}

TEST(ExecutorArguments, ChecksArgumentsAgainstTheSchemaBeforeTheToolRuns) {
    std::atomic<int> runs{0};
    registry box;
    box.add(make_tool("square", "",
                      R"({"type":"object","properties":{"a":{"type":"number"},"n":{"type":"integer"},)"
                      R"("tag":{"type":["string","null"]}},"required":["a"]})",
                      [&](std::string_view) {
                          ++runs;
                          return std::string("ok");
                      }));
    executor ex;
    struct bad_case {
        const char* arguments;
        const char* names;  // what the message must mention
    };
    const bad_case cases[] = {
        {"[1,2]", "must be a JSON object, got array"},
        {R"("x")", "must be a JSON object, got string"},
        {"42", "must be a JSON object"},
        {R"({"a":"not a number"})", "argument 'a' of tool 'square' must be of type number, got string"},
        {"{}", "missing the required argument 'a'"},
        {R"({"b":1})", "missing the required argument 'a'"},
        {R"({"a":1,"n":1.5})", "argument 'n'"},
        {R"({"a":1,"tag":3})", "argument 'tag' of tool 'square' must be of type string or null"},
        {"{not json", "not valid JSON"},
        {R"({"a":1} trailing)", "not valid JSON"},
    };
    for (const auto& c : cases) {
        auto o = ex.run_one(box, {"id", "square", c.arguments});
        EXPECT_EQ(o.status, outcome_status::bad_arguments) << c.arguments;
        EXPECT_NE(o.content.find(c.names), std::string::npos) << c.arguments << " -> " << o.content;
        EXPECT_EQ(o.content.rfind("error: ", 0), 0u) << o.content;
    }
    EXPECT_EQ(runs.load(), 0);  // the tool body never ran
    for (const char* good :
         {R"({"a":2})", R"({"a":2.5,"n":3,"tag":"t"})", R"({"a":1,"n":2.0,"tag":null,"extra":[1]})"}) {
        auto o = ex.run_one(box, {"id", "square", good});
        EXPECT_TRUE(o.ok()) << good << " -> " << o.content;
    }
    EXPECT_EQ(runs.load(), 3);
}

TEST(ExecutorArguments, EmptyArgumentsMeanAnEmptyObject) {
    std::atomic<int> runs{0};
    registry box;
    box.add(make_tool("noargs", "", R"({"type":"object","properties":{}})", [&](std::string_view a) {
        ++runs;
        return std::string(a);
    }));
    box.add(make_tool("needs", "", R"({"type":"object","required":["q"]})", [&](std::string_view) {
        ++runs;
        return std::string();
    }));
    executor ex;
    EXPECT_EQ(ex.run_one(box, {"1", "noargs", ""}).content, "{}");
    auto o = ex.run_one(box, {"2", "needs", ""});
    EXPECT_EQ(o.status, outcome_status::bad_arguments);
    EXPECT_NE(o.content.find("'q'"), std::string::npos);
    EXPECT_EQ(runs.load(), 1);
}
