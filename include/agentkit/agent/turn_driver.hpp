#pragma once
// What the agent's turn coroutine runs on, compiled once in the separate mode (impl/turn_driver.ipp), so that
// a translation unit that builds an agent sees no io_context, co_spawn or timer:
//   turn_driver     run()'s engine: an io_context of the agent's own, run on the calling thread to the turn's end;
//   sleep_fn        how a turn waits between retries (an Asio timer, agent_config::sleep, a test's sleeper);
//   blocking_runner where a turn runs what blocks (a synchronous model, the tool executor's wait) when given one;
//   wait_to_retry, turn_cancelled   the turn's two waits on Asio's cancellation state.
// The two functions are type-erased so an agent type instantiates its turn once, whatever drives it.
#include <agentkit/agent/turn_result.hpp>
#include <agentkit/core/config_macros.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace agentkit::detail {

using sleep_fn = std::function<boost::asio::awaitable<bool>(std::chrono::nanoseconds)>;
// Runs the job elsewhere and resumes the turn with its exception, if any (agent/async_agent.hpp makes one
// from an executor).
using blocking_runner = std::function<boost::asio::awaitable<void>(std::function<void()>)>;

// Waits `d` through `sleeper`; false when the turn was cancelled meanwhile (as an error code or an exception).
AGENTKIT_DECL boost::asio::awaitable<bool> wait_to_retry(const sleep_fn& sleeper, std::chrono::nanoseconds d);
// True when the running coroutine has been asked to stop.
AGENTKIT_DECL boost::asio::awaitable<bool> turn_cancelled();

class turn_driver {
public:
    AGENTKIT_DECL turn_driver();
    AGENTKIT_DECL ~turn_driver();
    turn_driver(const turn_driver&) = delete;
    turn_driver& operator=(const turn_driver&) = delete;

    // Runs `turn` to its end on the calling thread; returns its result or rethrows its exception.
    AGENTKIT_DECL turn_result run(boost::asio::awaitable<turn_result> turn);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace agentkit::detail

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/agent/impl/turn_driver.ipp>
#endif
