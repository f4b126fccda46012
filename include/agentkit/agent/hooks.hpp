#pragma once
// hooks<H...>: an ordered chain of hooks around the agent's model calls and tool calls (LangChain's
// middleware, Envoy's filter chain): the place for guardrails, redaction, prompt-cache markers and custom
// routing. A hook is any type with one or more of
//   void before_model(model::chat_request& request)                    may rewrite the request (route it by
//                                                                      setting request.model, redact, add markers)
//   void after_model(const model::chat_request& request, model::chat_response& response)   may rewrite the answer
//   std::string around_tool(const tool_request& call, const next_tool& next)               wraps one tool call
// before_model hooks run in chain order, after_model hooks in reverse order, and around_tool hooks nest with
// the first outermost: as requests go in and answers come out of an onion. A hook that throws
// agentkit::error stops there: from before_model or after_model the turn fails with that error; from
// around_tool the call becomes a tool error message the model sees, as a failing tool's would.
// around_tool may change the arguments (next(call with other arguments)), answer without calling the tool
// (a refusal, a cached result) or change the result. Tool calls of one reply may run in parallel, so an
// around_tool hook must be safe to call from several threads at once.
//
//   struct redact { void before_model(model::chat_request& r) { for (auto& m : r.messages) ... } };
//   using my_agent = agent<with_model<model::router>, with_hooks<hooks<redact, audit>>>;
//   my_agent a{use_model(model::router{rc}), use_hooks(hooks<redact, audit>{redact{...}, audit{log}})};
//
// An agent without a hooks slot has no hook member and no branch: hooks cost nothing until used.
#include <agentkit/model/chat.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace agentkit {

// One tool call as a hook sees it: the tool's name and the arguments (JSON text) it is about to get.
struct tool_request {
    std::string_view name;
    std::string_view arguments;
};

// The rest of the chain and the tool itself, for an around_tool hook to call (or not).
class next_tool {
public:
    template <class F>
    explicit next_tool(F& f) noexcept : target_(&f), call_(&invoke<F>) {}
    std::string operator()(const tool_request& call) const { return call_(target_, call); }

private:
    template <class F>
    static std::string invoke(void* f, const tool_request& call) {
        return (*static_cast<F*>(f))(call);
    }
    void* target_;
    std::string (*call_)(void*, const tool_request&);
};

template <class H>
concept model_request_hook = requires(H& h, model::chat_request& r) {
    h.before_model(r);
};
template <class H>
concept model_response_hook = requires(H& h, const model::chat_request& r, model::chat_response& a) {
    h.after_model(r, a);
};
template <class H>
concept tool_hook = requires(H& h, const tool_request& c, const next_tool& next) {
    { h.around_tool(c, next) } -> std::convertible_to<std::string>;
};

template <class... H>
class hooks {
    static_assert(((model_request_hook<H> || model_response_hook<H> || tool_hook<H>)&&...),
                  "agentkit::hooks<H...>: every H needs before_model(model::chat_request&), after_model(const "
                  "model::chat_request&, model::chat_response&) or around_tool(const tool_request&, const next_tool&) "
                  "-> std::string");

public:
    static constexpr bool is_hook_chain = true;
    static constexpr bool wraps_requests = (model_request_hook<H> || ...);
    static constexpr bool wraps_responses = (model_response_hook<H> || ...);
    static constexpr bool wraps_tools = (tool_hook<H> || ...);

    hooks() = default;
    explicit hooks(H... h) : chain_(std::move(h)...) {}

    template <std::size_t I>
    auto& get() noexcept {
        return std::get<I>(chain_);
    }
    template <class T>
    T& get() noexcept {
        return std::get<T>(chain_);
    }

    void before_model(model::chat_request& request) {
        std::apply([&](auto&... h) { (call_before(h, request), ...); }, chain_);
    }
    void after_model(const model::chat_request& request, model::chat_response& response) {
        after_from<sizeof...(H)>(request, response);
    }
    // Runs the around_tool hooks from the I-th on, then `tool` (std::string(const tool_request&)).
    template <class Tool, std::size_t I = 0>
    std::string around_tool(const tool_request& call, Tool& tool) {
        if constexpr (I == sizeof...(H)) {
            return tool(call);
        } else if constexpr (!tool_hook<std::tuple_element_t<I, std::tuple<H...>>>) {
            return around_tool<Tool, I + 1>(call, tool);
        } else {
            auto rest = [this, &tool](const tool_request& c) { return around_tool<Tool, I + 1>(c, tool); };
            return std::string(std::get<I>(chain_).around_tool(call, next_tool(rest)));
        }
    }

private:
    template <class X>
    static void call_before(X& h, model::chat_request& request) {
        if constexpr (model_request_hook<X>) h.before_model(request);
    }
    template <std::size_t N>
    void after_from(const model::chat_request& request, model::chat_response& response) {
        if constexpr (N > 0) {
            auto& h = std::get<N - 1>(chain_);
            if constexpr (model_response_hook<std::remove_reference_t<decltype(h)>>) h.after_model(request, response);
            after_from<N - 1>(request, response);
        }
    }

    std::tuple<H...> chain_;
};

/// @brief The hooks slot of an agent (`with_hooks<P>`): an ordered chain around model calls and tool calls.
/// @details `hooks<H...>` is the chain the toolkit ships (each H has `before_model`, `after_model` and/or
/// `around_tool`, see the top of this header); a type of its own shape says so with `is_hook_chain = true`.
/// Default: none (requests and answers pass unchanged, no member, no branch).
/// @tparam P the hook chain.
template <class P>
concept hook_chain = requires {
    requires P::is_hook_chain;
};

}  // namespace agentkit
