#pragma once
// scripted_provider: a TEST DOUBLE for the provider concept. It answers from a script - replies, tool calls,
// injected latency and injected failures, in order - then from an optional rule (a function of the request),
// then by echoing the last user message. Deterministic: same script, same answers, same usage. It records
// every request so tests can assert what the agent sent. Never use it as a real model.
// The definitions are in impl/scripted_provider.ipp (see core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/sleep.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agentkit::model {

class scripted_provider {
public:
    struct step {
        std::string content;
        std::vector<tool_call> calls;
        std::chrono::nanoseconds latency{0};
        std::optional<provider_error> failure;  // thrown instead of answering

        static step reply(std::string text) { return {std::move(text), {}, {}, {}}; }
        static step call(std::string id, std::string tool, std::string arguments) {
            return {{}, {tool_call{std::move(id), std::move(tool), std::move(arguments)}}, {}, {}};
        }
        static step fail(int http_status, std::string message = "injected failure",
                         std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
            step s;
            s.failure = error_from_status(http_status, std::move(message), retry_after);
            return s;
        }
        step& also_call(std::string id, std::string tool, std::string arguments) {
            calls.push_back({std::move(id), std::move(tool), std::move(arguments)});
            return *this;
        }
        step& after(std::chrono::nanoseconds d) {
            latency = d;
            return *this;
        }
    };

    struct config {
        std::string model = "scripted";
        std::size_t chars_per_token = 4;     // the usage it reports: ceil(chars / chars_per_token)
        std::size_t stream_piece_chars = 8;  // content is streamed in pieces of this many bytes
        // How injected latency passes: a real sleep by default; tests pass a manual clock's advance.
        sleep_hook sleep = thread_sleeper{};
    };

    scripted_provider() : scripted_provider(config{}) {}
    AGENTKIT_DECL explicit scripted_provider(config cfg);
    scripted_provider(std::initializer_list<step> script) : scripted_provider(script, config{}) {}
    AGENTKIT_DECL scripted_provider(std::initializer_list<step> script, config cfg);
    AGENTKIT_DECL scripted_provider(scripted_provider&&) noexcept;
    AGENTKIT_DECL scripted_provider& operator=(scripted_provider&&) noexcept;
    AGENTKIT_DECL ~scripted_provider();

    AGENTKIT_DECL scripted_provider& then(step s);
    // Answers requests the script does not cover.
    AGENTKIT_DECL scripted_provider& otherwise(std::function<step(const chat_request&)> rule);

    chat_response complete(const chat_request& request) { return respond(request, nullptr); }
    chat_response stream(const chat_request& request, const delta_callback& on_delta) {
        return respond(request, &on_delta);
    }

    // A deterministic 8-dimensional bag of bytes per input.
    AGENTKIT_DECL std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs);

    AGENTKIT_DECL std::vector<chat_request> requests() const;
    AGENTKIT_DECL std::size_t calls() const;
    AGENTKIT_DECL std::size_t remaining() const;
    // Keep only the call count (benchmarks call it millions of times).
    AGENTKIT_DECL void record_requests(bool on);

private:
    struct state;  // behind a pointer so the provider moves (into an agent, a router)

    AGENTKIT_DECL chat_response respond(const chat_request& request, const delta_callback* on_delta);
    AGENTKIT_DECL std::uint64_t tokens(const std::string& s) const;
    AGENTKIT_DECL std::uint64_t prompt_tokens(const chat_request& request) const;

    config cfg_;
    std::unique_ptr<state> s_;
};

static_assert(streaming_provider<scripted_provider> && embedding_provider<scripted_provider>);

}  // namespace agentkit::model

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/model/impl/scripted_provider.ipp>
#endif
