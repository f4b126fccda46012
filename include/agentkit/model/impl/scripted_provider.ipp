#pragma once
// The definitions of scripted_provider.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/model/scripted_provider.hpp>

#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace agentkit::model {

struct scripted_provider::state {
    std::mutex mutex;
    std::deque<step> script;
    std::function<step(const chat_request&)> rule;
    std::vector<chat_request> requests;
    std::size_t calls = 0;
    bool record = true;
};

namespace detail {
inline std::string last_user(const chat_request& request) {
    for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it)
        if (it->role() == role::user) return it->content();
    return {};
}
}  // namespace detail

AGENTKIT_DECL scripted_provider::scripted_provider(config cfg) : cfg_(std::move(cfg)), s_(std::make_unique<state>()) {}

AGENTKIT_DECL scripted_provider::scripted_provider(std::initializer_list<step> script, config cfg)
    : scripted_provider(std::move(cfg)) {
    s_->script.assign(script.begin(), script.end());
}

AGENTKIT_DECL scripted_provider::scripted_provider(scripted_provider&&) noexcept = default;
AGENTKIT_DECL scripted_provider& scripted_provider::operator=(scripted_provider&&) noexcept = default;
AGENTKIT_DECL scripted_provider::~scripted_provider() = default;

AGENTKIT_DECL scripted_provider& scripted_provider::then(step s) {
    std::lock_guard lock(s_->mutex);
    s_->script.push_back(std::move(s));
    return *this;
}

AGENTKIT_DECL scripted_provider& scripted_provider::otherwise(std::function<step(const chat_request&)> rule) {
    std::lock_guard lock(s_->mutex);
    s_->rule = std::move(rule);
    return *this;
}

AGENTKIT_DECL std::vector<std::vector<float>> scripted_provider::embed(const std::vector<std::string>& inputs) {
    std::vector<std::vector<float>> out;
    for (const auto& s : inputs) {
        std::vector<float> v(8, 0.0f);
        for (unsigned char c : s) v[c % 8] += 1.0f;
        out.push_back(std::move(v));
    }
    return out;
}

AGENTKIT_DECL std::vector<chat_request> scripted_provider::requests() const {
    std::lock_guard lock(s_->mutex);
    return s_->requests;
}

AGENTKIT_DECL std::size_t scripted_provider::calls() const {
    std::lock_guard lock(s_->mutex);
    return s_->calls;
}

AGENTKIT_DECL std::size_t scripted_provider::remaining() const {
    std::lock_guard lock(s_->mutex);
    return s_->script.size();
}

AGENTKIT_DECL void scripted_provider::record_requests(bool on) { s_->record = on; }

AGENTKIT_DECL chat_response scripted_provider::respond(const chat_request& request, const delta_callback* on_delta) {
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
            s = step::reply("echo: " + detail::last_user(request));
        }
    }
    if (s.latency.count() > 0) cfg_.sleep(s.latency);
    if (s.failure) throw *s.failure;

    usage u{prompt_tokens(request), tokens(s.content)};
    for (const auto& c : s.calls) u.completion_tokens += tokens(c.name) + tokens(c.arguments);
    if (on_delta) {
        const std::size_t piece = cfg_.stream_piece_chars ? cfg_.stream_piece_chars : 1;
        for (std::size_t i = 0; i < s.content.size(); i += piece)
            (*on_delta)(chat_delta{s.content.substr(i, piece), {}});
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

AGENTKIT_DECL std::uint64_t scripted_provider::tokens(const std::string& s) const {
    const auto r = cfg_.chars_per_token ? cfg_.chars_per_token : 1;
    return (s.size() + r - 1) / r;
}

AGENTKIT_DECL std::uint64_t scripted_provider::prompt_tokens(const chat_request& request) const {
    std::uint64_t n = 0;
    for (const auto& m : request.messages) {
        n += tokens(m.content());
        for (const auto& c : m.tool_calls()) n += tokens(c.name) + tokens(c.arguments);
    }
    return n;
}

}  // namespace agentkit::model
