#pragma once
// agent<Bindings...>: an agent type assembled from compile-time policies, one per slot, in any order:
//
//   using my_agent = agentkit::agent<agentkit::with_model<agentkit::model::scripted_provider>,
//                                    agentkit::with_tools<agentkit::tools::registry>,
//                                    agentkit::with_tokens<agentkit::text::chars_per_token<4>>>;
//
// Unnamed slots take agentkit::defaults. A slot bound to `none` has no storage (an empty
// [[no_unique_address]] member) and its accessor does not exist, so code that would use it does not compile.
//
// With a model, run(user_text) runs the ReAct loop: ask the model; if it calls tools, run them (in parallel
// when independent) and feed the results back; stop when the model answers without calling a tool or after
// max_iterations model calls. Retryable model failures are retried with the retry slot's backoff (or the
// server's Retry-After); compaction runs before each model call; storage receives every new message.
#include <agentkit/agent/slots.hpp>
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/policy_set.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/tools/executor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentkit {

// Knobs of the loop (seeds: Assistant Worker's ReAct maxIterations, Flynn's retry maxAttempts).
struct agent_config {
    std::uint32_t max_iterations = 5;     // model calls per user turn
    std::uint32_t max_attempts = 3;       // per model call, when the retry slot holds a backoff policy
    std::uint64_t max_retry_delay_ms = 30000;  // caps Retry-After and backoff alike (maxDelayMs)
    std::size_t context_window = 128000;  // tokens; what compaction budgets against
    std::string session = "default";      // the storage key
    std::string model;                    // passed in each request; empty = the provider's default
    std::uint64_t seed = 0x5eed;          // jitter of the backoff
    tools::executor::config executor{};
    // How a retry waits; tests replace it (a manual clock's advance) so that nothing sleeps.
    std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); };
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
    std::string reply;            // the last assistant text of the turn
    stop_reason reason = stop_reason::answered;
    std::uint32_t iterations = 0;  // model calls made
    std::uint32_t tool_calls = 0;
    std::uint32_t retries = 0;
    model::usage tokens;           // summed over the turn's model calls
};

namespace detail {
template <class Slot>
struct empty_slot {};

template <class P>
struct cache_member {
    using type = empty_slot<slot::cache>;
};
template <cache::cache_policy P>
struct cache_member<P> {
    using type = typename P::template cache_type<std::string, std::string>;
};
template <class Slot, class P, bool Fits>
struct member_if {
    using type = empty_slot<Slot>;
};
template <class Slot, class P>
struct member_if<Slot, P, true> {
    using type = P;
};
template <class T>
inline constexpr bool is_empty_slot_v = false;
template <class Slot>
inline constexpr bool is_empty_slot_v<empty_slot<Slot>> = true;

// What only an agent with a model carries: its loop settings, executor, usage and random source.
struct loop_state {
    agent_config cfg;
    tools::executor exec;
    model::usage lifetime_tokens;
    std::mt19937_64 random;
    explicit loop_state(agent_config c) : cfg(std::move(c)), exec(cfg.executor), random(cfg.seed) {}
    loop_state() : loop_state(agent_config{}) {}
};
}  // namespace detail

template <class... Bindings>
class agent {
    using policies = policy_set<Bindings...>;

public:
    using tokens_policy = typename policies::template get<slot::tokens, defaults::tokens>;
    using cache_policy = typename policies::template get<slot::cache, defaults::cache>;
    using retry_policy = typename policies::template get<slot::retry, defaults::retry>;
    using compaction_policy = typename policies::template get<slot::compaction, defaults::compaction>;
    using storage_policy = typename policies::template get<slot::storage, defaults::storage>;
    using transport_policy = typename policies::template get<slot::transport, defaults::transport>;
    using model_policy = typename policies::template get<slot::model, defaults::model>;
    using tools_policy = typename policies::template get<slot::tools, defaults::tools>;

