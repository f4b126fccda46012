#pragma once
// What one user turn reports (turn_result), what a caller may watch during it (agent_callbacks), and the
// loop's settings (agent_config).
#include <agentkit/core/message.hpp>
#include <agentkit/core/sleep.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/tools/executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace agentkit {

// Knobs of the loop (seeds: Assistant Worker's ReAct maxIterations). Retries are the retry slot's
// (resilience::retry_config: maxAttempts, maxDelayMs, Retry-After), not knobs of the loop.
struct agent_config {
    std::uint32_t max_iterations = 5;     // model calls per user turn
    std::size_t context_window = 128000;  // tokens; what compaction budgets against
    std::string session = "default";      // the storage key
    // With a storage slot: how many of the session's latest stored messages the agent starts from when it is
    // constructed (a second agent on the same database resumes the conversation); the window starts at a
    // user message, so no tool result is read without its call. 0: start empty.
    std::size_t resume_messages = 1000;
    std::string model{};  // passed in each request; empty = the provider's default
    tools::executor::config executor{};
    // How run() waits between retries (async_run waits on an Asio timer instead); tests replace it (a
    // manual clock's advance) so that nothing sleeps.
    sleep_hook sleep = thread_sleeper{};
};

// What a caller may watch during a turn. All optional; on_delta turns streaming on when the model streams.
struct agent_callbacks {
    std::function<void(const model::chat_delta&)> on_delta;
    std::function<void(const tool_call&)> on_tool_call;
    std::function<void(const tools::tool_outcome&)> on_tool_result;
    std::function<void(const model::provider_error&, std::uint32_t attempt)> on_retry;
};

enum class stop_reason { answered, max_iterations };

struct turn_result {
    std::string reply;  // the last assistant text of the turn
    stop_reason reason = stop_reason::answered;
    std::uint32_t iterations = 0;  // model calls made
    std::uint32_t tool_calls = 0;
    std::uint32_t retries = 0;
    std::uint32_t cache_hits = 0;  // model calls answered by the cache slot (no tokens spent)
    model::usage tokens;           // summed over the turn's model calls
};

}  // namespace agentkit
