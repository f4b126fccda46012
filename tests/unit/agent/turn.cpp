// The turn written once: async_run awaits an asynchronous model on the caller's executor (no thread per
// turn), run() drives the same coroutine; the retry slot's one policy; the hook chain; the cache slot's
// entries in the response cache's layout; the agent's metrics.
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/response_caching.hpp>
#include <agentkit/cache/cache.hpp>
#include <agentkit/cache/lru.hpp>
#include <agentkit/cache/response_key.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/resilience/backoff.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <agentkit_test/agent_fixtures.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agent_turn_test {
using namespace agentkit;
using step = model::scripted_provider::step;
namespace asio = boost::asio;
using agentkit_test::add_tool;
using agentkit_test::add_tools;
using agentkit_test::fixed_backoff;

// An asynchronous model: answers after a timer on the awaiting coroutine's executor, holding no thread.
struct timer_model {
    struct shared {
        int in_flight = 0;
        int most_in_flight = 0;
        int calls = 0;
    };
    std::shared_ptr<shared> s = std::make_shared<shared>();
    std::chrono::milliseconds latency{20};

    asio::awaitable<model::chat_response> async_complete(const model::chat_request& r) {
        ++s->calls;
        s->most_in_flight = std::max(s->most_in_flight, ++s->in_flight);
        asio::steady_timer t(co_await asio::this_coro::executor, latency);
        co_await t.async_wait(asio::use_awaitable);
        --s->in_flight;
        model::chat_response out;
        out.reply = message::assistant("echo: " + r.messages.back().content());
        out.finish_reason = "stop";
        co_return out;
    }
    model::chat_response complete(const model::chat_request&) {
        ADD_FAILURE() << "the turn must await async_complete";
        return {};
    }
};

TEST(AgentTurn, AsyncRunAwaitsAnAsynchronousModelWithoutAThreadPerTurn) {
    using a_type = agent<with_model<timer_model>>;
    timer_model model;
    std::vector<std::unique_ptr<a_type>> agents;
    for (int i = 0; i < 100; ++i) agents.push_back(std::make_unique<a_type>(model));
    asio::io_context io(1);  // one thread: every turn waits at once, or they run one after another
    int done = 0;
    for (int i = 0; i < 100; ++i) {
        // append(), not "n" + to_string(i): g++ 12 at -O3 reports a false -Wstringop-overflow on the latter.
        std::string question("n");
        question.append(std::to_string(i));
        asio::co_spawn(io, agents[static_cast<std::size_t>(i)]->async_run(question),
                       [&, question](std::exception_ptr e, turn_result r) {
                           EXPECT_FALSE(e);
                           EXPECT_EQ(r.reply, std::string("echo: ").append(question));
                           ++done;
                       });
    }
    io.run();
    EXPECT_EQ(done, 100);
    EXPECT_EQ(model.s->most_in_flight, 100);  // all 100 model calls were waiting together on one thread
}

TEST(AgentTurn, RunDrivesTheSameCoroutineOverAnAsynchronousModel) {
    agent<with_model<timer_model>> a(timer_model{});
    EXPECT_EQ(a.run("hi").reply, "echo: hi");
    EXPECT_EQ(a.run("again").reply, "echo: again");  // the agent's io_context is reused
    EXPECT_EQ(a.history().size(), 4u);
}

TEST(AgentTurn, CancellingTheCoroutineEndsARetryWait) {
    using a_type = agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>>;
    a_type a(model::scripted_provider{step::fail(503), step::reply("late")});
    asio::io_context io;
    asio::cancellation_signal cancel;
    std::exception_ptr failure;
    asio::co_spawn(
        io, a.async_run("hi"),
        asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e, turn_result) { failure = e; }));
    asio::steady_timer soon(io, std::chrono::milliseconds(5));  // the backoff waits 100 ms
    soon.async_wait([&](auto) { cancel.emit(asio::cancellation_type::terminal); });
    io.run();
    ASSERT_TRUE(failure);
    try {
        std::rethrow_exception(failure);
    } catch (const error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::cancelled));
    }
    EXPECT_EQ(a.model().calls(), 1u);
}

// --- one retry ---------------------------------------------------------------------------------------------

