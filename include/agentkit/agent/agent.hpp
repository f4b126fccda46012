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
// server's Retry-After); compaction runs before each model call; storage receives every new message; with a
// cache slot, a request identical to an earlier one (model, messages, tools) is answered from the cache.
// A model::router in the model slot brings its per-provider retry, circuit breaker and bulkhead; a
// compaction policy taking a memory::callable_summarizer is bound to the router's `compaction` delegation
// (compaction -> fast), or to the offline extractive summariser when the model is not a router.
// agent/async_agent.hpp runs the same loop as a C++20 coroutine on Boost.Asio (async_run).
#include <agentkit/agent/slots.hpp>
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/policy_set.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/memory/summarizer.hpp>
#include <agentkit/tools/executor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
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
    // With a storage slot: how many of the session's latest stored messages the agent starts from when it is
    // constructed (a second agent on the same database resumes the conversation); the window starts at a
    // user message, so no tool result is read without its call. 0: start empty.
    std::size_t resume_messages = 1000;
    std::string model{};                  // passed in each request; empty = the provider's default
    std::uint64_t seed = 0x5eed;          // jitter of the backoff
    tools::executor::config executor{};
    // How a retry waits; tests replace it (a manual clock's advance) so that nothing sleeps.
    std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); };
};

// The loop's settings as a constructor argument of agent<...>, beside the slot values (slots.hpp).
inline slot_value<slot::config, agent_config> use_config(agent_config c) { return {std::move(c)}; }

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
    std::uint32_t cache_hits = 0;  // model calls answered by the cache slot (no tokens spent)
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

