#pragma once
// What only an agent with a model carries beside its slots: the loop's settings, tool executor, usage,
// metric series and the io_context run() drives turns on.
#include <agentkit/agent/turn_driver.hpp>
#include <agentkit/agent/turn_result.hpp>
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/sleep.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/log_linear_histogram.hpp>
#include <agentkit/tools/executor.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::detail {
namespace asio = boost::asio;

// run()'s way of waiting between retries: agent_config::sleep, on the calling thread.
struct blocking_sleeper {
    const sleep_hook* sleep;
    asio::awaitable<bool> operator()(std::chrono::nanoseconds d) const {
        (*sleep)(d);
        co_return true;
    }
};

// The agent's own series (use_metrics).
struct agent_series {
    observe::counter* answered;
    observe::counter* max_iterations;
    observe::counter* failed;
    observe::counter* model_calls;
    observe::counter* cache_hits;
    observe::counter* retries;
    observe::counter* tool_calls;
    observe::latency_histogram* turn_duration;
};

// What only an agent with a model carries: its loop settings, executor, usage, metrics and the io_context
// run() drives turns on (made on first use).
struct loop_state {
    agent_config cfg;
    tools::executor exec;
    model::usage lifetime_tokens;
    std::unique_ptr<agent_series> metrics;
    std::unique_ptr<turn_driver> driver;
    explicit loop_state(agent_config c) : cfg(std::move(c)), exec(cfg.executor) {}
    loop_state() : loop_state(agent_config{}) {}
};

struct agent_access;  // agent/async_agent.hpp's async_run(agent, ..., offload, sleeper)

}  // namespace agentkit::detail
AGENTKIT_COROUTINES_END