TEST(AgentRetry, TheSlotHoldsACompleteRetryPolicyConfiguredAtConstruction) {
    using a_type = agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>>;
    static_assert(std::is_same_v<a_type::retry_type, resilience::retry<fixed_backoff>>);
    std::vector<std::chrono::nanoseconds> waits;
    agent_config cfg;
    cfg.sleep = [&](std::chrono::nanoseconds d) { waits.push_back(d); };
    a_type a(use_model(model::scripted_provider{step::fail(500), step::fail(500), step::fail(500), step::reply("ok")}),
             use_retry(resilience::retry_config{.max_attempts = 4, .max_delay = std::chrono::milliseconds(150)}),
             use_config(cfg));
    EXPECT_EQ(a.retry().configuration().max_attempts, 4u);
    auto r = a.run("hi");
    EXPECT_EQ(r.reply, "ok");
    EXPECT_EQ(r.retries, 3u);
    // fixed_backoff asks 100, 200, 300 ms; the one max delay (150 ms) caps the later two.
    EXPECT_EQ(waits,
              (std::vector<std::chrono::nanoseconds>{std::chrono::milliseconds(100), std::chrono::milliseconds(150),
                                                     std::chrono::milliseconds(150)}));
}

TEST(AgentRetry, ARetryAfterLongerThanTheMaxDelayFollowsTheRetryPolicy) {
    using a_type = agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>>;
    std::vector<std::chrono::nanoseconds> waits;
    agent_config cfg;
    cfg.sleep = [&](std::chrono::nanoseconds d) { waits.push_back(d); };
    // The default gives up: the server asked for longer than the caller will wait.
    a_type a(use_model(model::scripted_provider{step::fail(429, "slow", std::chrono::seconds(60)), step::reply("ok")}),
             use_config(cfg));
    EXPECT_THROW(a.run("hi"), model::provider_error);
    EXPECT_TRUE(waits.empty());
    // Clamped: waits the max delay, then tries again.
    a_type b(use_model(model::scripted_provider{step::fail(429, "slow", std::chrono::seconds(60)), step::reply("ok")}),
             use_retry(resilience::retry_config{.max_delay = std::chrono::milliseconds(2000),
                                                .on_long_retry_after = resilience::long_retry_after::clamp}),
             use_config(cfg));
    EXPECT_EQ(b.run("hi").reply, "ok");
    EXPECT_EQ(waits, (std::vector<std::chrono::nanoseconds>{std::chrono::milliseconds(2000)}));
}

TEST(AgentRetry, TheRetryPolicyClassifierDecides) {
    using a_type = agent<with_model<model::scripted_provider>, with_retry<fixed_backoff>>;
    agent_config cfg;
    cfg.sleep = [](std::chrono::nanoseconds) {};
    // A 503 whose message matches a non-retryable pattern is not retried.
    a_type a(use_model(model::scripted_provider{step::fail(503, "invalid_api_key"), step::reply("never")}),
             use_config(cfg));
    EXPECT_THROW(a.run("hi"), model::provider_error);
    EXPECT_EQ(a.model().calls(), 1u);
}

// --- hooks ---------------------------------------------------------------------------------------------------

struct trace {
    std::vector<std::string> events;
};
struct redact {
    trace* t;
    void before_model(model::chat_request& r) {
        t->events.push_back("redact.before");
        for (auto& m : r.messages)
            if (m.role() == role::user && m.content().find("4111") != std::string::npos)
                m = message::user("[card number removed]");
    }
    void after_model(const model::chat_request&, model::chat_response&) { t->events.push_back("redact.after"); }
};
struct route_and_sign {
    trace* t;
    void before_model(model::chat_request& r) {
        t->events.push_back("route.before");
        r.model = "fast";
    }
    void after_model(const model::chat_request&, model::chat_response& a) {
        t->events.push_back("route.after");
        if (a.reply.tool_calls().empty()) a.reply = message::assistant(a.reply.content() + " [checked]");
    }
};
struct audit_tools {
    trace* t;
    std::string around_tool(const tool_request& call, const next_tool& next) {
        t->events.push_back("audit.in " + std::string(call.name));
        auto out = next(call);
        t->events.push_back("audit.out " + out);
        return out;
    }
};
struct double_first_argument {
    std::string around_tool(const tool_request& call, const next_tool& next) {
        if (call.arguments == R"({"a":2,"b":3})") return next({call.name, R"({"a":4,"b":3})"});
        return next(call);
    }
};

TEST(AgentHooks, BeforeRunsInOrderAfterInReverseAroundToolNests) {
    trace t;
    using chain = hooks<redact, route_and_sign, audit_tools, double_first_argument>;
    using a_type = agent<with_model<model::scripted_provider>, with_tools<add_tools>, with_hooks<chain>>;
    a_type a(use_model(model::scripted_provider{step::call("c1", "add", R"({"a":2,"b":3})"), step::reply("seven")}),
             use_tools(add_tools(add_tool())),
             use_hooks(chain{redact{&t}, route_and_sign{&t}, audit_tools{&t}, double_first_argument{}}));
    auto r = a.run("my card is 4111 1111");
    EXPECT_EQ(r.reply, "seven [checked]");
    EXPECT_EQ(
        t.events,
        (std::vector<std::string>{"redact.before", "route.before", "route.after", "redact.after", "audit.in add",
                                  "audit.out 7", "redact.before", "route.before", "route.after", "redact.after"}));
    const auto seen = a.model().requests();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].model, "fast");                                       // routed by a hook
    EXPECT_EQ(seen[0].messages.back().content(), "[card number removed]");  // the model never saw the number
    EXPECT_EQ(a.history()[0].content(), "my card is 4111 1111");            // the history keeps what the user said
    EXPECT_EQ(a.history()[2].content(), "7");                               // the hook changed the arguments
    EXPECT_EQ(a.history()[a.history().size() - 1].content(), "seven [checked]");
}

