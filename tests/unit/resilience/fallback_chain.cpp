#include <agentkit/resilience/backoff.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>
#include <agentkit/resilience/fallback_chain.hpp>
#include <agentkit/resilience/retry.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace resilience_fallback_chain_test {

using namespace agentkit;
using namespace agentkit::resilience;
using namespace std::chrono_literals;
namespace asio = boost::asio;

struct recording {
    std::vector<std::size_t>* fell;
    std::size_t* served;
    void on_fallback(std::size_t i, const failure&) { fell->push_back(i); }
    void on_served(std::size_t i) { *served = i; }
};

TEST(FallbackChain, TriesAlternativesInOrderEachWithItsOwnPolicies) {
    manual_clock clock;
    circuit_breaker_config bc;
    bc.sliding_window_size = 4;
    bc.minimum_number_of_calls = 4;
    circuit_breaker<manual_clock> primary_breaker(bc, clock);
    retry<constant_backoff<>, default_classifier, manual_clock> primary_retry(
        retry_config{.max_attempts = 2}, constant_backoff<>({.delay = 100ms}), {}, clock);
    int primary_calls = 0, secondary_calls = 0;
    auto sleeper = [&](std::chrono::nanoseconds d) { clock.advance(d); };
    fallback_chain chain(
        [&] {
            return primary_breaker.execute([&] {
                return primary_retry.execute(
                    [&](const attempt<manual_clock>&) -> outcome<std::string> {
                        ++primary_calls;
                        return failure::from_http(503);
                    },
                    sleeper);
            });
        },
        [&]() -> outcome<std::string> {
            ++secondary_calls;
            return std::string("local:ollama:llama3");
        });
    static_assert(decltype(chain)::size() == 2);
    std::vector<std::size_t> fell;
    std::size_t served = 99;
    for (int i = 0; i < 6; ++i) {
        auto r = chain.execute(fall_back_always{}, recording{&fell, &served});
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(r.value(), "local:ollama:llama3");
        EXPECT_EQ(served, 1u);
    }
    // Primary: 2 attempts per request until its breaker opened after 4 recorded failures; then skipped.
    EXPECT_EQ(primary_calls, 8);
    EXPECT_EQ(secondary_calls, 6);
    EXPECT_EQ(primary_breaker.state(), circuit_state::open);
    EXPECT_EQ(fell.size(), 6u);
}

TEST(FallbackChain, AllFailGivesTheLastFailureAndFinalFailuresStopTheChain) {
    int third = 0;
    fallback_chain chain([] { return outcome<int>(failure::from_http(500, "a")); },
                         [] { return outcome<int>(failure::from_http(400, "bad request")); },
                         [&] {
                             ++third;
                             return outcome<int>(1);
                         });
    auto r = chain.execute(fall_back_unless_invalid_request{});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "bad request");
    EXPECT_EQ(third, 0);
    fallback_chain failing([] { return outcome<int>(failure::from_http(500, "a")); },
                           [] { return outcome<int>(failure::from_http(502, "b")); });
    EXPECT_EQ(failing.execute().error().message, "b");
}

TEST(FallbackChain, AsyncAlternatives) {
    asio::io_context io;
    fallback_chain chain([]() -> asio::awaitable<outcome<int>> { co_return failure::from_errc(errc::timeout); },
                         []() -> asio::awaitable<outcome<int>> { co_return 5; });
    int got = 0;
    // A named lambda: a coroutine lambda must outlive its frame (its captures live in the lambda).
    auto body = [&]() -> asio::awaitable<void> { got = (co_await chain.async_execute()).value(); };
    asio::co_spawn(io, body(), asio::detached);
    io.run();
    EXPECT_EQ(got, 5);
}

}  // namespace resilience_fallback_chain_test
