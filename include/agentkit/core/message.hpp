#pragma once
// One chat message in the OpenAI shape: role, content, optional name, the tool calls an assistant makes,
// the tool-call id a tool result answers, plus what agentkit adds: an importance score that compaction
// respects, and a cached token count so a history is never re-tokenised.
#include <agentkit/core/error.hpp>
#include <agentkit/core/role.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit {

// A function call requested by the model. `arguments` is the JSON object text exactly as received.
struct tool_call {
    std::string id;
    std::string name;
    std::string arguments;

    friend bool operator==(const tool_call&, const tool_call&) = default;
};

namespace detail {
// One address per counter type: identifies which counter filled a message's token cache.
template <class Counter>
inline constexpr char counter_identity = 0;
}  // namespace detail

class message {
public:
    message() = default;
    message(agentkit::role r, std::string content) : role_(r), content_(std::move(content)) {}

    static message system(std::string content) { return {role::system, std::move(content)}; }
    static message user(std::string content) { return {role::user, std::move(content)}; }
    static message assistant(std::string content, std::vector<tool_call> calls = {}) {
        message m{role::assistant, std::move(content)};
        m.tool_calls_ = std::move(calls);
        return m;
    }
    static message tool_result(std::string call_id, std::string content, std::string tool_name = {}) {
        message m{role::tool, std::move(content)};
        m.tool_call_id_ = std::move(call_id);
        m.name_ = std::move(tool_name);
        return m;
    }

    agentkit::role role() const noexcept { return role_; }
    const std::string& content() const noexcept { return content_; }
    const std::string& name() const noexcept { return name_; }
    const std::vector<tool_call>& tool_calls() const noexcept { return tool_calls_; }
    const std::string& tool_call_id() const noexcept { return tool_call_id_; }
    float importance() const noexcept { return importance_; }

    // Setters that touch the content drop the cached token count.
    message& set_content(std::string content) {
        content_ = std::move(content);
        cached_by_ = nullptr;
        return *this;
    }
    message& append_content(std::string_view more) {
        content_.append(more);
        cached_by_ = nullptr;
        return *this;
    }
    message& set_name(std::string name) {
        name_ = std::move(name);
        return *this;
    }
    message& add_tool_call(tool_call call) {
        tool_calls_.push_back(std::move(call));
        cached_by_ = nullptr;
        return *this;
    }
    // 0 (default) .. 1; compaction keeps messages at or above its importance_threshold verbatim.
    message& set_importance(float importance) {
        if (!(importance >= 0.0f && importance <= 1.0f))
            throw_invalid_field("importance",
                                std::string("must be within [0, 1], got ").append(std::to_string(importance)));
        importance_ = importance;
        return *this;
    }

    // Token count of the content plus tool-call names and arguments, computed once per counter type.
    // Counter is any type with count(std::string_view) -> std::size_t (see text/token_counter.hpp).
    template <class Counter>
    std::size_t token_count(const Counter& counter) const {
        const void* id = &detail::counter_identity<Counter>;
        if (cached_by_ != id) {
            std::size_t n = counter.count(content_);
            for (const auto& call : tool_calls_) n += counter.count(call.name) + counter.count(call.arguments);
            cached_tokens_ = n;
            cached_by_ = id;
        }
        return cached_tokens_;
    }
    bool has_cached_token_count() const noexcept { return cached_by_ != nullptr; }

    friend bool operator==(const message& a, const message& b) {
        return a.role_ == b.role_ && a.content_ == b.content_ && a.name_ == b.name_ && a.tool_calls_ == b.tool_calls_ &&
            a.tool_call_id_ == b.tool_call_id_ && a.importance_ == b.importance_;
    }

private:
    agentkit::role role_ = role::user;
    float importance_ = 0.0f;
    std::string content_;
    std::string name_;
    std::vector<tool_call> tool_calls_;
    std::string tool_call_id_;
    mutable std::size_t cached_tokens_ = 0;
    mutable const void* cached_by_ = nullptr;
};

// Checks one message on its own; `field` prefixes error messages ("messages[4]").
inline void validate(const message& m, const std::string& field = "message") {
    if (m.role() == role::tool && m.tool_call_id().empty())
        throw_invalid_field(field + ".tool_call_id", "a tool message must name the tool call it answers");
    if (m.role() != role::tool && !m.tool_call_id().empty())
        throw_invalid_field(field + ".tool_call_id", "only tool messages answer a tool call");
    if (m.role() != role::assistant && !m.tool_calls().empty())
        throw_invalid_field(field + ".tool_calls", "only assistant messages may call tools");
    for (std::size_t i = 0; i < m.tool_calls().size(); ++i) {
        const auto& call = m.tool_calls()[i];
        const auto at = field + ".tool_calls[" + std::to_string(i) + "]";
        if (call.id.empty()) throw_invalid_field(at + ".id", "is empty");
        if (call.name.empty()) throw_invalid_field(at + ".function.name", "is empty");
    }
}

}  // namespace agentkit
