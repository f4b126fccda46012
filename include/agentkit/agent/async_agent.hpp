#pragma once
// async_run(agent, text, callbacks, offload[, sleeper]): the agent's turn (agent.hpp: the one coroutine that
// run() and agent::async_run also drive) with what blocks moved off the caller's executor: a synchronous
// model call (a provider without async_complete) and the tool executor's wait run on `offload`, a pool for
// blocking work, so the caller's executor keeps serving other coroutines meanwhile. An asynchronous model
// is awaited as agent::async_run awaits it. Retry waits go through `sleeper` (an Asio timer unless a test
// passes its own, see resilience/async_sleep.hpp); such a wait ends when the coroutine is cancelled and the
// turn then fails with errc::cancelled.
// Streaming callbacks (on_delta) of an offloaded model run on the offload thread, in order, while the
// coroutine waits; the other callbacks run on the coroutine's executor. One turn at a time per agent; the
// agent must outlive the coroutine.
//
//   boost::asio::thread_pool blocking(4);
//   auto turn = co_await agentkit::async_run(my_agent, "hello", callbacks, blocking.get_executor());
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/agent/agent.hpp>
#include <agentkit/resilience/async_sleep.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <string>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit {

namespace detail {
inline boost::asio::awaitable<void> run_job(std::function<void()> job) {
    job();
    co_return;
}
// Runs a job on `ex` and resumes the awaiting coroutine on its own executor (with the job's exception, if any).
// A plain coroutine, not a capturing lambda: g++ 12 destroys a coroutine lambda's init-captures twice.
struct executor_runner {
    boost::asio::any_io_executor ex;
    boost::asio::awaitable<void> operator()(std::function<void()> job) const {
        co_await boost::asio::co_spawn(ex, run_job(std::move(job)), boost::asio::use_awaitable);
    }
};

struct agent_access {
    template <class Agent, class Sleeper>
    static boost::asio::awaitable<turn_result> run(Agent& a, std::string user_text, agent_callbacks callbacks,
                                                   boost::asio::any_io_executor offload, Sleeper sleeper) {
        const blocking_runner runner = executor_runner{std::move(offload)};
        const sleep_fn wait = std::move(sleeper);
        co_return co_await a.turn(std::move(user_text), callbacks, wait, &runner);
    }
};
}  // namespace detail

template <class... Bindings, resilience::async_sleeper Sleeper = resilience::timer_sleeper>
requires agent<Bindings...>::has_model boost::asio::awaitable<turn_result> async_run(
    agent<Bindings...>& a, std::string user_text, agent_callbacks callbacks, boost::asio::any_io_executor offload,
    Sleeper sleeper = {}) {
    return detail::agent_access::run(a, std::move(user_text), std::move(callbacks), std::move(offload),
                                     std::move(sleeper));
}

}  // namespace agentkit
AGENTKIT_COROUTINES_END
