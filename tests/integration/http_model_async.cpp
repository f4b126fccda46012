// The providers' and the router's coroutine API over the real HTTP transport, against our OpenAI- and
// Anthropic-compatible test servers on 127.0.0.1: streamed and whole answers equal the synchronous ones,
// errors keep their Retry-After, a router retries on an Asio timer and falls back, and a call cancelled
// while its request hangs ends with errc::cancelled. Nothing may hang: every wait is bounded by the
// transport's timeouts.
#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/transport/http.hpp>
#include <agentkit_test/anthropic_server.hpp>
#include <agentkit_test/error_of.hpp>
#include <agentkit_test/http_providers.hpp>
#include <agentkit_test/openai_server.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace integration_http_model_async_test {

using namespace agentkit;
using agentkit_test::anthropic_server;
using agentkit_test::openai_server;
namespace asio = boost::asio;
using oai = model::openai_provider<transport::http>;
using ant = model::anthropic_provider<transport::http>;

static_assert(model::async_streaming_provider<oai> && model::async_embedding_provider<oai>);
static_assert(model::async_streaming_provider<ant>);

using agentkit_test::anthropic_over_http;
using agentkit_test::ask;
using agentkit_test::error_of;
using agentkit_test::openai_over_http;
using agentkit_test::weather_request;

namespace {
// Runs a coroutine to its end on a fresh io_context (cancelled by `cancel` when given); rethrows its exception.
template <class T>
T run(asio::awaitable<T> a, asio::cancellation_signal* cancel = nullptr) {
    asio::io_context io;
    std::optional<T> out;
    std::exception_ptr failed;
    auto done = [&](std::exception_ptr e, T v) {
        if (e)
            failed = e;
        else
            out.emplace(std::move(v));
    };
    if (cancel)
        asio::co_spawn(io, std::move(a), asio::bind_cancellation_slot(cancel->slot(), done));
    else
        asio::co_spawn(io, std::move(a), done);
    io.run();
    if (failed) std::rethrow_exception(failed);
    return std::move(*out);
}
}  // namespace

TEST(HttpModelAsync, OpenAiStreamAndCompleteEqualTheSynchronousCalls) {
    openai_server server;
    auto p = openai_over_http(server);
    auto req = weather_request();
    std::string sync_args, async_args;
    const model::delta_callback to_sync = [&](const model::chat_delta& d) {
        for (const auto& t : d.tool_calls) sync_args += t.arguments;
    };
    const model::delta_callback to_async = [&](const model::chat_delta& d) {
        for (const auto& t : d.tool_calls) async_args += t.arguments;
    };
    const auto sync = p.stream(req, to_sync);
    const auto async = run(p.async_stream(req, to_async));
    EXPECT_EQ(async.reply, sync.reply);
    EXPECT_EQ(async.tokens, sync.tokens);
    EXPECT_EQ(async.finish_reason, "tool_calls");
    EXPECT_EQ(async_args, sync_args);
    const auto hello = ask("hello");
    EXPECT_EQ(run(p.async_complete(hello)).reply, p.complete(hello).reply);
    const std::vector<std::string> inputs{"a", "b"};
    EXPECT_EQ(run(p.async_embed(inputs)), p.embed(inputs));

    server.push(openai_server::status(429, "Rate limit reached", "2"));
    auto e = error_of<model::provider_error>([&] { run(p.async_complete(hello)); });
    EXPECT_EQ(e.http_status(), 429);
    EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(2000));
}

TEST(HttpModelAsync, AnthropicStreamAndCompleteEqualTheSynchronousCalls) {
    anthropic_server server;
    auto p = anthropic_over_http(server);
    const auto req = ask("a longer message to stream");
    std::string sync_text, async_text;
    const model::delta_callback to_sync = [&](const model::chat_delta& d) { sync_text += d.content; };
    const model::delta_callback to_async = [&](const model::chat_delta& d) { async_text += d.content; };
    const auto sync = p.stream(req, to_sync);
    const auto async = run(p.async_stream(req, to_async));
    EXPECT_EQ(async.reply, sync.reply);
    EXPECT_EQ(async.tokens, sync.tokens);
    EXPECT_EQ(async_text, sync_text);
    EXPECT_EQ(run(p.async_complete(req)).reply, p.complete(req).reply);

    server.push(anthropic_server::error(529, "overloaded_error", "Overloaded", "1"));
    auto e = error_of<model::provider_error>([&] { run(p.async_stream(req, to_async)); });
    EXPECT_TRUE(e.retryable());
    EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(1000));
}

// The router's coroutine calls over HTTP: retries wait on the manual sleeper, then the fallback answers.
TEST(HttpModelAsync, RouterRetriesAndFallsBackWithoutBlocking) {
    openai_server primary, secondary;
    auto waits = std::make_shared<std::vector<std::chrono::nanoseconds>>();
    model::router::config c;
    c.tiers = {{"default", "primary:large"}};
    c.fallback_chain = {"secondary:backup"};
    c.retry.seed = 7;
    c.async_sleep = [waits](std::chrono::nanoseconds d) -> asio::awaitable<bool> {
        waits->push_back(d);
        co_return true;
    };
    model::router rt(c);
    rt.add_provider("primary", openai_over_http(primary));
    rt.add_provider("secondary", openai_over_http(secondary));
    primary.push(openai_server::status(429, "Rate limit reached", "2"));
    primary.push(openai_server::status(500, "boom"));
    primary.push(openai_server::status(503, "overloaded"));
    const auto req = ask("hello over http");
    EXPECT_EQ(run(rt.async_complete(req)).reply.content(), "echo: hello over http");
    ASSERT_EQ(waits->size(), 2u);
    EXPECT_GE(waits->at(0), std::chrono::seconds(2));  // Retry-After from the 429
    EXPECT_EQ(rt.statistics().fallbacks, 1u);
    EXPECT_EQ(rt.statistics().per_model.at("secondary:backup").calls, 1u);
}

// A request hanging on the server is cancelled through the router: errc::cancelled, and no fallback is tried.
TEST(HttpModelAsync, CancellingAHangingRoutedCall) {
    openai_server primary, secondary;
    model::router::config c;
    c.tiers = {{"default", "primary:large"}};
    c.fallback_chain = {"secondary:backup"};
    model::router rt(c);
    rt.add_provider("primary", openai_over_http(primary));
    rt.add_provider("secondary", openai_over_http(secondary));
    primary.push(openai_server::hang());
    asio::io_context io;
    asio::cancellation_signal cancel;
    std::exception_ptr failed;
    bool done = false;
    const auto req = ask("x");
    asio::co_spawn(io, rt.async_complete(req),
                   asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e, model::chat_response) {
                       failed = e;
                       done = true;
                   }));
    asio::steady_timer later(io, std::chrono::milliseconds(100));  // the request is out and hanging by then
    later.async_wait([&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    io.run();
    primary.release();
    ASSERT_TRUE(done);
    ASSERT_TRUE(failed);
    try {
        std::rethrow_exception(failed);
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::cancelled) << e.what();
    }
    EXPECT_TRUE(secondary.bodies().empty());
}

}  // namespace integration_http_model_async_test
