#pragma once
// Conversation memory types (LangChain's ConversationBuffer/Window/Summary/SummaryBuffer memories, Assistant
// Worker's memory types): what of a long conversation goes back into the next prompt.
//   buffer_memory          everything (short conversations, < 20 messages)
//   window_memory          the system prompt + the last k turns (medium conversations)
//   summary_memory         the system prompt + one running summary (long conversations)
//   summary_buffer_memory  the system prompt + a summary of old turns + recent messages within max_token_limit
// load(query) takes the user's next input so that vector and entity memories (the search layer) fit the
// same concept: they retrieve by the query; the four here ignore it.
#include <agentkit/core/message.hpp>
#include <agentkit/memory/summarizer.hpp>
#include <agentkit/memory/tool_pairs.hpp>
#include <agentkit/text/chars_per_token.hpp>

#include <concepts>
#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::memory {

template <class M>
concept conversation_memory = requires(M& memory, message m, std::string_view query) {
    memory.save(std::move(m));
    { memory.load(query) } -> std::convertible_to<std::vector<message>>;
    memory.clear();
};

class buffer_memory {
public:
    void save(message m) { messages_.push_back(std::move(m)); }
    std::vector<message> load(std::string_view = {}) const { return messages_; }
    void clear() { messages_.clear(); }
    std::size_t size() const noexcept { return messages_.size(); }

private:
    std::vector<message> messages_;
};

struct window_config {
    std::size_t k = 5;  // turns kept (LangChain's ConversationBufferWindowMemory default)
};

class window_memory {
public:
    using config = window_config;
    window_memory() = default;
    explicit window_memory(config cfg) : cfg_(cfg) {}

    void save(message m) {
        if (m.role() == role::system && messages_.empty() && !system_) {
            system_ = std::move(m);
            return;
        }
        if (m.role() == role::user) ++turns_;
        messages_.push_back(std::move(m));
        while (turns_ > cfg_.k) {  // drop the oldest turn whole (its tool pairs go with it)
            messages_.pop_front();
            while (!messages_.empty() && messages_.front().role() != role::user) messages_.pop_front();
            --turns_;
        }
    }
    std::vector<message> load(std::string_view = {}) const {
        std::vector<message> out;
        if (system_) out.push_back(*system_);
        out.insert(out.end(), messages_.begin(), messages_.end());
        return out;
    }
    void clear() {
        messages_.clear();
        system_.reset();
        turns_ = 0;
    }

private:
    config cfg_{};
    std::optional<message> system_;
    std::deque<message> messages_;
    std::size_t turns_ = 0;
};

struct summary_memory_config {
    std::size_t summary_max_tokens = 2048;
};

// Summarises lazily: new messages wait until the next load(), which folds them into the summary.
template <summarizer Summarizer = extractive_summarizer<>>
class summary_memory {
public:
    using config = summary_memory_config;
    summary_memory() = default;
    explicit summary_memory(config cfg, Summarizer s = Summarizer{}) : cfg_(cfg), summarize_(std::move(s)) {}

    void save(message m) {
        if (m.role() == role::system && !system_ && pending_.empty() && summary_.empty()) {
            system_ = std::move(m);
            return;
        }
        pending_.push_back(std::move(m));
    }
    std::vector<message> load(std::string_view = {}) {
        fold();
        std::vector<message> out;
        if (system_) out.push_back(*system_);
        if (!summary_.empty()) out.push_back(summary_message(summary_));
        return out;
    }
    void clear() {
        system_.reset();
        pending_.clear();
        summary_.clear();
    }
    const std::string& summary() {
        fold();
        return summary_;
    }

    static message summary_message(std::string text) {
        auto m = message::system(std::move(text));
        m.set_name(std::string(summary_name));
        return m;
    }

private:
    void fold() {
        if (pending_.empty()) return;
        std::vector<message> input;
        if (!summary_.empty()) input.push_back(summary_message(summary_));
        input.insert(input.end(), pending_.begin(), pending_.end());
        summary_ = summarize_(std::span<const message>(input), cfg_.summary_max_tokens);
        pending_.clear();
    }
    config cfg_{};
    Summarizer summarize_{};
    std::optional<message> system_;
    std::vector<message> pending_;
    std::string summary_;
};

struct summary_buffer_memory_config {
    std::size_t max_token_limit = 2000;  // recent messages kept verbatim (LangChain's default)
    std::size_t summary_max_tokens = 2048;
};

template <text::token_counter Counter = text::chars_per_token<4>,
          summarizer Summarizer = extractive_summarizer<Counter>>
class summary_buffer_memory {
public:
    using config = summary_buffer_memory_config;
    summary_buffer_memory() = default;
    explicit summary_buffer_memory(config cfg, Summarizer s = Summarizer{}, Counter c = Counter{})
        : cfg_(cfg), summarize_(std::move(s)), counter_(std::move(c)) {}

    void save(message m) {
        if (m.role() == role::system && !system_ && buffer_.empty() && summary_.empty()) {
            system_ = std::move(m);
            return;
        }
        buffer_tokens_ += m.token_count(counter_);
        buffer_.push_back(std::move(m));
        // Over the limit: move the oldest units (a tool call travels with its results) to the summary queue,
        // but never the newest message.
        while (buffer_tokens_ > cfg_.max_token_limit && buffer_.size() > 1) {
            const auto units = tool_units(std::span<const message>(buffer_.data(), buffer_.size()));
            const auto end = units.front().second;
            if (end >= buffer_.size()) break;
            for (std::size_t i = 0; i < end; ++i) {
                buffer_tokens_ -= buffer_[i].token_count(counter_);
                pending_.push_back(std::move(buffer_[i]));
            }
            buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(end));
        }
    }
    std::vector<message> load(std::string_view = {}) {
        fold();
        std::vector<message> out;
        if (system_) out.push_back(*system_);
        if (!summary_.empty()) out.push_back(summary_memory<Summarizer>::summary_message(summary_));
        out.insert(out.end(), buffer_.begin(), buffer_.end());
        return out;
    }
    void clear() {
        system_.reset();
        buffer_.clear();
        pending_.clear();
        summary_.clear();
        buffer_tokens_ = 0;
    }
    std::size_t buffer_tokens() const noexcept { return buffer_tokens_; }

private:
    void fold() {
        if (pending_.empty()) return;
        std::vector<message> input;
        if (!summary_.empty()) input.push_back(summary_memory<Summarizer>::summary_message(summary_));
        input.insert(input.end(), pending_.begin(), pending_.end());
        summary_ = summarize_(std::span<const message>(input), cfg_.summary_max_tokens);
        pending_.clear();
    }
    config cfg_{};
    Summarizer summarize_{};
    Counter counter_{};
    std::optional<message> system_;
    std::vector<message> buffer_;
    std::vector<message> pending_;
    std::string summary_;
    std::size_t buffer_tokens_ = 0;
};

static_assert(conversation_memory<buffer_memory>);
static_assert(conversation_memory<window_memory>);
static_assert(conversation_memory<summary_memory<>>);
static_assert(conversation_memory<summary_buffer_memory<>>);

}  // namespace agentkit::memory
