#pragma once
// How the agent's cache slot sees a model call: the prompt is every byte the model sees (the messages in
// storage/message_codec.hpp's encoding, then the offered tools and the sampling settings as fields of that
// encoding) and the cached value is the reply message in the same encoding. The cache key is
// cache/response_key.hpp's layout (model, NUL, prompt), the one cache::response_cache uses, so an agent's
// cache and a response cache built by hand agree on what one entry is.
#include <agentkit/cache/response_key.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/storage/message_codec.hpp>

#include <span>
#include <string>
#include <string_view>

namespace agentkit::detail {

inline std::string request_prompt(const model::chat_request& r) {
    std::string k = storage::codec::encode_messages(r.messages);
    for (const auto& t : r.tools) {
        storage::codec::append_field(k, t.name);
        storage::codec::append_field(k, t.description);
        storage::codec::append_field(k, t.parameters_schema);
    }
    storage::codec::append_field(k, r.temperature ? std::to_string(*r.temperature) : std::string());
    storage::codec::append_field(k, r.max_tokens ? std::to_string(*r.max_tokens) : std::string());
    return k;
}

inline std::string cache_key(const model::chat_request& r) { return cache::response_key(r.model, request_prompt(r)); }

inline std::string encode_response(const model::chat_response& r) {
    return storage::codec::encode_messages(std::span<const message>(&r.reply, 1));
}

// A cached answer: the reply of the model the request named; usage zero (a cached answer costs no tokens).
inline model::chat_response decode_response(std::string_view v, const model::chat_request& request) {
    auto messages = storage::codec::decode_messages(v);
    if (messages.size() != 1 || messages.front().role() != role::assistant)
        throw error(errc::parse_error, "a cached response is not one assistant message", "cache");
    model::chat_response r;
    r.reply = std::move(messages.front());
    r.finish_reason = r.reply.tool_calls().empty() ? "stop" : "tool_calls";
    r.model = request.model;
    return r;
}

}  // namespace agentkit::detail
