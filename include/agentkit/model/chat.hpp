#pragma once
// The provider-neutral shape of one model call: a request (model, messages, tools), its response (an
// assistant message, why it stopped, token usage), and the deltas a streaming call delivers on the way.
#include <agentkit/core/message.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agentkit::model {

// A tool the model may call: name, description and the JSON schema of its arguments (an object's text).
struct tool_spec {
    std::string name;
    std::string description;
    std::string parameters_schema = R"({"type":"object","properties":{}})";
};

struct usage {
    std::uint64_t prompt_tokens = 0;
    std::uint64_t completion_tokens = 0;
    std::uint64_t total() const noexcept { return prompt_tokens + completion_tokens; }
    usage& operator+=(const usage& o) noexcept {
        prompt_tokens += o.prompt_tokens;
        completion_tokens += o.completion_tokens;
        return *this;
    }
    friend bool operator==(const usage&, const usage&) = default;
};

struct chat_request {
    std::string model;  // may be empty: the provider or router fills its default
    std::vector<message> messages;
    std::vector<tool_spec> tools;
    std::optional<double> temperature;
    std::optional<std::uint32_t> max_tokens;
};

struct chat_response {
    message reply = message::assistant("");
    std::string finish_reason;  // "stop", "tool_calls", "length", ...
    usage tokens;
    std::string model;          // the model that answered (after routing and fallbacks)
};

// One piece of a tool call as it streams: the first piece of call `index` carries id and name, later ones
// carry more of the arguments text.
struct tool_call_delta {
    std::size_t index = 0;
    std::string id;
    std::string name;
    std::string arguments;
};

struct chat_delta {
    std::string content;
    std::vector<tool_call_delta> tool_calls;
};

// Folds streamed deltas into the final response; providers use it, so a stream and a non-stream call of
// the same reply give equal responses.
class delta_accumulator {
public:
    void add(const chat_delta& d) {
        content_ += d.content;
        for (const auto& t : d.tool_calls) {
            if (t.index >= calls_.size()) calls_.resize(t.index + 1);
            auto& c = calls_[t.index];
            if (!t.id.empty()) c.id = t.id;
            c.name += t.name;
            c.arguments += t.arguments;
        }
    }
    chat_response finish(std::string finish_reason, usage tokens, std::string model) {
        chat_response r;
        std::vector<tool_call> calls;
        for (auto& c : calls_)
            if (!c.name.empty()) calls.push_back(std::move(c));
        r.reply = message::assistant(std::move(content_), std::move(calls));
        r.finish_reason = std::move(finish_reason);
        r.tokens = tokens;
        r.model = std::move(model);
        content_.clear();
        calls_.clear();
        return r;
    }

private:
    std::string content_;
    std::vector<tool_call> calls_;
};

}  // namespace agentkit::model
