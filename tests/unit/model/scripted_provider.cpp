#include <agentkit/model/any_provider.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::model;

TEST(ScriptedProvider, AnswersFromTheScriptThenTheRuleThenEchoes) {
    scripted_provider p{scripted_provider::step::call("c1", "calc", R"({"e":"6*7"})"),
                        scripted_provider::step::reply("42")};
    chat_request r;
    r.messages.push_back(message::user("what is 6*7"));
    auto a = p.complete(r);
    ASSERT_EQ(a.reply.tool_calls().size(), 1u);
    EXPECT_EQ(a.finish_reason, "tool_calls");
    EXPECT_EQ(p.complete(r).reply.content(), "42");
    EXPECT_EQ(p.complete(r).reply.content(), "echo: what is 6*7");
    p.otherwise([](const chat_request&) { return scripted_provider::step::reply("ruled"); });
    EXPECT_EQ(p.complete(r).reply.content(), "ruled");
    EXPECT_EQ(p.calls(), 4u);
    EXPECT_EQ(p.requests().size(), 4u);
}

TEST(ScriptedProvider, ReportsDeterministicUsage) {
    scripted_provider p{scripted_provider::step::reply("12345678")};
    chat_request r;
    r.messages.push_back(message::user("abcd"));
    auto a = p.complete(r);
    EXPECT_EQ(a.tokens, (usage{1, 2}));
}

TEST(ScriptedProvider, StreamsDeltasThatAddUpToTheResponse) {
    scripted_provider p{scripted_provider::step::reply("a streamed reply").also_call("c9", "lookup", R"({"q":"x"})")};
    delta_accumulator acc;
    std::size_t pieces = 0;
    auto r = p.stream(chat_request{}, [&](const chat_delta& d) {
        ++pieces;
        acc.add(d);
    });
    auto folded = acc.finish(r.finish_reason, r.tokens, r.model);
    EXPECT_GT(pieces, 3u);
    EXPECT_EQ(folded.reply, r.reply);
    EXPECT_EQ(r.reply.tool_calls()[0].arguments, R"({"q":"x"})");
}

TEST(ScriptedProvider, InjectsFailuresAndLatency) {
    std::chrono::nanoseconds slept{0};
    scripted_provider::config cfg;
    cfg.sleep = [&](std::chrono::nanoseconds d) { slept += d; };
    scripted_provider p(cfg);
    p.then(scripted_provider::step::fail(429, "slow down", std::chrono::seconds(2)))
        .then(scripted_provider::step::reply("ok").after(std::chrono::milliseconds(150)));
    try {
        p.complete({});
        FAIL();
    } catch (const provider_error& e) {
        EXPECT_EQ(e.http_status(), 429);
        EXPECT_TRUE(e.retryable());
        EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(2000));
        EXPECT_EQ(e.code(), errc::rate_limited);
    }
    EXPECT_EQ(p.complete({}).reply.content(), "ok");
    EXPECT_EQ(slept, std::chrono::milliseconds(150));
}

TEST(ProviderError, ClassifiesStatuses) {
    EXPECT_TRUE(error_from_status(500, "").retryable());
    EXPECT_TRUE(error_from_status(503, "").retryable());
    EXPECT_TRUE(error_from_status(408, "").retryable());
    EXPECT_FALSE(error_from_status(401, "invalid_api_key").retryable());
    EXPECT_FALSE(error_from_status(400, "").retryable());
    auto f = to_failure(error_from_status(429, "rate_limit_exceeded", std::chrono::milliseconds(1500)));
    EXPECT_EQ(f.http_status, 429);
    EXPECT_EQ(f.retry_after, std::chrono::milliseconds(1500));
    EXPECT_NE(f.message.find("rate_limit_exceeded"), std::string::npos);
}

// A provider with only a synchronous API, held by any_provider, is called inline by the coroutine API: the
// same answers and deltas as its synchronous calls (the coroutine's thread is busy meanwhile).
TEST(ScriptedProvider, AnyProviderCallsItInlineFromACoroutine) {
    any_provider p = scripted_provider{scripted_provider::step::reply("from the script"),
                                       scripted_provider::step::call("c1", "f", "{}")};
    EXPECT_FALSE(p.has_async());
    chat_request r;
    r.messages.push_back(message::user("hi"));
    std::string text;
    std::size_t tool_deltas = 0;
    const delta_callback on_delta = [&](const chat_delta& d) {
        text += d.content;
        tool_deltas += d.tool_calls.size();
    };
    std::vector<chat_response> got;
    std::vector<std::vector<float>> embedded;
    const std::vector<std::string> inputs{"abc"};
    boost::asio::io_context io;
    auto body = [&]() -> boost::asio::awaitable<void> {
        got.push_back(co_await p.async_stream(r, on_delta));
        got.push_back(co_await p.async_complete(r));
        got.push_back(co_await p.async_complete(r));
        embedded = co_await p.async_embed(inputs);
    };
    boost::asio::co_spawn(io, body(), boost::asio::detached);
    io.run();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(text, "from the script");
    EXPECT_EQ(got[0].reply.content(), "from the script");
    EXPECT_EQ(got[1].reply.tool_calls().at(0).name, "f");
    EXPECT_EQ(got[2].reply.content(), "echo: hi");
    EXPECT_EQ(embedded, scripted_provider{}.embed(inputs));
}
