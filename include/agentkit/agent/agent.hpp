#pragma once
// agent<Bindings...>: an agent type assembled from compile-time policies, one per slot, in any order, each
// slot configured at construction by value (slots.hpp: use_model, use_storage, use_compaction, ...):
//
//   using my_agent = agentkit::agent<agentkit::with_model<model::router>,
//                                    agentkit::with_storage<storage::sqlite>,
//                                    agentkit::with_compaction<memory::summary_buffer>>;
//   my_agent a{use_model(model::router{rc}), use_storage(storage::sqlite_config{.path = "agent.db"}),
//              use_compaction(memory::compaction_config{.threshold_pct = 60}), use_config({.session = "alice"})};
//
// Unnamed slots take agentkit::defaults. A slot bound to `none` has no storage (an empty
// [[no_unique_address]] member) and its accessor does not exist, so code that would use it does not compile.
//
// With a model, a user turn runs the ReAct loop: compaction; the hooks' before_model; the cache slot's
// answer to an identical request, or the model call (retried under the retry slot's policy); the hooks'
// after_model; storage of each new message; if the model called tools, run them (in parallel when
// independent, each through the hooks' around_tool) and feed the results back; stop when the model answers
// without calling a tool or after max_iterations model calls.
//
// The turn is written once, as a C++20 coroutine on Boost.Asio:
//   co_await a.async_run(text, callbacks)   on the caller's executor: an asynchronous model (async_complete /
//                                           async_stream: the HTTP providers, the router) is awaited and a
//                                           retry waits on an Asio timer, so a waiting turn holds no thread;
//   a.run(text, callbacks)                  drives that same coroutine to its end on a private io_context,
//                                           the retry waits through agent_config::sleep.
// A synchronous model (complete / stream only, e.g. scripted_provider) is called inline by either; the tool
// executor waits for its workers inline too. agent/async_agent.hpp's async_run(agent, ..., offload) moves
// both to an executor of blocking work instead.
// With use_metrics(registry), the agent counts its turns, model calls, tool calls, retries and cache hits and
// hands the registry to every part that reports metrics (attach_metrics); without it nothing is counted.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/agent/detail/loop_state.hpp>
#include <agentkit/agent/detail/slot_members.hpp>
#include <agentkit/agent/hooks.hpp>
#include <agentkit/agent/response_codec.hpp>
#include <agentkit/agent/slots.hpp>
#include <agentkit/agent/task_summarizer.hpp>
#include <agentkit/agent/turn_driver.hpp>
#include <agentkit/agent/turn_result.hpp>
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/policy_set.hpp>
#include <agentkit/memory/summarizer.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/log_linear_histogram.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>
#include <agentkit/resilience/async_sleep.hpp>
#include <agentkit/resilience/retry.hpp>
#include <agentkit/tools/executor.hpp>

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit {

// The loop's settings as a constructor argument of agent<...>, beside the slot values (slots.hpp).
inline slot_value<slot::config, agent_config> use_config(agent_config c) { return {std::move(c)}; }

// The registry the agent and its parts report to (it must outlive the agent), and the `agent` label of
// the agent's own series.
struct metrics_binding {
    observe::metric_registry* registry;
    std::string name;
};
inline slot_value<slot::metrics, metrics_binding> use_metrics(observe::metric_registry& registry,
                                                              std::string name = "agent") {
    return {{&registry, std::move(name)}};
}

template <class... Bindings>
class agent {
    using policies = policy_set<Bindings...>;
    friend struct detail::agent_access;

public:
    using config = agent_config;  // the loop's knobs (max_iterations, session, ...); configuration() returns them
    using tokens_policy = typename policies::template get<slot::tokens, defaults::tokens>;
    using cache_policy = typename policies::template get<slot::cache, defaults::cache>;
    using retry_policy = typename policies::template get<slot::retry, defaults::retry>;
    using compaction_policy = typename policies::template get<slot::compaction, defaults::compaction>;
    using storage_policy = typename policies::template get<slot::storage, defaults::storage>;
    using model_policy = typename policies::template get<slot::model, defaults::model>;
    using tools_policy = typename policies::template get<slot::tools, defaults::tools>;
    using hooks_policy = typename policies::template get<slot::hooks, defaults::hooks>;

    using token_counter_type =
        typename detail::member_if<slot::tokens, tokens_policy, text::token_counter<tokens_policy>>::type;
    using cache_type = typename detail::cache_member<cache_policy>::type;
    using retry_type = typename detail::retry_member<retry_policy>::type;
    using compaction_type = typename detail::member_if<slot::compaction, compaction_policy,
                                                       memory::compaction_policy<compaction_policy>>::type;
    using storage_type =
        typename detail::member_if<slot::storage, storage_policy, storage::backend<storage_policy>>::type;
    using model_type = typename detail::member_if<slot::model, model_policy, model::provider<model_policy>>::type;
    using toolbox_type = typename detail::member_if<slot::tools, tools_policy, tools::toolbox<tools_policy>>::type;
    using hooks_type = typename detail::member_if<slot::hooks, hooks_policy, !is_none_v<hooks_policy>>::type;

    static constexpr bool has_tokens = !detail::is_empty_slot_v<token_counter_type>;
    static constexpr bool has_cache = !detail::is_empty_slot_v<cache_type>;
    static constexpr bool has_retry = !detail::is_empty_slot_v<retry_type>;
    static constexpr bool has_compaction = !detail::is_empty_slot_v<compaction_type>;
    static constexpr bool has_storage = !detail::is_empty_slot_v<storage_type>;
    static constexpr bool has_model = !detail::is_empty_slot_v<model_type>;
    static constexpr bool has_tools = !detail::is_empty_slot_v<toolbox_type>;
    static constexpr bool has_hooks = !detail::is_empty_slot_v<hooks_type>;
    static constexpr bool hooks_requests = requires { requires hooks_type::wraps_requests; };
    static constexpr bool hooks_responses = requires { requires hooks_type::wraps_responses; };
    static constexpr bool hooks_tools = requires { requires hooks_type::wraps_tools; };
    // Compaction whose summary is written by the model (a router's compaction task, bound by bind_summarizer).
    static constexpr bool compaction_calls_model =
        has_compaction && has_model && detail::summarizer_bound_compaction<compaction_type> && task_model<model_type>;
    // The loop answers repeated requests from the cache slot when its cache speaks get/put of strings
    // (every cache policy of the cache layer, response_caching<> included).
    static constexpr bool caches_responses = has_cache &&
        (
                                                 requires(cache_type & c, std::string k) {
                                                     { c.get(k) } -> std::convertible_to<std::optional<std::string>>;
                                                     c.put(k, std::move(k));
                                                 } ||
                                                 requires(cache_type & c, std::string k) {
                                                     {
                                                         c.get(std::string_view{}, std::string_view{})
                                                         } -> std::convertible_to<std::optional<std::string>>;
                                                     c.put(std::string_view{}, std::string_view{}, std::move(k));
                                                 });
    // A cache the loop cannot answer from would sit in the slot unused: with a model, that is an error unless
    // the policy says it is meant as a plain store (static constexpr bool plain_store = true).
    static constexpr bool plain_store_cache = requires { requires cache_policy::plain_store; };
    static_assert(!has_model || !has_cache || caches_responses || plain_store_cache,
                  "agentkit::with_cache<P>: the loop cannot answer model calls from P's cache (it needs get(key) -> "
                  "std::optional<std::string> and put(key, value)); use a cache of the cache layer "
                  "(with_cache<cache::lru>, response_caching<>), or mark P as a plain store that the loop leaves alone "
                  "(static constexpr bool plain_store = true)");
    static_assert(!has_retry || !detail::self_retrying_model<model_type>,
                  "agentkit::with_retry<P>: the model slot's policy retries by itself (model::router retries every "
                  "provider under router::config::retry), so an agent-level retry would repeat each routed call's "
                  "retries and multiply the attempts; configure router::config::retry and drop with_retry");

private:
    using loop_type = std::conditional_t<has_model, detail::loop_state, detail::empty_slot<detail::loop_state>>;
    // What the agent holds in a slot (for the checks of the configured constructor).
    template <class Slot>
    using member_of = std::conditional_t<
        std::is_same_v<Slot, slot::tokens>, token_counter_type,
        std::conditional_t<
            std::is_same_v<Slot, slot::cache>, cache_type,
            std::conditional_t<
                std::is_same_v<Slot, slot::retry>, retry_type,
                std::conditional_t<
                    std::is_same_v<Slot, slot::compaction>, compaction_type,
                    std::conditional_t<
                        std::is_same_v<Slot, slot::storage>, storage_type,
                        std::conditional_t<std::is_same_v<Slot, slot::hooks>, hooks_type,
                                           std::conditional_t<std::is_same_v<Slot, slot::model>, model_type,
                                                              std::conditional_t<std::is_same_v<Slot, slot::tools>,
                                                                                 toolbox_type, loop_type>>>>>>>>;
    template <class Value, class... All>
    using value_check =
        detail::slot_value_check<typename Value::slot, member_of<typename Value::slot>, typename Value::value_type&&,
                                 (std::size_t{std::is_same_v<typename All::slot, typename Value::slot>} + ...)>;

public:
    agent() { bind_summarizer(); }
    explicit agent(model_type m, agent_config cfg = {}) requires has_model &&(!has_tools)
        : model_(std::move(m)), loop_(std::move(cfg)) {
        bind_summarizer();
        open_session();
    }
    agent(model_type m, toolbox_type t, agent_config cfg = {}) requires has_model && has_tools : model_(std::move(m)),
                                                                                                 tools_(std::move(t)),
                                                                                                 loop_(std::move(cfg)) {
        bind_summarizer();
        open_session();
    }
    // Configured slots, in any order: use_model(...), use_tools(...), use_storage(...), use_compaction(...),
    // use_cache(...), use_tokens(...), use_retry(...), use_hooks(...), use_config(...), use_metrics(...).
    template <class... Values>
    requires(sizeof...(Values) > 0 && (is_slot_value_v<Values> && ...)) explicit agent(Values... values)
        : tokens_(detail::slot_init<slot::tokens, detail::slot_member_t<token_counter_type>>(values...)),
          cache_(detail::slot_init<slot::cache, detail::slot_member_t<cache_type>>(values...)),
          retry_(detail::slot_init<slot::retry, detail::slot_member_t<retry_type>>(values...)),
          compaction_(detail::slot_init<slot::compaction, detail::slot_member_t<compaction_type>>(values...)),
          storage_(detail::slot_init<slot::storage, detail::slot_member_t<storage_type>>(values...)),
          model_(detail::slot_init<slot::model, detail::slot_member_t<model_type>>(values...)),
          tools_(detail::slot_init<slot::tools, detail::slot_member_t<toolbox_type>>(values...)),
          hooks_(detail::slot_init<slot::hooks, detail::slot_member_t<hooks_type>>(values...)),
          loop_(detail::slot_init<slot::config, detail::slot_member_t<loop_type>>(values...)) {
        (static_cast<void>(sizeof(value_check<Values, Values...>)), ...);  // one static_assert per misuse
        bind_summarizer();
        (attach_given_metrics(values), ...);
        open_session();
    }

    // Accessors exist only for slots that hold a policy.
    const token_counter_type& tokens() const noexcept requires has_tokens { return tokens_; }
    cache_type& cache() noexcept requires has_cache { return cache_; }
    retry_type& retry() noexcept requires has_retry { return retry_; }
    compaction_type& compaction() noexcept requires has_compaction { return compaction_; }
    storage_type& storage() noexcept requires has_storage { return storage_; }
    model_type& model() noexcept requires has_model { return model_; }
    toolbox_type& toolbox() noexcept requires has_tools { return tools_; }
    hooks_type& hooks() noexcept requires has_hooks { return hooks_; }
    const agent_config& configuration() const noexcept requires has_model { return loop_.cfg; }
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

    // Registers the agent's series (agentkit_agent_turns_total{agent,outcome}, _model_calls_total,
    // _cache_hits_total, _retries_total, _tool_calls_total, _turn_duration_seconds) and hands the registry to
    // every part that reports metrics. The registry must outlive the agent. use_metrics(...) does this at
    // construction.
    template <observe::registry Registry>
    void attach_metrics(Registry& registry, std::string_view name = "agent") {
        const std::string agent_name(name);
        if constexpr (has_model) {
            auto& turns = registry.find_or_add_counter("agentkit_agent_turns_total", "User turns by how they ended",
                                                       {"agent", "outcome"});
            auto counter = [&](const char* metric, const char* help) -> observe::counter* {
                return &registry.find_or_add_counter(metric, help, {"agent"}).with({agent_name});
            };
            loop_.metrics = std::make_unique<detail::agent_series>(detail::agent_series{
                &turns.with({agent_name, "answered"}), &turns.with({agent_name, "max_iterations"}),
                &turns.with({agent_name, "error"}),
                counter("agentkit_agent_model_calls_total", "Model calls made by turns (cache hits excluded)"),
                counter("agentkit_agent_cache_hits_total", "Model calls answered by the cache slot"),
                counter("agentkit_agent_retries_total", "Waits before another attempt of a model call"),
                counter("agentkit_agent_tool_calls_total", "Tool calls the model made"),
                &registry
                     .find_or_add_histogram("agentkit_agent_turn_duration_seconds", "Wall time of a user turn",
                                            {"agent"})
                     .with({agent_name})});
        }
        attach_part(cache_, registry);
        attach_part(compaction_, registry);
        attach_part(storage_, registry);
        attach_part(model_, registry);
        attach_part(tools_, registry);
    }

    // One user turn of the ReAct loop, to its end, on the calling thread: the coroutine of async_run driven
    // on the agent's own io_context. Throws the model's error when it is not retryable or retries run out;
    // tool failures never throw (they become tool messages).
    turn_result run(std::string user_text, const agent_callbacks& callbacks = {}) requires has_model {
        const detail::sleep_fn sleeper = detail::blocking_sleeper{&loop_.cfg.sleep};
        return drive(turn(std::move(user_text), callbacks, sleeper, nullptr));
    }

    // The same turn as a coroutine on the awaiting coroutine's executor. A retry waits on an Asio timer and
    // ends early (errc::cancelled) when the coroutine is cancelled; cancellation is also checked before each
    // model call. One turn at a time per agent; the agent must outlive the coroutine.
    boost::asio::awaitable<turn_result> async_run(std::string user_text,
                                                  agent_callbacks callbacks = {}) requires has_model {
        const detail::sleep_fn sleeper = resilience::timer_sleeper{};
        co_return co_await turn(std::move(user_text), callbacks, sleeper, nullptr);
    }

private:
    template <class Part>
    static void attach_part(Part& part, observe::metric_registry& registry) {
        if constexpr (requires { part.attach_metrics(registry); }) part.attach_metrics(registry);
    }
    template <class Value>
    void attach_given_metrics(Value& v) {
        if constexpr (std::is_same_v<typename Value::slot, slot::metrics>)
            attach_metrics(*v.value.registry, v.value.name);
    }

    // Binds a summariser to a compaction policy that takes one, keeping the configuration it was given.
    void bind_summarizer() {
        if constexpr (has_compaction && detail::summarizer_bound_compaction<compaction_type>) {
            typename compaction_type::config cfg{};
            if constexpr (requires { compaction_.configuration(); }) cfg = compaction_.configuration();
            if constexpr (has_model && task_model<model_type>)
                compaction_ = compaction_type(std::move(cfg), task_summarizer(model_));
            else
                compaction_ = compaction_type(std::move(cfg), memory::extractive_summarizer<>{});
        }
    }

    // With storage: the session exists in it, and the agent starts from its latest messages (resume_messages).
    void open_session() {
        if constexpr (has_storage && has_model) {
            const std::string& session = loop_.cfg.session;
            if constexpr (requires { storage_.create_session(std::string_view{}); }) storage_.create_session(session);
            if (loop_.cfg.resume_messages == 0) return;
            auto earlier = storage_.last(session, loop_.cfg.resume_messages);
            auto first =
                std::find_if(earlier.begin(), earlier.end(), [](const message& m) { return m.role() == role::user; });
            for (auto it = first; it != earlier.end(); ++it) history_.append(std::move(*it));
        }
    }

    // Runs a turn to its end on the agent's io_context (made on the first run()).
    turn_result drive(boost::asio::awaitable<turn_result> turn) {
        if (!loop_.driver) loop_.driver = std::make_unique<detail::turn_driver>();
        return loop_.driver->run(std::move(turn));
    }

    // THE turn. `offload`, when not null, runs what blocks (a synchronous model call, the tool executor's wait).
    boost::asio::awaitable<turn_result> turn(std::string user_text, const agent_callbacks& callbacks,
                                             const detail::sleep_fn& sleeper, const detail::blocking_runner* offload) {
        detail::agent_series* m = loop_.metrics.get();
        const auto started = m ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        turn_result result;
        try {
            begin_turn(std::move(user_text));
            while (result.iterations < loop_.cfg.max_iterations) {
                if (co_await detail::turn_cancelled()) throw error(errc::cancelled, "the turn was cancelled", "agent");
                if constexpr (compaction_calls_model) {
                    // Its summary is a synchronous call of the model's compaction task: on `offload` when given.
                    if (offload) {
                        std::function<void()> job = [this] { compact(); };
                        co_await (*offload)(std::move(job));
                    } else {
                        compact();
                    }
                } else {
                    compact();
                }
                const model::chat_request request = prepare_call();
                model::chat_response response;
                if (auto hit = cached(request, callbacks)) {
                    response = std::move(*hit);
                    ++result.cache_hits;
                    if (m) m->cache_hits->increment();
                } else {
                    response = co_await call_model(request, callbacks, result, sleeper, offload);
                    remember(request, response);
                }
                if constexpr (hooks_responses) hooks_.after_model(request, response);
                if (!finish_call(std::move(response), result)) break;  // the model answered
                const std::vector<tool_call> calls = pending_calls(callbacks, result);
                std::vector<tools::tool_outcome> outcomes;
                if (offload) {
                    std::function<void()> job = [this, &calls, &outcomes] { outcomes = execute_tools(calls); };
                    co_await (*offload)(std::move(job));
                } else
                    outcomes = execute_tools(calls);
                record_outcomes(std::move(outcomes), callbacks);
                if (result.iterations == loop_.cfg.max_iterations) result.reason = stop_reason::max_iterations;
            }
        } catch (...) {
            if (m) m->failed->increment();
            throw;
        }
        if (m) {
            (result.reason == stop_reason::answered ? m->answered : m->max_iterations)->increment();
            m->turn_duration->record(std::chrono::steady_clock::now() - started);
        }
        co_return result;
    }

    void record(message m) {
        auto& stored = history_.append(std::move(m));
        if constexpr (has_storage) storage_.append(loop_.cfg.session, stored);
    }

    void begin_turn(std::string user_text) {
        if (loop_.cfg.max_iterations == 0) throw_invalid_field("agent.max_iterations", "must be at least 1");
        record(message::user(std::move(user_text)));
    }

    void compact() {
        if constexpr (has_compaction) compaction_.maybe_compact(history_, loop_.cfg.context_window);
    }

    // The request the model will see, through the hooks' before_model.
    model::chat_request prepare_call() {
        model::chat_request request;
        request.model = loop_.cfg.model;
        request.messages.assign(history_.begin(), history_.end());
        if constexpr (has_tools) request.tools = tools_.specs();
        if constexpr (hooks_requests) hooks_.before_model(request);
        return request;
    }

    // The cache slot's answer to this exact request, if any; a streaming caller gets it as one delta.
    std::optional<model::chat_response> cached(const model::chat_request& request, const agent_callbacks& callbacks) {
        if constexpr (caches_responses) {
            std::optional<std::string> hit;
            if constexpr (requires { cache_.get(std::string_view{}, std::string_view{}); })
                hit = cache_.get(request.model, detail::request_prompt(request));  // a response cache keys it itself
            else
                hit = cache_.get(detail::cache_key(request));
            if (!hit) return std::nullopt;
            auto response = detail::decode_response(*hit, request);
            if (callbacks.on_delta) {
                model::chat_delta d{response.reply.content(), {}};
                for (std::size_t i = 0; i < response.reply.tool_calls().size(); ++i) {
                    const auto& c = response.reply.tool_calls()[i];
                    d.tool_calls.push_back({i, c.id, c.name, c.arguments});
                }
                callbacks.on_delta(d);
            }
            return response;
        } else {
            (void)request, (void)callbacks;
            return std::nullopt;
        }
    }
    void remember(const model::chat_request& request, const model::chat_response& response) {
        if constexpr (caches_responses) {
            if constexpr (requires { cache_.get(std::string_view{}, std::string_view{}); })
                cache_.put(request.model, detail::request_prompt(request), detail::encode_response(response));
            else
                cache_.put(detail::cache_key(request), detail::encode_response(response));
        } else {
            (void)request, (void)response;
        }
    }

    // Accounts the response and records it; true when the model called tools (the loop goes on).
    bool finish_call(model::chat_response response, turn_result& result) {
        ++result.iterations;
        result.tokens += response.tokens;
        loop_.lifetime_tokens += response.tokens;
        const bool calls_tools = !response.reply.tool_calls().empty();
        result.reply = response.reply.content();
        record(std::move(response.reply));
        return calls_tools;
    }

    // After attempt `attempt` failed with `e`: how long to wait before the next one (the retry slot's
    // decision), or nothing (give up). A failure the provider calls final is never retried.
    std::optional<std::chrono::nanoseconds> retry_wait(const model::provider_error& e, std::uint32_t attempt,
                                                       std::chrono::nanoseconds previous,
                                                       const agent_callbacks& callbacks, turn_result& result) {
        if constexpr (!has_retry) {
            (void)e, (void)attempt, (void)previous, (void)callbacks, (void)result;
            return std::nullopt;
        } else {
            if (!e.retryable()) return std::nullopt;
            const resilience::retry_decision d = retry_.decide(attempt, model::to_failure(e), previous);
            if (!d.retry) return std::nullopt;
            ++result.retries;
            if (loop_.metrics) loop_.metrics->retries->increment();
            if (callbacks.on_retry) callbacks.on_retry(e, attempt);
            return d.delay;
        }
    }

    model::chat_response call_model_blocking(const model::chat_request& request, const agent_callbacks& callbacks) {
        if constexpr (model::streaming_provider<model_type>) {
            if (callbacks.on_delta) return model_.stream(request, callbacks.on_delta);
        }
        return model_.complete(request);
    }

    // One model call with its retries: asynchronous models are awaited, synchronous ones called inline (or on
    // `offload`); a retryable failure waits as the retry slot decides, then tries again.
    boost::asio::awaitable<model::chat_response> call_model(const model::chat_request& request,
                                                            const agent_callbacks& callbacks, turn_result& result,
                                                            const detail::sleep_fn& sleeper,
                                                            const detail::blocking_runner* offload) {
        std::chrono::nanoseconds previous{0};
        for (std::uint32_t attempt = 1;; ++attempt) {
            std::optional<std::chrono::nanoseconds> wait;
            try {
                if (loop_.metrics) loop_.metrics->model_calls->increment();
                bool blocking = !model::async_provider<model_type>;
                // A type-erased model (any_provider) may hold a synchronous provider: that one goes to `offload`.
                if constexpr (requires { model_.has_async(); }) blocking = !model_.has_async();
                if (blocking && offload) {
                    model::chat_response out;
                    std::function<void()> job = [this, &request, &callbacks, &out] {
                        out = call_model_blocking(request, callbacks);
                    };
                    co_await (*offload)(std::move(job));
                    co_return out;
                }
                if constexpr (model::async_streaming_provider<model_type>) {
                    if (callbacks.on_delta) co_return co_await model_.async_stream(request, callbacks.on_delta);
                }
                if constexpr (model::async_provider<model_type>)
                    co_return co_await model_.async_complete(request);
                else
                    co_return call_model_blocking(request, callbacks);
            } catch (const model::provider_error& e) {
                wait = retry_wait(e, attempt, previous, callbacks, result);
                if (!wait) throw;
            }
            if (!co_await detail::wait_to_retry(sleeper, *wait))
                throw model::provider_error(errc::cancelled, "the turn was cancelled while waiting to retry the model",
                                            0, false, std::nullopt, "agent");
            previous = *wait;
        }
    }

    // The tool calls of the last reply (a copy: history grows as results are recorded), announced.
    std::vector<tool_call> pending_calls(const agent_callbacks& callbacks, turn_result& result) const {
        auto calls = history_[history_.size() - 1].tool_calls();
        result.tool_calls += static_cast<std::uint32_t>(calls.size());
        if (loop_.metrics) loop_.metrics->tool_calls->increment(calls.size());
        if (callbacks.on_tool_call)
            for (const auto& c : calls) callbacks.on_tool_call(c);
        return calls;
    }
    void record_outcomes(std::vector<tools::tool_outcome> outcomes, const agent_callbacks& callbacks) {
        for (auto& outcome : outcomes) {
            if (callbacks.on_tool_result) callbacks.on_tool_result(outcome);
            record(outcome.to_message());
        }
    }

    // The toolbox as the executor sees it when hooks wrap tool calls: each invoke goes through around_tool.
    struct hooked_toolbox {
        toolbox_type* box;
        hooks_type* chain;
        auto specs() const { return box->specs(); }
        bool contains(std::string_view name) const { return box->contains(name); }
        std::string invoke(std::string_view name, std::string_view arguments, std::stop_token stop) {
            auto tool = [this, &stop](const tool_request& call) {
                return std::string(box->invoke(call.name, call.arguments, stop));
            };
            return chain->around_tool(tool_request{name, arguments}, tool);
        }
    };

    // Runs the calls (in parallel when independent); a tool error becomes a tool message.
    std::vector<tools::tool_outcome> execute_tools(const std::vector<tool_call>& calls) {
        if constexpr (has_tools) {
            if constexpr (hooks_tools) {
                hooked_toolbox box{&tools_, &hooks_};
                return loop_.exec.run(box, calls);
            } else {
                return loop_.exec.run(tools_, calls);
            }
        } else {
            std::vector<tools::tool_outcome> out;
            for (const auto& c : calls)  // the model called a tool the agent does not have
                out.push_back({c.id, c.name, "error: this agent has no tools; '" + c.name + "' is unavailable",
                               tools::outcome_status::unknown_tool});
            return out;
        }
    }

    conversation history_;
    [[no_unique_address]] detail::slot_member_t<token_counter_type> tokens_{};
    [[no_unique_address]] detail::slot_member_t<cache_type> cache_{};
    [[no_unique_address]] detail::slot_member_t<retry_type> retry_{};
    [[no_unique_address]] detail::slot_member_t<compaction_type> compaction_{};
    [[no_unique_address]] detail::slot_member_t<storage_type> storage_{};
    [[no_unique_address]] detail::slot_member_t<model_type> model_{};
    [[no_unique_address]] detail::slot_member_t<toolbox_type> tools_{};
    [[no_unique_address]] detail::slot_member_t<hooks_type> hooks_{};
    [[no_unique_address]] detail::slot_member_t<loop_type> loop_{};
};

}  // namespace agentkit
AGENTKIT_COROUTINES_END
