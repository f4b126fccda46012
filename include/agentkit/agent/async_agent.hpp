#pragma once
// async_run: one user turn of agent<...>'s ReAct loop as a C++20 coroutine on Boost.Asio, beside the
// synchronous agent::run(). Same steps in the same order (compaction, cache, model call with retries,
// tools in parallel, storage), same turn_result; what differs is that no thread of the caller's executor
// ever blocks:
//   - a model with its own coroutine API (async_complete / async_stream, see async_provider) is awaited
//     directly; a synchronous one (the http transport, a router) runs on the `offload` executor (e.g. an
//     asio::thread_pool) while the coroutine is suspended;
//   - the independent tool calls of one model turn run on the tool executor's workers, awaited the same way;
//   - a retry waits on an Asio timer (resilience::timer_sleeper; a test passes its own sleeper), and that
//     wait ends when the coroutine is cancelled (a cancellation slot bound to co_spawn): the turn then fails
//     with errc::cancelled.
// Streaming callbacks (on_delta) of an offloaded model run on the offload thread, in order, while the
// coroutine waits; the other callbacks run on the coroutine's executor. One turn at a time per agent; the
// agent must outlive the coroutine.
//
//   boost::asio::thread_pool blocking(4);
//   auto turn = co_await agentkit::async_run(my_agent, "hello", callbacks, blocking.get_executor());
#include <agentkit/agent/agent.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/async_sleep.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <concepts>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentkit {

// A provider with its own coroutine API: async_run awaits it instead of offloading a blocking call.
template <class P>
concept async_provider = requires(P& p, const model::chat_request& r, const model::delta_callback& on_delta) {
    { p.async_complete(r) } -> std::same_as<boost::asio::awaitable<model::chat_response>>;
    { p.async_stream(r, on_delta) } -> std::same_as<boost::asio::awaitable<model::chat_response>>;
};

namespace detail {

// Runs f() on `ex` and resumes the awaiting coroutine on its own executor with the result (or exception).
template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> offload(boost::asio::any_io_executor ex, F f) {
    using R = std::invoke_result_t<F&>;
    co_return co_await boost::asio::co_spawn(
        ex, [f = std::move(f)]() mutable -> boost::asio::awaitable<R> { co_return f(); }, boost::asio::use_awaitable);
}

struct agent_access {
    template <class Agent, class Sleeper>
    static boost::asio::awaitable<model::chat_response> call_model(Agent& a, const model::chat_request& request,
                                                                   const agent_callbacks& callbacks, turn_result& result,
                                                                   boost::asio::any_io_executor ex, Sleeper& sleeper) {
        std::chrono::nanoseconds previous{0};
        for (std::uint32_t attempt = 1;; ++attempt) {
            std::optional<std::chrono::nanoseconds> wait;
            try {
                if constexpr (async_provider<typename Agent::model_type>) {
                    if (callbacks.on_delta) co_return co_await a.model_.async_stream(request, callbacks.on_delta);
                    co_return co_await a.model_.async_complete(request);
                } else {
                    co_return co_await offload(ex, [&a, &request, &callbacks] { return a.call_model_once(request, callbacks); });
                }
            } catch (const model::provider_error& e) {
                wait = a.retry_wait(e, attempt, previous, callbacks, result);
                if (!wait) throw;
            }
            if (!co_await resilience::detail::sleep_or_cancel(sleeper, *wait))
                throw model::provider_error(errc::cancelled, "the turn was cancelled while waiting to retry the model", 0, false,
                                            std::nullopt, "agent");
        }
    }

    template <class Agent, class Sleeper>
    static boost::asio::awaitable<turn_result> run(Agent& a, std::string user_text, agent_callbacks callbacks,
                                                   boost::asio::any_io_executor ex, Sleeper sleeper) {
        turn_result result;
        a.begin_turn(std::move(user_text));
        while (result.iterations < a.loop_.cfg.max_iterations) {
            if (co_await resilience::detail::cancelled())
                throw error(errc::cancelled, "the turn was cancelled", "agent");
            const model::chat_request request = a.prepare_call();
            model::chat_response response;
            if (auto hit = a.cached(request, callbacks)) {
                response = std::move(*hit);
                ++result.cache_hits;
            } else {
                response = co_await call_model(a, request, callbacks, result, ex, sleeper);
                a.remember(request, response);
            }
            if (!a.finish_call(std::move(response), result)) co_return result;  // the model answered
            const std::vector<tool_call> calls = a.pending_calls(callbacks, result);
            auto outcomes = co_await offload(ex, [&a, &calls] { return a.execute_tools(calls); });
            a.record_outcomes(std::move(outcomes), callbacks);
        }
        result.reason = stop_reason::max_iterations;
        co_return result;
    }
};

}  // namespace detail

// One user turn, asynchronously. `offload` runs what blocks (a synchronous model call, the tool executor's
// wait); `sleeper` waits between retries (an Asio timer unless a test passes its own).
template <class... Bindings, resilience::async_sleeper Sleeper = resilience::timer_sleeper>
    requires agent<Bindings...>::has_model
boost::asio::awaitable<turn_result> async_run(agent<Bindings...>& a, std::string user_text, agent_callbacks callbacks,
                                              boost::asio::any_io_executor offload, Sleeper sleeper = {}) {
    return detail::agent_access::run(a, std::move(user_text), std::move(callbacks), std::move(offload), std::move(sleeper));
}

}  // namespace agentkit
