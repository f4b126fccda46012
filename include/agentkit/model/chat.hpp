#pragma once
// The provider-neutral shape of one model call: a request (model, messages, tools), its response (an
// assistant message, why it stopped, token usage), and the deltas a streaming call delivers on the way.
#include <agentkit/core/error.hpp>
#include <agentkit/core/message.hpp>
#include <agentkit/core/tool_spec.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agentkit::model {

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
    std::string model;  // the model that answered (after routing and fallbacks)
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

// What a server (the gateway) accepts in one client request, whichever wire it speaks.
struct request_limits {
    // Messages in one request: past it, capacity_exceeded naming "model.max_request_messages".
    std::size_t max_messages = 100000;
    // Tools offered in one request: past it, capacity_exceeded naming "model.max_request_tools".
    std::size_t max_tools = 1024;
    // Nesting of the body's JSON (json.max_depth).
    std::size_t max_depth = 256;
};

// Folds streamed deltas into the final response; providers use it, so a stream and a non-stream call of
// the same reply give equal responses. What it holds is bounded: a stream that never ends, or a delta that
// names tool call 4000000000, is a capacity_exceeded error naming the knob, never unbounded growth. A delta
// that would pass a limit is refused whole; what was folded before it stays as it was.
class delta_accumulator {
public:
    struct config {
        // Bytes of content, tool-call ids, names and arguments one stream may deliver in all; past it:
        // capacity_exceeded, field "model.max_streamed_bytes". 64 MiB, as the transport's limit on a
        // non-streamed body: a streamed reply may be as large as a complete one, no larger.
        std::size_t max_streamed_bytes = 64u << 20;
        // Tool calls one response may hold: a delta whose index is at or past this fails with
        // capacity_exceeded, field "model.max_streamed_tool_calls". Models call a handful at a time.
        std::size_t max_streamed_tool_calls = 1024;
    };

    delta_accumulator() = default;
    explicit delta_accumulator(config cfg) : cfg_(cfg) {}

    void add(const chat_delta& d) {
        std::size_t bytes = d.content.size();
        for (const auto& t : d.tool_calls) {
            if (t.index >= cfg_.max_streamed_tool_calls)
                throw error(errc::capacity_exceeded,
                            std::string("tool-call index ")
                                .append(std::to_string(t.index))
                                .append(" is past the limit of ")
                                .append(std::to_string(cfg_.max_streamed_tool_calls))
                                .append(" tool calls in one response"),
                            "model.max_streamed_tool_calls");
            bytes += t.id.size() + t.name.size() + t.arguments.size();
        }
        if (bytes > cfg_.max_streamed_bytes - streamed_)
            throw error(errc::capacity_exceeded,
                        std::string("the streamed response exceeds ")
                            .append(std::to_string(cfg_.max_streamed_bytes))
                            .append(" bytes"),
                        "model.max_streamed_bytes");
        streamed_ += bytes;
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
        streamed_ = 0;
        return r;
    }

    // Bytes folded in since construction or the last finish().
    std::size_t streamed_bytes() const noexcept { return streamed_; }

private:
    config cfg_{};
    std::string content_;
    std::vector<tool_call> calls_;
    std::size_t streamed_ = 0;
};

}  // namespace agentkit::model
