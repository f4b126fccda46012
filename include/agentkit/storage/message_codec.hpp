#pragma once
// A compact binary encoding of tool calls and whole message lists, for SQLite blobs and checkpoints.
// Length-prefixed (LEB128) fields; decoding never trusts a length: a truncated or corrupted blob is an
// agentkit::error (parse_error) naming what was being read, never a crash or an over-read. A count is
// checked against the bytes that remain before anything is allocated, and against decode_limits: a small
// hostile blob of empty entries would otherwise decode to ~30 times its size in objects.
#include <agentkit/core/error.hpp>
#include <agentkit/core/message.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::storage::codec {

// How much one decode may build (capacity_exceeded naming the knob beyond it). Counts are totals over
// the whole blob. Worst case ~128 bytes per message and ~96 per tool call, plus the blob's own bytes.
struct decode_limits {
    std::size_t max_messages = std::size_t{1} << 20;    // messages in one checkpoint
    std::size_t max_tool_calls = std::size_t{1} << 20;  // tool calls in one blob, all messages together
};

namespace detail {
inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}
inline void put_string(std::string& out, std::string_view s) {
    put_varint(out, s.size());
    out.append(s);
}

class reader {
public:
    reader(std::string_view data, const char* what) : data_(data), what_(what) {}
    std::uint64_t varint(const char* field) {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos_ >= data_.size()) fail(field, "ends inside a length");
            const auto b = static_cast<unsigned char>(data_[pos_++]);
            if (shift == 63 && b > 1) fail(field, "has a length beyond 64 bits");  // its bits would be lost
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
        fail(field, "has an over-long length");
    }
    std::string string(const char* field) {
        const auto n = varint(field);
        if (n > data_.size() - pos_) fail(field, "claims more bytes than remain");
        std::string s(data_.substr(pos_, n));
        pos_ += n;
        return s;
    }
    std::uint8_t byte(const char* field) {
        if (pos_ >= data_.size()) fail(field, "is missing");
        return static_cast<std::uint8_t>(data_[pos_++]);
    }
    bool done() const noexcept { return pos_ == data_.size(); }
    std::size_t remaining() const noexcept { return data_.size() - pos_; }
    [[noreturn]] void fail(const char* field, const char* why) const {
        throw error(errc::parse_error, std::string(field) + " " + why + " at byte " + std::to_string(pos_), what_);
    }

private:
    std::string_view data_;
    std::size_t pos_ = 0;
    const char* what_;
};

inline void put_calls(std::string& out, const std::vector<tool_call>& calls) {
    put_varint(out, calls.size());
    for (const auto& c : calls) {
        put_string(out, c.id);
        put_string(out, c.name);
        put_string(out, c.arguments);
    }
}
[[noreturn]] inline void over_limit(const char* what, std::size_t max, const char* knob) {
    throw error(errc::capacity_exceeded, std::string(what) + " in one blob exceed " + std::to_string(max), knob);
}
// Room reserved up front: a count is a claim until its entries decode, so past this the vector grows as
// they do.
inline constexpr std::uint64_t reserve_ahead = 64;

// `budget` is what remains of limits.max_tool_calls for this blob.
inline std::vector<tool_call> get_calls(reader& in, std::size_t& budget, const decode_limits& limits) {
    const auto n = in.varint("tool_calls.count");
    if (n > in.remaining() / 3) in.fail("tool_calls.count", "is larger than the blob can hold");
    if (n > budget) over_limit("tool calls", limits.max_tool_calls, "codec.max_tool_calls");
    budget -= static_cast<std::size_t>(n);
    std::vector<tool_call> calls;
    calls.reserve(static_cast<std::size_t>(n < reserve_ahead ? n : reserve_ahead));
    for (std::uint64_t i = 0; i < n; ++i) {
        tool_call c;
        c.id = in.string("tool_calls.id");
        c.name = in.string("tool_calls.name");
        c.arguments = in.string("tool_calls.arguments");
        calls.push_back(std::move(c));
    }
    return calls;
}
}  // namespace detail

