#pragma once
// The definitions of agent/turn_driver.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/agent/turn_driver.hpp>
#include <agentkit/resilience/async_sleep.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::detail {

AGENTKIT_DECL boost::asio::awaitable<bool> wait_to_retry(const sleep_fn& sleeper, std::chrono::nanoseconds d) {
    co_return co_await resilience::detail::sleep_or_cancel(sleeper, d);
}

AGENTKIT_DECL boost::asio::awaitable<bool> turn_cancelled() { co_return co_await resilience::detail::cancelled(); }

struct turn_driver::impl {
    boost::asio::io_context io{1};  // one thread runs it: the caller's
};

AGENTKIT_DECL turn_driver::turn_driver() : impl_(std::make_unique<impl>()) {}
AGENTKIT_DECL turn_driver::~turn_driver() = default;

AGENTKIT_DECL turn_result turn_driver::run(boost::asio::awaitable<turn_result> turn) {
    std::optional<turn_result> value;
    std::exception_ptr failure;
    boost::asio::co_spawn(impl_->io, std::move(turn), [&](std::exception_ptr e, turn_result r) {
        failure = e;
        if (!e) value.emplace(std::move(r));
    });
    impl_->io.restart();
    impl_->io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*value);
}

}  // namespace agentkit::detail
AGENTKIT_COROUTINES_END