    using token_counter_type = typename detail::member_if<slot::tokens, tokens_policy, text::token_counter<tokens_policy>>::type;
    using cache_type = typename detail::cache_member<cache_policy>::type;
    using backoff_type = typename detail::member_if<slot::retry, retry_policy, resilience::backoff_policy<retry_policy>>::type;
    using compaction_type = typename detail::member_if<slot::compaction, compaction_policy, memory::compaction_policy<compaction_policy>>::type;
    using storage_type = typename detail::member_if<slot::storage, storage_policy, storage::backend<storage_policy>>::type;
    using transport_type = typename detail::member_if<slot::transport, transport_policy, transport::transport<transport_policy>>::type;
    using model_type = typename detail::member_if<slot::model, model_policy, model::provider<model_policy>>::type;
    using toolbox_type = typename detail::member_if<slot::tools, tools_policy, tools::toolbox<tools_policy>>::type;

    static constexpr bool has_tokens = !detail::is_empty_slot_v<token_counter_type>;
    static constexpr bool has_cache = !detail::is_empty_slot_v<cache_type>;
    static constexpr bool has_retry = !detail::is_empty_slot_v<backoff_type>;
    static constexpr bool has_compaction = !detail::is_empty_slot_v<compaction_type>;
    static constexpr bool has_storage = !detail::is_empty_slot_v<storage_type>;
    static constexpr bool has_transport = !detail::is_empty_slot_v<transport_type>;
    static constexpr bool has_model = !detail::is_empty_slot_v<model_type>;
    static constexpr bool has_tools = !detail::is_empty_slot_v<toolbox_type>;

private:
    using loop_type = std::conditional_t<has_model, detail::loop_state, detail::empty_slot<detail::loop_state>>;

public:
    agent() = default;
    explicit agent(model_type m, agent_config cfg = {}) requires has_model && (!has_tools)
        : model_(std::move(m)), loop_(std::move(cfg)) {}
    agent(model_type m, toolbox_type t, agent_config cfg = {}) requires has_model && has_tools
        : model_(std::move(m)), tools_(std::move(t)), loop_(std::move(cfg)) {}

    // Accessors exist only for slots that hold a policy.
    const token_counter_type& tokens() const noexcept requires has_tokens { return tokens_; }
    cache_type& cache() noexcept requires has_cache { return cache_; }
    const backoff_type& backoff() const noexcept requires has_retry { return backoff_; }
    compaction_type& compaction() noexcept requires has_compaction { return compaction_; }
    storage_type& storage() noexcept requires has_storage { return storage_; }
    transport_type& transport() noexcept requires has_transport { return transport_; }
    model_type& model() noexcept requires has_model { return model_; }
    toolbox_type& toolbox() noexcept requires has_tools { return tools_; }
    const agent_config& config() const noexcept requires has_model { return loop_.cfg; }
    // Usage summed over every model call this agent made.
    const model::usage& lifetime_usage() const noexcept requires has_model { return loop_.lifetime_tokens; }
    const tools::executor& executor() const noexcept requires has_model { return loop_.exec; }

    conversation& history() noexcept { return history_; }
    const conversation& history() const noexcept { return history_; }

    // Tokens of the whole history under the agent's counter (cached per message).
    std::size_t history_tokens() const requires has_tokens { return history_.token_count(tokens_); }

    // Adds (or replaces) the leading system prompt.
    void set_system_prompt(std::string text) {
        if (history_.system_prompt())
            history_.replace(0, 1, {message::system(std::move(text))});
        else
            history_.replace(0, 0, {message::system(std::move(text))});
    }

