#pragma once
// How a blocking wait passes. A part that waits on the calling thread (a synchronous retry, the agent's
// run() between attempts, a scripted model's injected latency) takes a sleep hook: any callable
// void(std::chrono::nanoseconds). thread_sleeper really sleeps; a test passes one that advances a
// manual_clock or records the waits, so nothing sleeps. Coroutines wait without a thread through
// resilience/async_sleep.hpp's async_sleeper instead.
#include <chrono>
#include <concepts>
#include <functional>
#include <thread>

namespace agentkit {

template <class S>
concept sleeper = std::invocable<S&, std::chrono::nanoseconds>;

// Blocks the calling thread: for programs without an event loop.
struct thread_sleeper {
    void operator()(std::chrono::nanoseconds d) const { std::this_thread::sleep_for(d); }
};

// A sleep hook held in a config struct (type-erased, so the config stays one type).
using sleep_hook = std::function<void(std::chrono::nanoseconds)>;

static_assert(sleeper<thread_sleeper> && sleeper<sleep_hook>);

}  // namespace agentkit
