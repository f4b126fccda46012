#pragma once
// For tests that run one call through a provider's synchronous and coroutine APIs and compare: a coroutine run
// to its end on a fresh io_context, what a call came to, and the comparison of two such outcomes.
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider_error.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <utility>

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

}  // namespace agentkit_test
