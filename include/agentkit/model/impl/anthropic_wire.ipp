#pragma once
// The definitions of anthropic_wire.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/role.hpp>
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/model/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::model::anthropic {

namespace detail {
// One block of a request message, before it is written.
struct block {
    enum class kind { text, tool_use, tool_result } what = kind::text;
    std::string_view text;  // text, or a tool result's content
    std::string_view id;    // tool_use id, or the tool_use_id a result answers
    std::string_view name;
    std::string_view input;  // tool_use: one JSON object
};
struct turn {
    std::string_view role;  // "user" or "assistant"
    std::vector<block> blocks;
};

inline std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

inline bool is_json_object(std::string_view text) { return text.starts_with('{') && json::is_valid(text); }

inline void write_block(json::writer& w, const block& b) {
    w.StartObject();
    json::write_key(w, "type");
    switch (b.what) {
        case block::kind::text:
            w.String("text");
            json::write_key(w, "text");
            json::write_string(w, b.text);
            break;
        case block::kind::tool_use:
            w.String("tool_use");
            json::write_key(w, "id");
            json::write_string(w, b.id);
            json::write_key(w, "name");
            json::write_string(w, b.name);
            json::write_key(w, "input");
            json::write_raw(w, b.input);
            break;
        case block::kind::tool_result:
            w.String("tool_result");
            json::write_key(w, "tool_use_id");
            json::write_string(w, b.id);
            if (!b.text.empty()) {  // the API refuses an empty text; a result without content is allowed
                json::write_key(w, "content");
                json::write_string(w, b.text);
            }
            break;
    }
    w.EndObject();
}

// Reads a "usage" object into `into`; fields it lacks keep their value.
inline void read_usage(raw_usage& into, const json::value& u, std::string_view field) {
    const std::string f(field);
    into.input = json::uint_member(u, "input_tokens", f + ".input_tokens").value_or(into.input);
    into.cache_creation = json::uint_member(u, "cache_creation_input_tokens", f + ".cache_creation_input_tokens").value_or(into.cache_creation);
    into.cache_read = json::uint_member(u, "cache_read_input_tokens", f + ".cache_read_input_tokens").value_or(into.cache_read);
    into.output = json::uint_member(u, "output_tokens", f + ".output_tokens").value_or(into.output);
}

inline std::string tool_id_or_default(std::optional<std::string_view> id, std::size_t index) {
    if (id && !id->empty()) return std::string(*id);
    return std::string("toolu_").append(std::to_string(index));
}

inline std::uint64_t block_index(const json::value& d, std::string_view field) {
    // Any index is read as sent: only tool_use blocks are remembered, and they are bounded in number.
    const auto index = json::uint_member(d, "index", field);
    if (!index) throw error(errc::parse_error, "missing", std::string(field));
    return *index;
}
}  // namespace detail


AGENTKIT_DECL std::string encode_request(const chat_request& r, std::string_view default_model, std::uint32_t default_max_tokens,
                                         bool stream) {
    std::string system;
    std::vector<detail::turn> turns;
    auto open = [&](std::string_view role) -> detail::turn& {
        if (turns.empty() || turns.back().role != role) turns.push_back({role, {}});
        return turns.back();
    };
    for (std::size_t i = 0; i < r.messages.size(); ++i) {
        const message& m = r.messages[i];
        switch (m.role()) {
            case role::system:
                if (!system.empty() && !m.content().empty()) system += "\n\n";
                system += m.content();
                break;
            case role::user:
                open("user").blocks.push_back({detail::block::kind::text, m.content(), {}, {}, {}});
                break;
            case role::tool:
                open("user").blocks.push_back({detail::block::kind::tool_result, m.content(), m.tool_call_id(), {}, {}});
                break;
            case role::assistant: {
                auto& t = open("assistant");
                // The API refuses an empty text block; an assistant turn of only tool calls has none.
                if (!m.content().empty() || m.tool_calls().empty())
                    t.blocks.push_back({detail::block::kind::text, m.content(), {}, {}, {}});
                for (std::size_t j = 0; j < m.tool_calls().size(); ++j) {
                    const auto& c = m.tool_calls()[j];
                    std::string_view input = detail::trim(c.arguments);  // verbatim otherwise: numbers keep their digits
                    if (input.empty()) {
                        input = "{}";
                    } else if (!detail::is_json_object(input)) {
                        throw_invalid_field(std::string("messages[").append(std::to_string(i)).append("].tool_calls[").append(std::to_string(j)).append("].arguments"),
                                            "the arguments of tool call '" + c.id +
                                                "' are not a JSON object, which the Messages API requires as a tool_use input");
                    }
                    t.blocks.push_back({detail::block::kind::tool_use, {}, c.id, c.name, input});
                }
                break;
            }
        }
    }

    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "model");
    json::write_string(w, r.model.empty() ? default_model : std::string_view(r.model));
    json::write_key(w, "max_tokens");
    w.Uint(r.max_tokens.value_or(default_max_tokens));
    if (!system.empty()) {
        json::write_key(w, "system");
        json::write_string(w, system);
    }
    json::write_key(w, "messages");
    w.StartArray();
    for (const auto& t : turns) {
        w.StartObject();
        json::write_key(w, "role");
        json::write_string(w, t.role);
        json::write_key(w, "content");
        if (t.blocks.size() == 1 && t.blocks[0].what == detail::block::kind::text) {
            json::write_string(w, t.blocks[0].text);  // the plain form for a turn of one text
        } else {
            // The API wants a user turn's tool_result blocks before any text.
            w.StartArray();
            for (const auto& b : t.blocks)
                if (b.what == detail::block::kind::tool_result) detail::write_block(w, b);
            for (const auto& b : t.blocks)
                if (b.what != detail::block::kind::tool_result) detail::write_block(w, b);
            w.EndArray();
        }
        w.EndObject();
    }
    w.EndArray();
    if (!r.tools.empty()) {
        json::write_key(w, "tools");
        w.StartArray();
        for (std::size_t i = 0; i < r.tools.size(); ++i) {
            const auto& t = r.tools[i];
            if (!json::is_valid(t.parameters_schema))
                throw_invalid_field(std::string("tools[").append(std::to_string(i)).append("].input_schema"), "the schema of tool '" + t.name + "' is not valid JSON");
            w.StartObject();
            json::write_key(w, "name");
            json::write_string(w, t.name);
            if (!t.description.empty()) {
                json::write_key(w, "description");
                json::write_string(w, t.description);
            }
            json::write_key(w, "input_schema");
            json::write_raw(w, t.parameters_schema);
            w.EndObject();
        }
        w.EndArray();
    }
    if (r.temperature) {
        json::write_key(w, "temperature");
        w.Double(*r.temperature);
    }
    if (stream) {
        json::write_key(w, "stream");
        w.Bool(true);
    }
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

AGENTKIT_DECL std::string finish_reason_of(std::string_view stop_reason) {
    if (stop_reason == "end_turn" || stop_reason == "stop_sequence") return "stop";
    if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
    if (stop_reason == "tool_use") return "tool_calls";
    if (stop_reason == "refusal") return "content_filter";
    return std::string(stop_reason);
}

AGENTKIT_DECL std::string canonical_arguments(std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return "{}";
    try {
        return json::to_string(json::parse(text, "tool input"));
    } catch (const error&) {
        return std::string(text);
    }
}


AGENTKIT_DECL provider_error decode_error(int http_status, std::string_view body,
                                   std::optional<std::chrono::milliseconds> retry_after) {
    std::string type, text;
    bool understood = false;
    try {
        const auto d = json::parse(body, "error body");
        if (const json::value* e = json::member(d, "error"); e && e->IsObject()) {
            type = json::string_member(*e, "type", "error.type").value_or("");
            text = json::string_member(*e, "message", "error.message").value_or("");
            understood = true;
        }
    } catch (const error&) {
    }
    if (!understood) text = std::string(body.substr(0, 300));
    if (!type.empty()) text += (text.empty() ? "(" : " (") + type + ")";
    if (http_status >= 400) return error_from_status(http_status, std::move(text), retry_after);

    std::string detail = "the server reported an error mid-stream: " + (text.empty() ? std::string("(no message)") : text);
    const std::string field = "stream event.error";
    if (type == "rate_limit_error") return {errc::rate_limited, std::move(detail), http_status, true, retry_after, field};
    if (type == "timeout_error") return {errc::timeout, std::move(detail), http_status, true, retry_after, field};
    if (type == "not_found_error") return {errc::not_found, std::move(detail), http_status, false, std::nullopt, field};
    if (type == "invalid_request_error" || type == "authentication_error" || type == "permission_error" ||
        type == "request_too_large" || type == "billing_error")
        return {errc::invalid_argument, std::move(detail), http_status, false, std::nullopt, field};
    return {errc::unavailable, std::move(detail), http_status, true, retry_after, field};
}

AGENTKIT_DECL chat_response decode_response(std::string_view body) {
    const auto d = json::parse(body, "response body");
    if (!d.IsObject()) throw error(errc::parse_error, "is not a JSON object", "response body");
    if (json::string_member(d, "type", "type") == "error") throw decode_error(200, body);  // a proxy's error in a 200
    const json::value* content = json::member(d, "content");
    if (!content || !content->IsArray()) throw error(errc::parse_error, "missing or not an array", "content");
    std::string text;
    std::vector<tool_call> calls;
    for (rapidjson::SizeType i = 0; i < content->Size(); ++i) {
        const auto field = std::string("content[").append(std::to_string(i)).append("]");
        const json::value& b = (*content)[i];
        const auto type = json::string_member(b, "type", field + ".type");
        if (!type) throw error(errc::parse_error, "missing", field + ".type");
        if (*type == "text") {
            text += json::string_member(b, "text", field + ".text").value_or("");
        } else if (*type == "tool_use") {
            tool_call c;
            c.id = detail::tool_id_or_default(json::string_member(b, "id", field + ".id"), calls.size());
            c.name = json::string_member(b, "name", field + ".name").value_or("");
            if (c.name.empty()) throw error(errc::parse_error, "is empty", field + ".name");
            const json::value* input = json::member(b, "input");
            if (input && !input->IsObject()) throw error(errc::parse_error, "must be an object", field + ".input");
            c.arguments = input ? json::to_string(*input) : "{}";
            calls.push_back(std::move(c));
        }  // thinking, redacted_thinking, server tool blocks, ...: no place in agentkit's message
    }
    detail::raw_usage u;
    if (const json::value* v = json::member(d, "usage")) detail::read_usage(u, *v, "usage");
    chat_response r;
    r.reply = message::assistant(std::move(text), std::move(calls));
    r.finish_reason = finish_reason_of(json::string_member(d, "stop_reason", "stop_reason").value_or(""));
    r.tokens = u.total();
    r.model = json::string_member(d, "model", "model").value_or("");
    return r;
}

AGENTKIT_DECL std::optional<chat_delta> stream_decoder::decode(std::string_view event_type, std::string_view data) {
        const auto d = json::parse(data, "stream event");
        if (!d.IsObject()) throw error(errc::parse_error, "is not a JSON object", "stream event");
        const std::string_view type = json::string_member(d, "type", "stream event.type").value_or(event_type);

        if (type == "content_block_delta") {
            const std::uint64_t index = detail::block_index(d, "content_block_delta.index");
            const json::value* delta = json::member(d, "delta");
            if (!delta || !delta->IsObject()) throw error(errc::parse_error, "missing or not an object", "content_block_delta.delta");
            const auto kind = json::string_member(*delta, "type", "content_block_delta.delta.type").value_or("");
            if (kind == "text_delta") {
                chat_delta out;
                out.content = json::string_member(*delta, "text", "content_block_delta.delta.text").value_or("");
                if (out.content.empty()) return std::nullopt;
                return out;
            }
            if (kind == "input_json_delta") {
                const auto tool = tools_.find(index);
                if (tool == tools_.end())
                    throw error(errc::parse_error, std::string("input_json_delta for block ").append(std::to_string(index)).append(", which is not a tool_use block"),
                                "content_block_delta.index");
                tool_call_delta t;
                t.index = tool->second;
                t.arguments = json::string_member(*delta, "partial_json", "content_block_delta.delta.partial_json").value_or("");
                if (t.arguments.empty()) return std::nullopt;
                chat_delta out;
                out.tool_calls.push_back(std::move(t));
                return out;
            }
            return std::nullopt;  // thinking_delta, signature_delta, citations_delta, ...
        }
        if (type == "content_block_start") {
            const std::uint64_t index = detail::block_index(d, "content_block_start.index");
            const json::value* b = json::member(d, "content_block");
            if (!b || !b->IsObject()) throw error(errc::parse_error, "missing or not an object", "content_block_start.content_block");
            const auto kind = json::string_member(*b, "type", "content_block_start.content_block.type").value_or("");
            if (kind == "text") {
                chat_delta out;
                out.content = json::string_member(*b, "text", "content_block_start.content_block.text").value_or("");
                if (out.content.empty()) return std::nullopt;
                return out;
            }
            if (kind != "tool_use") return std::nullopt;
            if (tool_count_ >= limits_.max_streamed_tool_calls)
                throw error(errc::capacity_exceeded,
                            std::string("more than ").append(std::to_string(limits_.max_streamed_tool_calls)).append(" tool calls in one response"),
                            "model.max_streamed_tool_calls");
            tool_call_delta t;
            t.index = tool_count_;
            t.id = detail::tool_id_or_default(json::string_member(*b, "id", "content_block_start.content_block.id"), tool_count_);
            t.name = json::string_member(*b, "name", "content_block_start.content_block.name").value_or("");
            if (t.name.empty()) throw error(errc::parse_error, "is empty", "content_block_start.content_block.name");
            // The API starts a tool_use block with an empty input and streams it as input_json_delta; a
            // server that sends the input whole here is taken at its word.
            if (const json::value* input = json::member(*b, "input")) {
                if (!input->IsObject()) throw error(errc::parse_error, "must be an object", "content_block_start.content_block.input");
                if (!input->ObjectEmpty()) t.arguments = json::to_string(*input);
            }
            tools_[index] = tool_count_++;
            chat_delta out;
            out.tool_calls.push_back(std::move(t));
            return out;
        }
        if (type == "message_start") {
            const json::value* m = json::member(d, "message");
            if (!m || !m->IsObject()) throw error(errc::parse_error, "missing or not an object", "message_start.message");
            if (auto model = json::string_member(*m, "model", "message_start.message.model")) model_ = *model;
            if (const json::value* u = json::member(*m, "usage")) detail::read_usage(usage_, *u, "message_start.message.usage");
            if (auto stop = json::string_member(*m, "stop_reason", "message_start.message.stop_reason")) stop_reason_ = *stop;
            return std::nullopt;
        }
        if (type == "message_delta") {
            if (const json::value* delta = json::member(d, "delta"))
                if (auto stop = json::string_member(*delta, "stop_reason", "message_delta.delta.stop_reason")) stop_reason_ = *stop;
            // Counts here are cumulative: they replace what message_start said.
            if (const json::value* u = json::member(d, "usage")) detail::read_usage(usage_, *u, "message_delta.usage");
            return std::nullopt;
        }
        if (type == "message_stop") {
            done_ = true;
            return std::nullopt;
        }
        if (type == "error") throw decode_error(200, data);
        return std::nullopt;  // content_block_stop, ping, and event types added after this was written
    }

}  // namespace agentkit::model::anthropic