// The cache slot's view of a model call: the key is the model name and every byte the model sees, the
// value the response; both length-prefixed (no JSON on this path, no ambiguity between fields).
inline void put_field(std::string& out, std::string_view f) {
    out.append(std::to_string(f.size())).push_back(':');
    out.append(f);
}
inline std::string_view take_field(std::string_view& in) {
    const auto colon = in.find(':');
    if (colon == std::string_view::npos) throw error(errc::parse_error, "cached response is corrupt", "cache");
    std::size_t n = 0;
    for (char c : in.substr(0, colon)) {
        if (c < '0' || c > '9') throw error(errc::parse_error, "cached response is corrupt", "cache");
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    in.remove_prefix(colon + 1);
    if (n > in.size()) throw error(errc::parse_error, "cached response is corrupt", "cache");
    auto f = in.substr(0, n);
    in.remove_prefix(n);
    return f;
}
inline std::string request_prompt(const model::chat_request& r) {
    std::string k;
    for (const auto& m : r.messages) {
        put_field(k, to_string(m.role()));
        put_field(k, m.name());
        put_field(k, m.content());
        put_field(k, m.tool_call_id());
        for (const auto& c : m.tool_calls()) {
            put_field(k, c.id);
            put_field(k, c.name);
            put_field(k, c.arguments);
        }
        k.push_back('|');
    }
    for (const auto& t : r.tools) {
        put_field(k, t.name);
        put_field(k, t.description);
        put_field(k, t.parameters_schema);
    }
    if (r.temperature) put_field(k, std::to_string(*r.temperature));
    if (r.max_tokens) put_field(k, std::to_string(*r.max_tokens));
    return k;
}
inline std::string encode_response(const model::chat_response& r) {
    std::string v;
    put_field(v, r.reply.content());
    put_field(v, r.finish_reason);
    put_field(v, r.model);
    put_field(v, std::to_string(r.reply.tool_calls().size()));
    for (const auto& c : r.reply.tool_calls()) {
        put_field(v, c.id);
        put_field(v, c.name);
        put_field(v, c.arguments);
    }
    return v;
}
inline model::chat_response decode_response(std::string_view v) {
    model::chat_response r;
    std::string content(take_field(v));
    r.finish_reason = take_field(v);
    r.model = take_field(v);
    const std::string count(take_field(v));
    std::vector<tool_call> calls;
    for (std::size_t i = 0, n = std::stoul(count); i < n; ++i) {
        tool_call c;
        c.id = take_field(v);
        c.name = take_field(v);
        c.arguments = take_field(v);
        calls.push_back(std::move(c));
    }
    r.reply = message::assistant(std::move(content), std::move(calls));
    return r;  // usage stays zero: a cached answer costs no tokens
}

// A model that can run a delegated task (model::router): compaction can be bound to it.
template <class M>
concept task_model = requires(const M& m, model::chat_request r) {
    { m.complete_task(std::string_view{}, r) } -> std::same_as<model::chat_response>;
};
// A compaction policy built from (its config, a summariser chosen at run time).
template <class C>
concept summarizer_bound_compaction = requires { typename C::config; } &&
                                      std::is_constructible_v<C, typename C::config, memory::callable_summarizer>;

// What only an agent with a model carries: its loop settings, executor, usage and random source.
struct loop_state {
    agent_config cfg;
    tools::executor exec;
    model::usage lifetime_tokens;
    std::mt19937_64 random;
    explicit loop_state(agent_config c) : cfg(std::move(c)), exec(cfg.executor), random(cfg.seed) {}
    loop_state() : loop_state(agent_config{}) {}
};

struct agent_access;  // the async loop (agent/async_agent.hpp) runs the same steps as run()

// Building a slot's member from the value given for it (use_<slot>), or by default when none is.
// A movable policy is returned as a prvalue. One that cannot move (a SQLite connection, a cache with its
// mutexes) is built in place instead, as the base of in_place_slot: a [[no_unique_address]] member
// initialised from a function's result needs a move, because potentially-overlapping subobjects get no
// guaranteed copy elision.
struct picked_nothing {};
template <class V>
struct picked {
    V* value;
};
template <class T>
struct in_place_slot : T {
    using policy = T;
    in_place_slot() = default;
    explicit in_place_slot(picked_nothing) : T() {}
    template <class V>
    explicit in_place_slot(picked<V> p) : T(std::move(*p.value)) {}
    using T::operator=;
};
template <class T>
inline constexpr bool is_in_place_slot_v = false;
template <class T>
inline constexpr bool is_in_place_slot_v<in_place_slot<T>> = true;
// The member type the agent declares for a slot's policy T.
template <class T>
using slot_member_t = std::conditional_t<std::is_move_constructible_v<T> || std::is_final_v<T>, T, in_place_slot<T>>;

template <class Slot, class T>
picked_nothing pick_slot() {
    return {};
}
template <class Slot, class T, class First, class... Rest>
auto pick_slot(First& first, Rest&... rest) {
    if constexpr (!std::is_same_v<typename First::slot, Slot>)
        return pick_slot<Slot, T>(rest...);
    else if constexpr (std::is_constructible_v<T, typename First::value_type&&>)
        return picked<typename First::value_type>{&first.value};
    else
        return picked_nothing{};  // a misuse: the constructor's static_assert names it
}
// What a member of declared type Member (slot_member_t<T>) is initialised from.
template <class Slot, class Member, class... Values>
auto slot_init(Values&... values) {
    if constexpr (is_in_place_slot_v<Member>) {
        return pick_slot<Slot, typename Member::policy>(values...);
    } else {
        auto p = pick_slot<Slot, Member>(values...);
        if constexpr (std::is_same_v<decltype(p), picked_nothing>)
            return Member{};
        else
            return Member(std::move(*p.value));
    }
}

// One static_assert per misuse of a slot value, naming the slot: `Member` is what the agent holds there
// (an empty_slot when the agent type binds no policy to it), `Count` how often the slot was given.
template <class Slot, class Member, class Value, std::size_t Count>
struct slot_value_check;
#define AGENTKIT_SLOT_VALUE_CHECK(SLOT)                                                                               \
    template <class Member, class Value, std::size_t Count>                                                           \
    struct slot_value_check<slot::SLOT, Member, Value, Count> {                                                       \
        static_assert(!is_empty_slot_v<Member>, "agentkit::agent: use_" #SLOT "(...) is given, but this agent type "   \
                                                "binds no policy to the " #SLOT " slot (add with_" #SLOT "<P>)");     \
        static_assert(is_empty_slot_v<Member> || std::is_constructible_v<Member, Value>,                              \
                      "agentkit::agent: the value given with use_" #SLOT "(...) cannot make the " #SLOT               \
                      " slot's policy (give the policy object, or what it is constructed from, e.g. its config)");    \
        static_assert(Count <= 1, "agentkit::agent: use_" #SLOT "(...) is given more than once");                     \
        static constexpr bool value = true;                                                                           \
    };
AGENTKIT_SLOT_VALUE_CHECK(tokens)
AGENTKIT_SLOT_VALUE_CHECK(cache)
AGENTKIT_SLOT_VALUE_CHECK(retry)
AGENTKIT_SLOT_VALUE_CHECK(compaction)
AGENTKIT_SLOT_VALUE_CHECK(storage)
AGENTKIT_SLOT_VALUE_CHECK(transport)
AGENTKIT_SLOT_VALUE_CHECK(model)
AGENTKIT_SLOT_VALUE_CHECK(tools)
#undef AGENTKIT_SLOT_VALUE_CHECK
template <class Member, class Value, std::size_t Count>
struct slot_value_check<slot::config, Member, Value, Count> {
    static_assert(!is_empty_slot_v<Member>,
                  "agentkit::agent: use_config(...) is given, but this agent type has no model slot, so no loop to "
                  "configure (add with_model<P>)");
    static_assert(Count <= 1, "agentkit::agent: use_config(...) is given more than once");
    static constexpr bool value = true;
};
}  // namespace detail

// Binds compaction to a router's delegated task (compaction -> fast by default): the summary is written by
// that tier's model; when every target of the route fails, the offline extractive summariser writes it, so
// compaction never fails a turn. The router is copied (a handle), so the summariser outlives moves.
template <detail::task_model Model>
memory::callable_summarizer task_summarizer(const Model& m, std::string task = "compaction") {
    return [m, task = std::move(task)](std::span<const message> msgs, std::size_t max_tokens) {
        model::chat_request r;
        r.max_tokens = static_cast<std::uint32_t>(max_tokens);
        r.messages.push_back(message::system(
            std::string("Summarise the conversation below for your own later use, in at most ").append(std::to_string(max_tokens))
            .append(" tokens. Keep facts, numbers, names, decisions and open questions; the latest value of a fact wins. "
            "One fact per line.")));
        std::string transcript;
        for (const auto& msg : msgs) {
            transcript.append(to_string(msg.role())).append(": ").append(msg.content());
            for (const auto& c : msg.tool_calls()) transcript.append(" [calls ").append(c.name).append(" ").append(c.arguments).append("]");
            transcript.push_back('\n');
        }
        r.messages.push_back(message::user(std::move(transcript)));
        try {
            std::string text = m.complete_task(task, std::move(r)).reply.content();
            if (!text.empty()) return std::string(memory::summary_header) + "\n" + text;
        } catch (const model::provider_error&) {
            // every target of the route failed: summarise offline below
        }
        return memory::extractive_summarizer<>{}(msgs, max_tokens);
    };
}

template <class... Bindings>
class agent {
    using policies = policy_set<Bindings...>;
    friend struct detail::agent_access;

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
    // The loop answers repeated requests from the cache slot when its cache speaks get/put of strings
    // (every cache policy of the cache layer, response_caching<> included).
    static constexpr bool caches_responses =
        has_cache && (requires(cache_type& c, std::string k) {
            { c.get(k) } -> std::convertible_to<std::optional<std::string>>;
            c.put(k, std::move(k));
        } || requires(cache_type& c, std::string k) {
            { c.get(std::string_view{}, std::string_view{}) } -> std::convertible_to<std::optional<std::string>>;
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

private:
    using loop_type = std::conditional_t<has_model, detail::loop_state, detail::empty_slot<detail::loop_state>>;
    // What the agent holds in a slot (for the checks of the configured constructor).
    template <class Slot>
    using member_of = std::conditional_t<
        std::is_same_v<Slot, slot::tokens>, token_counter_type,
        std::conditional_t<
            std::is_same_v<Slot, slot::cache>, cache_type,
            std::conditional_t<
                std::is_same_v<Slot, slot::retry>, backoff_type,
                std::conditional_t<
                    std::is_same_v<Slot, slot::compaction>, compaction_type,
                    std::conditional_t<
                        std::is_same_v<Slot, slot::storage>, storage_type,
                        std::conditional_t<
                            std::is_same_v<Slot, slot::transport>, transport_type,
                            std::conditional_t<std::is_same_v<Slot, slot::model>, model_type,
                                               std::conditional_t<std::is_same_v<Slot, slot::tools>, toolbox_type,
                                                                  loop_type>>>>>>>>;
    template <class Value, class... All>
    using value_check =
        detail::slot_value_check<typename Value::slot, member_of<typename Value::slot>, typename Value::value_type&&,
                                 (std::size_t{std::is_same_v<typename All::slot, typename Value::slot>} + ...)>;

public:
    agent() { bind_summarizer(); }
    explicit agent(model_type m, agent_config cfg = {}) requires has_model && (!has_tools)
        : model_(std::move(m)), loop_(std::move(cfg)) {
        bind_summarizer();
        open_session();
    }
    agent(model_type m, toolbox_type t, agent_config cfg = {}) requires has_model && has_tools
        : model_(std::move(m)), tools_(std::move(t)), loop_(std::move(cfg)) {
        bind_summarizer();
        open_session();
    }
    // Configured slots, in any order: use_model(...), use_tools(...), use_storage(...), use_compaction(...),
    // use_cache(...), use_tokens(...), use_retry(...), use_transport(...), use_config(...) (slots.hpp).
    template <class... Values>
        requires(sizeof...(Values) > 0 && (is_slot_value_v<Values> && ...))
    explicit agent(Values... values)
        : tokens_(detail::slot_init<slot::tokens, detail::slot_member_t<token_counter_type>>(values...)),
          cache_(detail::slot_init<slot::cache, detail::slot_member_t<cache_type>>(values...)),
          backoff_(detail::slot_init<slot::retry, detail::slot_member_t<backoff_type>>(values...)),
          compaction_(detail::slot_init<slot::compaction, detail::slot_member_t<compaction_type>>(values...)),
          storage_(detail::slot_init<slot::storage, detail::slot_member_t<storage_type>>(values...)),
          transport_(detail::slot_init<slot::transport, detail::slot_member_t<transport_type>>(values...)),
          model_(detail::slot_init<slot::model, detail::slot_member_t<model_type>>(values...)),
          tools_(detail::slot_init<slot::tools, detail::slot_member_t<toolbox_type>>(values...)),
          loop_(detail::slot_init<slot::config, detail::slot_member_t<loop_type>>(values...)) {
        (static_cast<void>(sizeof(value_check<Values, Values...>)), ...);  // one static_assert per misuse
        bind_summarizer();
        open_session();
    }

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
        begin_turn(std::move(user_text));
        while (result.iterations < loop_.cfg.max_iterations) {
            const model::chat_request request = prepare_call();
            model::chat_response response;
            if (auto hit = cached(request, callbacks)) {
                response = std::move(*hit);
                ++result.cache_hits;
            } else {
                response = call_model(request, callbacks, result);
                remember(request, response);
            }
            if (!finish_call(std::move(response), result)) return result;  // early termination: the model answered
            run_tools(callbacks, result);
        }
        result.reason = stop_reason::max_iterations;
        return result;
    }

private:
    // Binds a summariser to a compaction policy that takes one, keeping the configuration it was given.
    void bind_summarizer() {
        if constexpr (has_compaction && detail::summarizer_bound_compaction<compaction_type>) {
            typename compaction_type::config cfg{};
            if constexpr (requires { compaction_.configuration(); }) cfg = compaction_.configuration();
            if constexpr (has_model && detail::task_model<model_type>)
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
            auto first = std::find_if(earlier.begin(), earlier.end(), [](const message& m) { return m.role() == role::user; });
            for (auto it = first; it != earlier.end(); ++it) history_.append(std::move(*it));
        }
    }

    void record(message m) {
        auto& stored = history_.append(std::move(m));
        if constexpr (has_storage) storage_.append(loop_.cfg.session, stored);
    }

    void begin_turn(std::string user_text) {
        if (loop_.cfg.max_iterations == 0) throw_invalid_field("agent.max_iterations", "must be at least 1");
        record(message::user(std::move(user_text)));
    }

    // Compaction, then the request the model will see.
    model::chat_request prepare_call() {
        if constexpr (has_compaction) compaction_.maybe_compact(history_, loop_.cfg.context_window);
        return make_request();
    }

    model::chat_request make_request() const {
        model::chat_request request;
        request.model = loop_.cfg.model;
        request.messages.assign(history_.begin(), history_.end());
        if constexpr (has_tools) request.tools = tools_.specs();
        return request;
    }

    // The cache slot's answer to this exact request, if any; a streaming caller gets it as one delta.
    std::optional<model::chat_response> cached(const model::chat_request& request, const agent_callbacks& callbacks) {
        if constexpr (caches_responses) {
            std::optional<std::string> hit;
            if constexpr (requires { cache_.get(std::string_view{}, std::string_view{}); })
                hit = cache_.get(request.model, detail::request_prompt(request));  // cache::response_cache
            else
                hit = cache_.get(cache_key(request));
            if (!hit) return std::nullopt;
            auto response = detail::decode_response(*hit);
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
                cache_.put(cache_key(request), detail::encode_response(response));
        } else {
            (void)request, (void)response;
        }
    }
    static std::string cache_key(const model::chat_request& request) {
        std::string k = request.model;  // the layout of cache::response_cache::key: model, NUL, prompt
        k.push_back('\0');
        k.append(detail::request_prompt(request));
        return k;
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

    // After attempt `attempt` failed with `e`: how long to wait before the next one, or nothing (give up).
    std::optional<std::chrono::nanoseconds> retry_wait(const model::provider_error& e, std::uint32_t attempt,
                                                       std::chrono::nanoseconds& previous, const agent_callbacks& callbacks,
                                                       turn_result& result) {
        if constexpr (!has_retry) {
            (void)e, (void)attempt, (void)previous, (void)callbacks, (void)result;
            return std::nullopt;
        } else {
            if (!e.retryable() || attempt >= loop_.cfg.max_attempts) return std::nullopt;
            std::chrono::nanoseconds wait = backoff_.delay(attempt, previous, loop_.random);
            if (auto after = e.retry_after()) wait = std::max<std::chrono::nanoseconds>(wait, *after);
            wait = std::min<std::chrono::nanoseconds>(wait, std::chrono::milliseconds(loop_.cfg.max_retry_delay_ms));
            previous = wait;
            ++result.retries;
            if (callbacks.on_retry) callbacks.on_retry(e, attempt);
            return wait;
        }
    }

    model::chat_response call_model_once(const model::chat_request& request, const agent_callbacks& callbacks) {
        if constexpr (model::streaming_provider<model_type>) {
            if (callbacks.on_delta) return model_.stream(request, callbacks.on_delta);
        }
        return model_.complete(request);
    }

    model::chat_response call_model(const model::chat_request& request, const agent_callbacks& callbacks, turn_result& result) {
        std::chrono::nanoseconds previous{0};
        for (std::uint32_t attempt = 1;; ++attempt) {
            std::optional<std::chrono::nanoseconds> wait;
            try {
                return call_model_once(request, callbacks);
            } catch (const model::provider_error& e) {
                wait = retry_wait(e, attempt, previous, callbacks, result);
                if (!wait) throw;
            }
            loop_.cfg.sleep(*wait);
        }
    }

    // The tool calls of the last reply (a copy: history grows as results are recorded), announced.
    std::vector<tool_call> pending_calls(const agent_callbacks& callbacks, turn_result& result) const {
        auto calls = history_[history_.size() - 1].tool_calls();
        result.tool_calls += static_cast<std::uint32_t>(calls.size());
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
    // Runs the calls (in parallel when independent); a tool error becomes a tool message.
    std::vector<tools::tool_outcome> execute_tools(const std::vector<tool_call>& calls) {
        if constexpr (has_tools) {
            return loop_.exec.run(tools_, calls);
        } else {
            std::vector<tools::tool_outcome> out;
            for (const auto& c : calls)  // the model called a tool the agent does not have
                out.push_back({c.id, c.name, "error: this agent has no tools; '" + c.name + "' is unavailable",
                               tools::outcome_status::unknown_tool});
            return out;
        }
    }

    void run_tools(const agent_callbacks& callbacks, turn_result& result) {
        const auto calls = pending_calls(callbacks, result);
        record_outcomes(execute_tools(calls), callbacks);
    }

    conversation history_;
    [[no_unique_address]] detail::slot_member_t<token_counter_type> tokens_{};
    [[no_unique_address]] detail::slot_member_t<cache_type> cache_{};
    [[no_unique_address]] detail::slot_member_t<backoff_type> backoff_{};
    [[no_unique_address]] detail::slot_member_t<compaction_type> compaction_{};
    [[no_unique_address]] detail::slot_member_t<storage_type> storage_{};
    [[no_unique_address]] detail::slot_member_t<transport_type> transport_{};
    [[no_unique_address]] detail::slot_member_t<model_type> model_{};
    [[no_unique_address]] detail::slot_member_t<toolbox_type> tools_{};
    [[no_unique_address]] detail::slot_member_t<loop_type> loop_{};
};

}  // namespace agentkit
