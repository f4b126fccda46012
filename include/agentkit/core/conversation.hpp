#pragma once
// An ordered history of messages, grouped into turns. A turn starts at a user message and runs to the
// next one, so an assistant's tool calls and their tool results always share a turn: cutting the history
// at turn starts never orphans a tool result.
#include <agentkit/core/error.hpp>
#include <agentkit/core/message.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace agentkit {

class conversation {
public:
    conversation() = default;
    explicit conversation(std::vector<message> messages) : messages_(std::move(messages)) {}

    // Appends after validating the message alone and against the history (a tool result must answer a
    // tool call made earlier). Throws agentkit::error naming the field.
    message& append(message m) {
        const auto field = message_field(messages_.size());
        agentkit::validate(m, field);
        if (m.role() == role::tool && !answers_known_call(m.tool_call_id()))
            throw_invalid_field(field + ".tool_call_id",
                                "'" + m.tool_call_id() + "' answers no earlier assistant tool call");
        messages_.push_back(std::move(m));
        return messages_.back();
    }

    std::span<const message> messages() const noexcept { return messages_; }
    std::size_t size() const noexcept { return messages_.size(); }
    bool empty() const noexcept { return messages_.empty(); }
    const message& operator[](std::size_t i) const { return messages_[i]; }
    auto begin() const noexcept { return messages_.begin(); }
    auto end() const noexcept { return messages_.end(); }
    void clear() noexcept {
        messages_.clear();
        ++revision_;
    }

    // Bumped by every change other than append (clear, replace, mutable access), so a cache of
    // per-prefix sums (memory/conversation_tokens.hpp) knows when to recount. Appends leave it unchanged.
    std::uint64_t revision() const noexcept { return revision_; }

    // Mutable access to one message (e.g. to clear a tool result's content); bumps the revision.
    message& at(std::size_t i) {
        if (i >= messages_.size())
            throw_invalid_field("index",
                                std::to_string(i) + " is outside a history of " + std::to_string(messages_.size()));
        ++revision_;
        return messages_[i];
    }

    // The leading system message, if any.
    const message* system_prompt() const noexcept {
        return !messages_.empty() && messages_.front().role() == role::system ? &messages_.front() : nullptr;
    }

    // Index of the first message of each turn (each user message).
    std::vector<std::size_t> turn_starts() const {
        std::vector<std::size_t> starts;
        for (std::size_t i = 0; i < messages_.size(); ++i)
            if (messages_[i].role() == role::user) starts.push_back(i);
        return starts;
    }
    std::size_t turn_count() const noexcept {
        std::size_t n = 0;
        for (const auto& m : messages_) n += m.role() == role::user;
        return n;
    }

    // Sum of per-message token counts; each message caches its own, so repeated calls are cheap.
    template <class Counter>
    std::size_t token_count(const Counter& counter) const {
        std::size_t n = 0;
        for (const auto& m : messages_) n += m.token_count(counter);
        return n;
    }

    // Replaces messages [first, last) with `replacement` (e.g. a summary). Used by compaction.
    void replace(std::size_t first, std::size_t last, std::vector<message> replacement) {
        if (first > last || last > messages_.size()) {
            std::string detail = "[";
            detail.append(std::to_string(first)).append(", ").append(std::to_string(last));
            detail.append(") is outside a history of ").append(std::to_string(messages_.size()));
            throw_invalid_field("range", std::move(detail));
        }
        auto at = messages_.erase(messages_.begin() + static_cast<std::ptrdiff_t>(first),
                                  messages_.begin() + static_cast<std::ptrdiff_t>(last));
        messages_.insert(at, std::make_move_iterator(replacement.begin()), std::make_move_iterator(replacement.end()));
        ++revision_;
    }

    // Whole-history check: every message valid and every tool result answering an earlier call.
    void validate() const {
        std::unordered_set<std::string> calls;
        for (std::size_t i = 0; i < messages_.size(); ++i) {
            const auto field = message_field(i);
            agentkit::validate(messages_[i], field);
            for (const auto& c : messages_[i].tool_calls()) calls.insert(c.id);
            if (messages_[i].role() == role::tool && !calls.contains(messages_[i].tool_call_id()))
                throw_invalid_field(field + ".tool_call_id",
                                    "'" + messages_[i].tool_call_id() + "' answers no earlier assistant tool call");
        }
    }

private:
    // Error messages here are built with append(), not "literal" + std::to_string(n): g++ 12 at -O3 reports
    // a false -Wstringop-overflow / -Wrestrict inside that operator+ (GCC bugs 105329, 105651), which would
    // break a user's -Werror Release build that includes this header.
    static std::string message_field(std::size_t i) {
        std::string field = "messages[";
        field.append(std::to_string(i)).push_back(']');
        return field;
    }

    bool answers_known_call(const std::string& id) const {
        // Tool results follow their call closely: scan back to the latest assistant message with calls.
        for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
            for (const auto& c : it->tool_calls())
                if (c.id == id) return true;
            if (it->role() == role::user) break;
        }
        return false;
    }

    std::vector<message> messages_;
    std::uint64_t revision_ = 0;
};

}  // namespace agentkit
