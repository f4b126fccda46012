#pragma once
// For tests that run one call through a provider's synchronous and coroutine APIs and compare: a coroutine run
// to its end on a fresh io_context, what a call came to, both calls (both_ways), the comparison of two such
// outcomes, and a table of failing calls checked both ways.
#include <agentkit/core/message.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/transport/http_message.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agentkit_test {

// Runs a coroutine to its end on a fresh io_context; its exception is rethrown.
template <class T>
T run(boost::asio::awaitable<T> a) {
    boost::asio::io_context io;
    std::optional<T> out;
    std::exception_ptr failed;
    boost::asio::co_spawn(io, std::move(a), [&](std::exception_ptr e, T v) {
        if (e)
            failed = e;
        else
            out.emplace(std::move(v));
    });
    io.run();
    if (failed) std::rethrow_exception(failed);
    return std::move(*out);
}

// What a call came to: the response or the error, and the deltas on the way.
struct outcome {
    std::optional<agentkit::model::chat_response> response;
    std::optional<agentkit::model::provider_error> failure;
    std::string text, arguments;
    std::size_t deltas = 0;
};

// Sends one request ("hi") through a provider made by make(h, piece) for each call, once through its
// synchronous API and once through its coroutine API (stream or complete); returns {sync, async}.
template <class Make, class Handler>
std::pair<outcome, outcome> both_ways(Make&& make, const Handler& h, bool stream, std::size_t piece) {
    std::pair<outcome, outcome> out;
    for (int async = 0; async < 2; ++async) {
        auto p = make(h, piece);
        outcome& o = async ? out.second : out.first;
        const agentkit::model::delta_callback on_delta = [&o](const agentkit::model::chat_delta& d) {
            ++o.deltas;
            o.text += d.content;
            for (const auto& t : d.tool_calls) o.arguments += t.arguments;
        };
        agentkit::model::chat_request r;
        r.messages.push_back(agentkit::message::user("hi"));
        try {
            if (async)
                o.response = run(stream ? p.async_stream(r, on_delta) : p.async_complete(r));
            else
                o.response = stream ? p.stream(r, on_delta) : p.complete(r);
        } catch (const agentkit::model::provider_error& e) {
            o.failure = e;
        }
    }
    return out;
}

inline void expect_same(const outcome& sync, const outcome& async, const std::string& what) {
    ASSERT_EQ(sync.response.has_value(), async.response.has_value()) << what;
    if (sync.response) {
        EXPECT_EQ(sync.response->reply, async.response->reply) << what;
        EXPECT_EQ(sync.response->finish_reason, async.response->finish_reason) << what;
        EXPECT_EQ(sync.response->tokens, async.response->tokens) << what;
        EXPECT_EQ(sync.response->model, async.response->model) << what;
    } else {
        ASSERT_TRUE(sync.failure && async.failure) << what;
        EXPECT_EQ(sync.failure->code(), async.failure->code()) << what;
        EXPECT_EQ(sync.failure->http_status(), async.failure->http_status()) << what;
        EXPECT_EQ(sync.failure->retryable(), async.failure->retryable()) << what;
        EXPECT_EQ(sync.failure->retry_after(), async.failure->retry_after()) << what;
        EXPECT_EQ(sync.failure->field(), async.failure->field()) << what;
        EXPECT_STREQ(sync.failure->what(), async.failure->what()) << what;
    }
    EXPECT_EQ(sync.text, async.text) << what;
    EXPECT_EQ(sync.arguments, async.arguments) << what;
    EXPECT_EQ(sync.deltas, async.deltas) << what;
}

// A call that fails: its name, the transport's answer, streamed or not, and the error it must end in.
struct failure_case {
    std::string name;
    std::function<agentkit::transport::http_response(const agentkit::transport::http_request&)> h;
    bool stream;
    agentkit::errc code;
    bool retryable;
};

// Each case both ways (responses in pieces of `piece` bytes): the same outcome, ending in the case's error.
// A fatal failure: call it inside ASSERT_NO_FATAL_FAILURE.
template <class Make>
void expect_same_failures(Make&& make, const std::vector<failure_case>& cases, std::size_t piece) {
    for (const auto& c : cases) {
        const auto [sync, async] = both_ways(make, c.h, c.stream, piece);
        expect_same(sync, async, c.name);
        ASSERT_TRUE(async.failure) << c.name;
        EXPECT_EQ(async.failure->code(), c.code) << c.name << ": " << async.failure->what();
        EXPECT_EQ(async.failure->retryable(), c.retryable) << c.name;
    }
}

}  // namespace agentkit_test