struct refuse_tools {
    std::string around_tool(const tool_request& call, const next_tool&) {
        throw error(errc::invalid_argument, "tool " + std::string(call.name) + " is not allowed here", "guardrail");
    }
};

TEST(AgentHooks, AToolHookThatThrowsBecomesAToolErrorTheModelSees) {
    using a_type = agent<with_model<model::scripted_provider>, with_tools<add_tools>, with_hooks<hooks<refuse_tools>>>;
    a_type a(use_model(model::scripted_provider{step::call("c1", "add", R"({"a":2,"b":3})"), step::reply("ok")}),
             use_tools(add_tools(add_tool())));
    a.run("add");
    EXPECT_NE(a.history()[2].content().find("not allowed"), std::string::npos) << a.history()[2].content();
}

TEST(AgentHooks, NoHooksSlotCostsNothing) {
    using plain = agent<with_model<model::scripted_provider>>;
    using with_none = agent<with_model<model::scripted_provider>, with_hooks<none>>;
    static_assert(sizeof(plain) == sizeof(with_none));
    static_assert(!with_none::has_hooks);
}

// --- the cache slot's layout -------------------------------------------------------------------------------

TEST(AgentCache, EntriesAreKeyedAsTheResponseCacheKeysThem) {
    using a_type = agent<with_model<model::scripted_provider>, with_cache<cache::lru>>;
    a_type::cache_type::config lc;
    lc.max_size = 16;
    a_type a(use_model(model::scripted_provider{step::reply("four")}), use_cache(lc),
             use_config({.resume_messages = 0, .model = "m"}));
    a.run("2+2?");
    model::chat_request asked;
    asked.model = "m";
    asked.messages = {message::user("2+2?")};
    const auto hit = a.cache().get(cache::response_key("m", detail::request_prompt(asked)));
    ASSERT_TRUE(hit);
    EXPECT_EQ(detail::decode_response(*hit, asked).reply.content(), "four");
}

// --- metrics ---------------------------------------------------------------------------------------------------

std::string scrape(const observe::metric_registry& r) {
    std::string out;
    observe::write_prometheus_text(out, r);
    return out;
}

TEST(AgentMetrics, ATurnIsCountedAndPromtoolAcceptsTheScrape) {
    observe::metric_registry registry;
    agent_config cfg;
    cfg.sleep = [](std::chrono::nanoseconds) {};
    using a_type = agent<with_model<model::scripted_provider>, with_tools<add_tools>, with_retry<fixed_backoff>,
                         with_cache<response_caching<>>>;
    a_type a(use_model(model::scripted_provider{step::fail(503), step::call("c1", "add", R"({"a":1,"b":2})"),
                                                step::reply("3")}),
             use_tools(add_tools(add_tool())), use_config(cfg), use_metrics(registry, "support"));
    a.run("1+2");
    const std::string text = scrape(registry);
    for (const char* line :
         {"agentkit_agent_turns_total{agent=\"support\",outcome=\"answered\"} 1",
          "agentkit_agent_model_calls_total{agent=\"support\"} 3", "agentkit_agent_retries_total{agent=\"support\"} 1",
          "agentkit_agent_tool_calls_total{agent=\"support\"} 1",
          "agentkit_agent_cache_hits_total{agent=\"support\"} 0",
          "agentkit_agent_turn_duration_seconds_count{agent=\"support\"} 1"})
        EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
    if (std::FILE* probe = std::fopen("/usr/bin/promtool", "r")) {
        std::fclose(probe);
        const std::string path = ::testing::TempDir() + "agent_metrics.prom";
        std::ofstream(path) << text;
        EXPECT_EQ(std::system(("/usr/bin/promtool check metrics < " + path + " > /dev/null 2>&1").c_str()), 0) << text;
    }
}

TEST(AgentMetrics, WithoutARegistryNothingIsCounted) {
    agent<with_model<model::scripted_provider>> a(model::scripted_provider{step::reply("x")});
    EXPECT_EQ(a.run("hi").reply, "x");  // no registry, no series: nothing to scrape and nothing paid
}

}  // namespace agent_turn_test
