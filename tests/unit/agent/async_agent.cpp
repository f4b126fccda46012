// async_run: the agent turn as a C++20 coroutine on Boost.Asio, beside run(). Same steps and results; the
// blocking parts (a synchronous model, the tool executor) run on an offload pool, retry waits on a sleeper
// that does not block (here one that records the wait and returns at once: nothing sleeps).
#include <agentkit/agent/async_agent.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/tools/tool_set.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <agentkit_test/agent_fixtures.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace agent_async_test {
using namespace agentkit;
using step = model::scripted_provider::step;
namespace asio = boost::asio;

using agentkit_test::add_tool;
using agentkit_test::add_tools;
using agentkit_test::fixed_backoff;
struct recording_sleeper {
    std::vector<std::chrono::nanoseconds>* waits;
    asio::awaitable<bool> operator()(std::chrono::nanoseconds d) const {
        waits->push_back(d);
        co_return true;
    }
};

// Runs one turn on an io_context (the caller's thread) with a 2-thread offload pool; rethrows its error.
template <class Agent, class Sleeper = resilience::timer_sleeper>
turn_result run_async(Agent& a, std::string text, agent_callbacks cb = {}, Sleeper sleeper = {}) {
    asio::io_context io;
    asio::thread_pool blocking(2);
    std::optional<turn_result> out;
    std::exception_ptr failure;
    asio::co_spawn(io, async_run(a, std::move(text), std::move(cb), blocking.get_executor(), sleeper),
                   [&](std::exception_ptr e, turn_result r) {
                       failure = e;
                       if (!e) out = std::move(r);
                   });
    io.run();
    blocking.join();
    if (failure) std::rethrow_exception(failure);
    return *out;
}

TEST(AgentAsync, RunsTheSameReActTurnAsRun) {
    using tool_agent = agent<with_model<model::scripted_provider>, with_tools<add_tools>>;
    tool_agent a(model::scripted_provider{step::call("c1", "add", R"({"a":2,"b":40})"), step::reply("2 + 40 = 42")},
                 add_tools(add_tool()));
    tool_agent b(model::scripted_provider{step::call("c1", "add", R"({"a":2,"b":40})"), step::reply("2 + 40 = 42")},
                 add_tools(add_tool()));
    const auto caller = std::this_thread::get_id();
    std::vector<std::string> events;
    std::string streamed;
    agent_callbacks cb;
    cb.on_delta = [&](const model::chat_delta& d) { streamed += d.content; };
    cb.on_tool_call = [&](const tool_call& c) {
        EXPECT_EQ(std::this_thread::get_id(), caller);  // non-streaming callbacks run on the coroutine's executor
        events.push_back("call " + c.name);
    };
    cb.on_tool_result = [&](const tools::tool_outcome& o) { events.push_back("result " + o.content); };
    auto r = run_async(a, "what is 2 + 40?", cb);
    auto s = b.run("what is 2 + 40?");
    EXPECT_EQ(r.reply, "2 + 40 = 42");
    EXPECT_EQ(r.reply, s.reply);
    EXPECT_EQ(r.iterations, s.iterations);
    EXPECT_EQ(r.tool_calls, 1u);
    EXPECT_EQ(r.tokens, s.tokens);
    EXPECT_EQ(streamed, "2 + 40 = 42");
    EXPECT_EQ(events, (std::vector<std::string>{"call add", "result 42"}));
    ASSERT_EQ(a.history().size(), b.history().size());
    for (std::size_t i = 0; i < a.history().size(); ++i) EXPECT_EQ(a.history()[i], b.history()[i]);
}

TEST(AgentAsync, RetriesWaitOnTheSleeperHonouringRetryAfter) {
    std::vector<std::chrono::nanoseconds> waits;
    model::scripted_provider p{step::fail(500), step::fail(429, "slow down", std::chrono::seconds(1)),
                               step::reply("fine")};
    agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>> a(std::move(p));
    auto r = run_async(a, "hi", {}, recording_sleeper{&waits});
    EXPECT_EQ(r.reply, "fine");
    EXPECT_EQ(r.retries, 2u);
    ASSERT_EQ(waits.size(), 2u);
    EXPECT_EQ(waits[0], std::chrono::milliseconds(100));
    EXPECT_EQ(waits[1], std::chrono::seconds(1));
}

TEST(AgentAsync, ErrorsThatCannotSucceedPropagate) {
    agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>> a(
        model::scripted_provider{step::fail(401, "invalid_api_key")});
    std::vector<std::chrono::nanoseconds> waits;
    try {
        run_async(a, "hi", {}, recording_sleeper{&waits});
        FAIL();
    } catch (const model::provider_error& e) {
        EXPECT_EQ(e.http_status(), 401);
    }
    EXPECT_TRUE(waits.empty());
}

TEST(AgentAsync, AModelCallInFlightDoesNotBlockTheCallersThread) {
    // The model call of two agents blocks (on the offload pool) until a third task, running on the same
    // single io_context thread, releases it. That can only happen if the turns do not block that thread.
    // Bounded: a blocked thread makes the models give up after 5 s and the test fail, never hang.
    std::mutex m;
    std::condition_variable cv;
    bool released = false;
    std::atomic<int> saw_release{0};
    model::scripted_provider::config held;
    held.sleep = [&](std::chrono::nanoseconds) {
        std::unique_lock lock(m);
        if (cv.wait_for(lock, std::chrono::seconds(5), [&] { return released; })) ++saw_release;
    };
    using held_agent = agent<with_model<model::scripted_provider>>;
    held_agent x(model::scripted_provider({step::reply("x").after(std::chrono::nanoseconds(1))}, held));
    held_agent y(model::scripted_provider({step::reply("y").after(std::chrono::nanoseconds(1))}, held));
    asio::io_context io;
    asio::thread_pool blocking(2);
    std::vector<std::string> replies;
    for (auto* a : {&x, &y})
        asio::co_spawn(io, async_run(*a, "go", {}, blocking.get_executor()), [&](std::exception_ptr e, turn_result r) {
            EXPECT_FALSE(e);
            replies.push_back(r.reply);
        });
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 3; ++i) co_await asio::post(io, asio::use_awaitable);
            {
                std::lock_guard lock(m);
                released = true;
            }
            cv.notify_all();
        },
        asio::detached);
    io.run();
    blocking.join();
    EXPECT_EQ(replies.size(), 2u);
    EXPECT_EQ(saw_release.load(), 2);
}

}  // namespace agent_async_test
