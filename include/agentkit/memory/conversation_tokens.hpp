#pragma once
// conversation_tokens: the running token total of a conversation, so "how full is the context?" costs O(1)
// amortised per new message instead of a pass over the history. Appends are counted once (each message also caches its own
// count); any other change to the conversation (replace, clear, at()) bumps conversation::revision() and
// the next call recounts from the per-message caches.
#include <agentkit/core/conversation.hpp>
#include <agentkit/text/token_counter.hpp>

#include <cstddef>
#include <cstdint>

namespace agentkit::memory {

template <text::token_counter Counter>
class conversation_tokens {
public:
    conversation_tokens() = default;
    // tokens_per_message: framing each message costs on the wire (OpenAI's chat format: about 3).
    explicit conversation_tokens(Counter counter, std::size_t tokens_per_message = 3)
        : counter_(std::move(counter)), per_message_(tokens_per_message) {}

    std::size_t total(const conversation& c) {
        if (&c != conv_ || c.revision() != revision_ || c.size() < counted_) {
            conv_ = &c;
            revision_ = c.revision();
            counted_ = 0;
            total_ = 0;
        }
        for (; counted_ < c.size(); ++counted_) total_ += c[counted_].token_count(counter_) + per_message_;
        return total_;
    }
    std::size_t tokens(const message& m) const { return m.token_count(counter_) + per_message_; }
    const Counter& counter() const noexcept { return counter_; }
    void reset() noexcept { conv_ = nullptr; }

private:
    Counter counter_{};
    std::size_t per_message_ = 3;
    const conversation* conv_ = nullptr;
    std::uint64_t revision_ = 0;
    std::size_t counted_ = 0;
    std::size_t total_ = 0;
};

}  // namespace agentkit::memory
