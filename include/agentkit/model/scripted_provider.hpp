#pragma once
// scripted_provider: a TEST DOUBLE for the provider concept. It answers from a script - replies, tool calls,
// injected latency and injected failures, in order - then from an optional rule (a function of the request),
// then by echoing the last user message. Deterministic: same script, same answers, same usage. It records
// every request so tests can assert what the agent sent. Never use it as a real model.
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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
        std::size_t chars_per_token = 4;  // the usage it reports: ceil(chars / chars_per_token)
        std::size_t stream_piece_chars = 8;  // content is streamed in pieces of this many bytes
        // How injected latency passes: a real sleep by default; tests pass a manual clock's advance.
        std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); };
    };

    scripted_provider() : scripted_provider(config{}) {}
    explicit scripted_provider(config cfg) : cfg_(std::move(cfg)), s_(std::make_unique<state>()) {}
    scripted_provider(std::initializer_list<step> script) : scripted_provider(script, config{}) {}
    scripted_provider(std::initializer_list<step> script, config cfg) : scripted_provider(std::move(cfg)) {
        s_->script.assign(script.begin(), script.end());
    }

    scripted_provider& then(step s) {
        std::lock_guard lock(s_->mutex);
        s_->script.push_back(std::move(s));
        return *this;
    }
    // Answers requests the script does not cover.
    scripted_provider& otherwise(std::function<step(const chat_request&)> rule) {
        std::lock_guard lock(s_->mutex);
        s_->rule = std::move(rule);
        return *this;
    }

    chat_response complete(const chat_request& request) { return respond(request, nullptr); }
    chat_response stream(const chat_request& request, const delta_callback& on_delta) { return respond(request, &on_delta); }

    std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) {
        std::vector<std::vector<float>> out;  // a deterministic 8-dimensional bag of bytes
        for (const auto& s : inputs) {
            std::vector<float> v(8, 0.0f);
            for (unsigned char c : s) v[c % 8] += 1.0f;
            out.push_back(std::move(v));
        }
        return out;
    }

    std::vector<chat_request> requests() const {
        std::lock_guard lock(s_->mutex);
        return s_->requests;
    }
    std::size_t calls() const {
        std::lock_guard lock(s_->mutex);
        return s_->calls;
    }
    std::size_t remaining() const {
        std::lock_guard lock(s_->mutex);
        return s_->script.size();
    }
    // Keep only the call count (benchmarks call it millions of times).
    void record_requests(bool on) { s_->record = on; }

private:
    chat_response respond(const chat_request& request, const delta_callback* on_delta) {
        step s;
        {
            std::lock_guard lock(s_->mutex);
            ++s_->calls;
            if (s_->record) s_->requests.push_back(request);
            if (!s_->script.empty()) {
                s = std::move(s_->script.front());
                s_->script.pop_front();
            } else if (s_->rule) {
                s = s_->rule(request);
            } else {
                s = step::reply("echo: " + last_user(request));
            }
        }
        if (s.latency.count() > 0) cfg_.sleep(s.latency);
        if (s.failure) throw *s.failure;

        usage u{prompt_tokens(request), tokens(s.content)};
        for (const auto& c : s.calls) u.completion_tokens += tokens(c.name) + tokens(c.arguments);
        if (on_delta) {
            const std::size_t piece = cfg_.stream_piece_chars ? cfg_.stream_piece_chars : 1;
            for (std::size_t i = 0; i < s.content.size(); i += piece) (*on_delta)(chat_delta{s.content.substr(i, piece), {}});
            for (std::size_t i = 0; i < s.calls.size(); ++i) {
                const auto& c = s.calls[i];
                const auto half = c.arguments.size() / 2;
                (*on_delta)(chat_delta{{}, {tool_call_delta{i, c.id, c.name, c.arguments.substr(0, half)}}});
                (*on_delta)(chat_delta{{}, {tool_call_delta{i, {}, {}, c.arguments.substr(half)}}});
            }
        }
        chat_response r;
        const bool has_calls = !s.calls.empty();
        r.reply = message::assistant(std::move(s.content), std::move(s.calls));
        r.finish_reason = has_calls ? "tool_calls" : "stop";
        r.tokens = u;
        r.model = request.model.empty() ? cfg_.model : request.model;
        return r;
    }

    std::uint64_t tokens(const std::string& s) const {
        const auto r = cfg_.chars_per_token ? cfg_.chars_per_token : 1;
        return (s.size() + r - 1) / r;
    }
    std::uint64_t prompt_tokens(const chat_request& request) const {
        std::uint64_t n = 0;
        for (const auto& m : request.messages) {
            n += tokens(m.content());
            for (const auto& c : m.tool_calls()) n += tokens(c.name) + tokens(c.arguments);
        }
        return n;
    }
    static std::string last_user(const chat_request& request) {
        for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it)
            if (it->role() == role::user) return it->content();
        return {};
    }

    struct state {
        std::mutex mutex;
        std::deque<step> script;
        std::function<step(const chat_request&)> rule;
        std::vector<chat_request> requests;
        std::size_t calls = 0;
        bool record = true;
    };
    config cfg_;
    std::unique_ptr<state> s_;  // behind a pointer so the provider moves (into an agent, a router)
};

static_assert(streaming_provider<scripted_provider> && embedding_provider<scripted_provider>);

}  // namespace agentkit::model