// Tool calls of one assistant message (the `tool_calls` column).
inline std::string encode_tool_calls(const std::vector<tool_call>& calls) {
    std::string out;
    detail::put_calls(out, calls);
    return out;
}
inline std::vector<tool_call> decode_tool_calls(std::string_view blob, const decode_limits& limits = {}) {
    detail::reader in(blob, "messages.tool_calls");
    std::size_t budget = limits.max_tool_calls;
    auto calls = detail::get_calls(in, budget, limits);
    if (!in.done()) in.fail("tool_calls", "has trailing bytes");
    return calls;
}

inline constexpr std::string_view messages_magic = "AKM1";

// Appends one length-prefixed field in this encoding: for a caller that adds fields of its own after a
// message list (the agent's response-cache prompt adds the offered tools and the sampling settings).
inline void append_field(std::string& out, std::string_view field) { detail::put_string(out, field); }

// A whole message list (a conversation checkpoint).
inline std::string encode_messages(std::span<const message> messages) {
    std::string out(messages_magic);
    detail::put_varint(out, messages.size());
    for (const auto& m : messages) {
        out.push_back(static_cast<char>(m.role()));
        std::uint32_t bits = 0;
        const float imp = m.importance();
        std::memcpy(&bits, &imp, sizeof bits);
        detail::put_varint(out, bits);
        detail::put_string(out, m.content());
        detail::put_string(out, m.name());
        detail::put_string(out, m.tool_call_id());
        detail::put_calls(out, m.tool_calls());
    }
    return out;
}

inline std::vector<message> decode_messages(std::string_view blob, const decode_limits& limits = {}) {
    detail::reader in(blob, "checkpoint");
    if (blob.substr(0, messages_magic.size()) != messages_magic) in.fail("header", "is not AKM1");
    in = detail::reader(blob.substr(messages_magic.size()), "checkpoint");
    const auto n = in.varint("count");
    if (n > in.remaining() / 6) in.fail("count", "is larger than the blob can hold");  // 6: role, importance, 4 lengths
    if (n > limits.max_messages) detail::over_limit("messages", limits.max_messages, "codec.max_messages");
    std::size_t call_budget = limits.max_tool_calls;
    std::vector<message> out;
    out.reserve(static_cast<std::size_t>(n < detail::reserve_ahead ? n : detail::reserve_ahead));
    for (std::uint64_t i = 0; i < n; ++i) {
        const auto r = in.byte("role");
        if (r > static_cast<std::uint8_t>(role::tool)) in.fail("role", "is not a known role");
        const auto bits = in.varint("importance");
        if (bits > 0xFFFFFFFFu) in.fail("importance", "is out of range");
        float imp = 0;
        const auto b32 = static_cast<std::uint32_t>(bits);
        std::memcpy(&imp, &b32, sizeof imp);
        message m(static_cast<role>(r), in.string("content"));
        auto name = in.string("name");
        auto call_id = in.string("tool_call_id");
        auto calls = detail::get_calls(in, call_budget, limits);
        if (role(r) == role::tool) {
            if (!calls.empty()) in.fail("tool_calls", "is set on a tool result");
            m = message::tool_result(std::move(call_id), m.content(), std::move(name));
        } else {
            if (!call_id.empty()) in.fail("tool_call_id", "is set on a message that is not a tool result");
            m.set_name(std::move(name));
            for (auto& c : calls) m.add_tool_call(std::move(c));
        }
        if (!(imp >= 0.0f && imp <= 1.0f)) in.fail("importance", "is outside [0, 1]");
        m.set_importance(imp);
        agentkit::validate(m, std::string("checkpoint.messages[").append(std::to_string(i)).append("]"));
        out.push_back(std::move(m));
    }
    if (!in.done()) in.fail("messages", "has trailing bytes");
    return out;
}

}  // namespace agentkit::storage::codec