    // One user turn of the ReAct loop. Throws the model's error when it is not retryable or retries run out;
    // tool failures never throw (they become tool messages).
    turn_result run(std::string user_text, const agent_callbacks& callbacks = {}) requires has_model {
        turn_result result;
        record(message::user(std::move(user_text)));
        const auto& cfg = loop_.cfg;
        if (cfg.max_iterations == 0) throw_invalid_field("agent.max_iterations", "must be at least 1");
        while (result.iterations < cfg.max_iterations) {
            if constexpr (has_compaction) compaction_.maybe_compact(history_, cfg.context_window);
            model::chat_response response = call_model(callbacks, result);
            ++result.iterations;
            result.tokens += response.tokens;
            loop_.lifetime_tokens += response.tokens;
            const bool calls_tools = !response.reply.tool_calls().empty();
            result.reply = response.reply.content();
            record(std::move(response.reply));
            if (!calls_tools) return result;  // early termination: the model answered
            run_tools(callbacks, result);
        }
        result.reason = stop_reason::max_iterations;
        return result;
    }

private:
    void record(message m) {
        auto& stored = history_.append(std::move(m));
        if constexpr (has_storage) storage_.append(loop_.cfg.session, stored);
    }

    model::chat_request make_request() const {
        model::chat_request request;
        request.model = loop_.cfg.model;
        request.messages.assign(history_.begin(), history_.end());
        if constexpr (has_tools) request.tools = tools_.specs();
        return request;
    }

    model::chat_response call_model(const agent_callbacks& callbacks, turn_result& result) {
        const model::chat_request request = make_request();
        std::chrono::nanoseconds previous{0};
        for (std::uint32_t attempt = 1;; ++attempt) {
            try {
                if constexpr (model::streaming_provider<model_type>) {
                    if (callbacks.on_delta) return model_.stream(request, callbacks.on_delta);
                }
                return model_.complete(request);
            } catch (const model::provider_error& e) {
                if constexpr (!has_retry) {
                    throw;
                } else {
                    if (!e.retryable() || attempt >= loop_.cfg.max_attempts) throw;
                    std::chrono::nanoseconds wait = backoff_.delay(attempt, previous, loop_.random);
                    if (auto after = e.retry_after()) wait = std::max<std::chrono::nanoseconds>(wait, *after);
                    wait = std::min<std::chrono::nanoseconds>(wait, std::chrono::milliseconds(loop_.cfg.max_retry_delay_ms));
                    previous = wait;
                    ++result.retries;
                    if (callbacks.on_retry) callbacks.on_retry(e, attempt);
                    loop_.cfg.sleep(wait);
                }
            }
        }
    }

    void run_tools(const agent_callbacks& callbacks, turn_result& result) {
        const auto calls = history_[history_.size() - 1].tool_calls();  // a copy: history grows below
        result.tool_calls += static_cast<std::uint32_t>(calls.size());
        if (callbacks.on_tool_call)
            for (const auto& c : calls) callbacks.on_tool_call(c);
        if constexpr (has_tools) {
            for (auto& outcome : loop_.exec.run(tools_, calls)) {
                if (callbacks.on_tool_result) callbacks.on_tool_result(outcome);
                record(outcome.to_message());
            }
        } else {
            for (const auto& c : calls) {  // the model called a tool the agent does not have
                tools::tool_outcome o{c.id, c.name, "error: this agent has no tools; '" + c.name + "' is unavailable",
                                      tools::outcome_status::unknown_tool};
                if (callbacks.on_tool_result) callbacks.on_tool_result(o);
                record(o.to_message());
            }
        }
    }

    conversation history_;
    [[no_unique_address]] token_counter_type tokens_{};
    [[no_unique_address]] cache_type cache_{};
    [[no_unique_address]] backoff_type backoff_{};
    [[no_unique_address]] compaction_type compaction_{};
    [[no_unique_address]] storage_type storage_{};
    [[no_unique_address]] transport_type transport_{};
    [[no_unique_address]] model_type model_{};
    [[no_unique_address]] toolbox_type tools_{};
    [[no_unique_address]] loop_type loop_{};
};

}  // namespace agentkit
