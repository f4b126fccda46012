#pragma once
// manual_sleeper: the sleeper of a test on Asio coroutines that must not sleep. Each wait is recorded in
// `slept`, advances the manual clock by as much, and yields to the loop once.
#include <agentkit/core/clock.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <vector>

namespace agentkit_test {

struct manual_sleeper {
    agentkit::manual_clock clock;
    std::vector<std::chrono::nanoseconds>* slept;
    boost::asio::awaitable<bool> operator()(std::chrono::nanoseconds d) {
        slept->push_back(d);
        clock.advance(d);
        co_await boost::asio::post(co_await boost::asio::this_coro::executor,
                                   boost::asio::use_awaitable);  // yield to the loop
        co_return true;
    }
};

}  // namespace agentkit_test
