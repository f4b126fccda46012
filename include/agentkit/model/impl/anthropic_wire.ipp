#pragma once
// The definitions of anthropic_wire.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/role.hpp>
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>
#include <agentkit/model/anthropic_wire.hpp>

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
    into.cache_creation = json::uint_member(u, "cache_creation_input_tokens", f + ".cache_creation_input_tokens")
                              .value_or(into.cache_creation);
    into.cache_read =
        json::uint_member(u, "cache_read_input_tokens", f + ".cache_read_input_tokens").value_or(into.cache_read);
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

AGENTKIT_DECL std::string encode_request(const chat_request& r, std::string_view default_model,
                                         std::uint32_t default_max_tokens, bool stream) {
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
            case role::user: open("user").blocks.push_back({detail::block::kind::text, m.content(), {}, {}, {}}); break;
            case role::tool:
                open("user").blocks.push_back(
                    {detail::block::kind::tool_result, m.content(), m.tool_call_id(), {}, {}});
                break;
            case role::assistant: {
                auto& t = open("assistant");
                // The API refuses an empty text block; an assistant turn of only tool calls has none.
                if (!m.content().empty() || m.tool_calls().empty())
                    t.blocks.push_back({detail::block::kind::text, m.content(), {}, {}, {}});
                for (std::size_t j = 0; j < m.tool_calls().size(); ++j) {
                    const auto& c = m.tool_calls()[j];
                    std::string_view input =
                        detail::trim(c.arguments);  // verbatim otherwise: numbers keep their digits
                    if (input.empty()) {
                        input = "{}";
                    } else if (!detail::is_json_object(input)) {
                        throw_invalid_field(
                            std::string("messages[")
                                .append(std::to_string(i))
                                .append("].tool_calls[")
                                .append(std::to_string(j))
                                .append("].arguments"),
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
                throw_invalid_field(std::string("tools[").append(std::to_string(i)).append("].input_schema"),
                                    "the schema of tool '" + t.name + "' is not valid JSON");
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
    } catch (const error&) {}
    if (!understood) text = std::string(body.substr(0, 300));
    if (!type.empty()) text += (text.empty() ? "(" : " (") + type + ")";
    if (http_status >= 400) return error_from_status(http_status, std::move(text), retry_after);

    std::string detail =
        "the server reported an error mid-stream: " + (text.empty() ? std::string("(no message)") : text);
    const std::string field = "stream event.error";
    if (type == "rate_limit_error")
        return {errc::rate_limited, std::move(detail), http_status, true, retry_after, field};
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
        if (!delta || !delta->IsObject())
            throw error(errc::parse_error, "missing or not an object", "content_block_delta.delta");
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
                throw error(errc::parse_error,
                            std::string("input_json_delta for block ")
                                .append(std::to_string(index))
                                .append(", which is not a tool_use block"),
                            "content_block_delta.index");
            tool_call_delta t;
            t.index = tool->second;
            t.arguments =
                json::string_member(*delta, "partial_json", "content_block_delta.delta.partial_json").value_or("");
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
        if (!b || !b->IsObject())
            throw error(errc::parse_error, "missing or not an object", "content_block_start.content_block");
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
                        std::string("more than ")
                            .append(std::to_string(limits_.max_streamed_tool_calls))
                            .append(" tool calls in one response"),
                        "model.max_streamed_tool_calls");
        tool_call_delta t;
        t.index = tool_count_;
        t.id = detail::tool_id_or_default(json::string_member(*b, "id", "content_block_start.content_block.id"),
                                          tool_count_);
        t.name = json::string_member(*b, "name", "content_block_start.content_block.name").value_or("");
        if (t.name.empty()) throw error(errc::parse_error, "is empty", "content_block_start.content_block.name");
        // The API starts a tool_use block with an empty input and streams it as input_json_delta; a
        // server that sends the input whole here is taken at its word.
        if (const json::value* input = json::member(*b, "input")) {
            if (!input->IsObject())
                throw error(errc::parse_error, "must be an object", "content_block_start.content_block.input");
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
        if (const json::value* u = json::member(*m, "usage"))
            detail::read_usage(usage_, *u, "message_start.message.usage");
        if (auto stop = json::string_member(*m, "stop_reason", "message_start.message.stop_reason"))
            stop_reason_ = *stop;
        return std::nullopt;
    }
    if (type == "message_delta") {
        if (const json::value* delta = json::member(d, "delta"))
            if (auto stop = json::string_member(*delta, "stop_reason", "message_delta.delta.stop_reason"))
                stop_reason_ = *stop;
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

// ---- the server's side ------------------------------------------------------------------------------------
namespace detail {
inline std::string at(std::string_view base, std::size_t i) {
    return std::string(base).append("[").append(std::to_string(i)).append("]");
}

// Text of a string or of an array of text blocks (system, tool_result content).
inline std::string text_of(const json::value& v, const std::string& field) {
    if (v.IsString()) return std::string(json::as_string_view(v));
    if (!v.IsArray()) throw_invalid_field(field, "must be a string or an array of text blocks");
    std::string out;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        const auto f = at(field, i);
        const auto type = json::string_member(v[i], "type", f + ".type");
        if (!type || *type != "text")
            throw_invalid_field(
                f + ".type",
                std::string("only text blocks are supported here, not '").append(type.value_or("")).append("'"));
        const auto text = json::string_member(v[i], "text", f + ".text");
        if (!text) throw_invalid_field(f + ".text", "missing");
        if (!out.empty()) out.append("\n");
        out.append(*text);
    }
    return out;
}

inline void write_event(std::string& out, std::string_view type, const json::string_buffer& sb) {
    out.append("event: ").append(type).append("\ndata: ").append(sb.GetString(), sb.GetSize()).append("\n\n");
}

inline void write_usage(json::writer& w, const usage& u) {
    json::write_key(w, "usage");
    w.StartObject();
    json::write_key(w, "input_tokens");
    w.Uint64(u.prompt_tokens);
    json::write_key(w, "output_tokens");
    w.Uint64(u.completion_tokens);
    w.EndObject();
}
}  // namespace detail

AGENTKIT_DECL incoming_messages decode_request(std::string_view body, const request_limits& limits) {
    json::parse_limits pl;
    pl.max_depth = limits.max_depth;
    const auto d = json::parse(body, "request body", pl);
    if (!d.IsObject()) throw_invalid_field("request body", "must be a JSON object");
    incoming_messages in;
    auto& rq = in.request;
    rq.model = std::string(json::string_member(d, "model", "model").value_or(""));
    if (const auto n = json::uint_member(d, "max_tokens", "max_tokens")) {
        if (*n > UINT32_MAX) throw_invalid_field("max_tokens", "too large");
        rq.max_tokens = static_cast<std::uint32_t>(*n);
    }
    if (const json::value* t = json::member(d, "temperature")) {
        if (!t->IsNumber()) throw_invalid_field("temperature", "must be a number");
        rq.temperature = t->GetDouble();
    }
    if (const json::value* s = json::member(d, "stream")) {
        if (!s->IsBool()) throw_invalid_field("stream", "must be true or false");
        in.stream = s->GetBool();
    }
    if (const json::value* sys = json::member(d, "system"))
        rq.messages.push_back(message::system(detail::text_of(*sys, "system")));
    const json::value* msgs = json::member(d, "messages");
    if (!msgs || !msgs->IsArray()) throw_invalid_field("messages", "missing or not an array");
    if (msgs->Size() > limits.max_messages)
        throw error(
            errc::capacity_exceeded,
            std::string("more than ").append(std::to_string(limits.max_messages)).append(" messages in one request"),
            "model.max_request_messages");
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
        const auto field = detail::at("messages", i);
        const json::value& m = (*msgs)[i];
        if (!m.IsObject()) throw_invalid_field(field, "must be an object");
        const auto role_name = json::string_member(m, "role", field + ".role").value_or("");
        if (role_name != "user" && role_name != "assistant")
            throw_invalid_field(field + ".role",
                                std::string("must be user or assistant, not '").append(role_name).append("'"));
        const bool user = role_name == "user";
        const json::value* content = json::member(m, "content");
        if (!content) throw_invalid_field(field + ".content", "missing");
        if (content->IsString()) {
            rq.messages.push_back(user ? message::user(std::string(json::as_string_view(*content)))
                                       : message::assistant(std::string(json::as_string_view(*content))));
            continue;
        }
        if (!content->IsArray())
            throw_invalid_field(field + ".content", "must be a string or an array of content blocks");
        std::string text;
        std::vector<tool_call> calls;
        for (rapidjson::SizeType k = 0; k < content->Size(); ++k) {
            const auto bf = detail::at(field + ".content", k);
            const json::value& b = (*content)[k];
            const auto type = json::string_member(b, "type", bf + ".type").value_or("");
            if (type == "text") {
                const auto t = json::string_member(b, "text", bf + ".text");
                if (!t) throw_invalid_field(bf + ".text", "missing");
                if (!text.empty()) text.append("\n");
                text.append(*t);
            } else if (type == "tool_use" && !user) {
                tool_call c;
                c.id = std::string(json::string_member(b, "id", bf + ".id").value_or(""));
                c.name = std::string(json::string_member(b, "name", bf + ".name").value_or(""));
                if (c.id.empty()) throw_invalid_field(bf + ".id", "missing or empty");
                if (c.name.empty()) throw_invalid_field(bf + ".name", "missing or empty");
                const json::value* input = json::member(b, "input");
                if (input && !input->IsObject()) throw_invalid_field(bf + ".input", "must be an object");
                c.arguments = input ? json::to_string(*input) : std::string("{}");
                calls.push_back(std::move(c));
            } else if (type == "tool_result" && user) {
                const auto id = json::string_member(b, "tool_use_id", bf + ".tool_use_id");
                if (!id || id->empty()) throw_invalid_field(bf + ".tool_use_id", "missing or empty");
                const json::value* rc = json::member(b, "content");
                rq.messages.push_back(
                    message::tool_result(std::string(*id), rc ? detail::text_of(*rc, bf + ".content") : std::string()));
            } else {
                throw_invalid_field(bf + ".type",
                                    std::string("unsupported content block '")
                                        .append(type)
                                        .append("' in a ")
                                        .append(role_name)
                                        .append(" message"));
            }
        }
        if (user) {
            if (!text.empty()) rq.messages.push_back(message::user(std::move(text)));
        } else {
            rq.messages.push_back(message::assistant(std::move(text), std::move(calls)));
        }
    }
    if (const json::value* tools = json::member(d, "tools")) {
        if (!tools->IsArray()) throw_invalid_field("tools", "must be an array");
        if (tools->Size() > limits.max_tools)
            throw error(
                errc::capacity_exceeded,
                std::string("more than ").append(std::to_string(limits.max_tools)).append(" tools in one request"),
                "model.max_request_tools");
        for (rapidjson::SizeType i = 0; i < tools->Size(); ++i) {
            const auto field = detail::at("tools", i);
            const json::value& t = (*tools)[i];
            tool_spec spec;
            spec.name = std::string(json::string_member(t, "name", field + ".name").value_or(""));
            if (spec.name.empty()) throw_invalid_field(field + ".name", "missing or empty");
            spec.description = std::string(json::string_member(t, "description", field + ".description").value_or(""));
            if (const json::value* schema = json::member(t, "input_schema")) {
                if (!schema->IsObject()) throw_invalid_field(field + ".input_schema", "must be a JSON schema object");
                spec.parameters_schema = json::to_string(*schema);
            }
            rq.tools.push_back(std::move(spec));
        }
    }
    return in;
}

AGENTKIT_DECL std::string stop_reason_of(std::string_view finish_reason) {
    if (finish_reason == "length") return "max_tokens";
    if (finish_reason == "tool_calls") return "tool_use";
    if (finish_reason == "content_filter") return "refusal";
    return "end_turn";
}

AGENTKIT_DECL std::string encode_response(const chat_response& r, std::string_view id) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "id");
    json::write_string(w, id);
    json::write_key(w, "type");
    w.String("message");
    json::write_key(w, "role");
    w.String("assistant");
    json::write_key(w, "model");
    json::write_string(w, r.model);
    json::write_key(w, "content");
    w.StartArray();
    if (!r.reply.content().empty()) detail::write_block(w, {detail::block::kind::text, r.reply.content(), {}, {}, {}});
    for (const auto& c : r.reply.tool_calls()) {
        const std::string input = detail::is_json_object(c.arguments) ? c.arguments : std::string("{}");
        detail::write_block(w, {detail::block::kind::tool_use, {}, c.id, c.name, input});
    }
    w.EndArray();
    json::write_key(w, "stop_reason");
    json::write_string(
        w, stop_reason_of(r.finish_reason.empty() && !r.reply.tool_calls().empty() ? "tool_calls" : r.finish_reason));
    json::write_key(w, "stop_sequence");
    w.Null();
    detail::write_usage(w, r.tokens);
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

AGENTKIT_DECL std::string stream_encoder::start_if_needed() {
    if (started_) return {};
    started_ = true;
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "type");
    w.String("message_start");
    json::write_key(w, "message");
    w.StartObject();
    json::write_key(w, "id");
    json::write_string(w, id_);
    json::write_key(w, "type");
    w.String("message");
    json::write_key(w, "role");
    w.String("assistant");
    json::write_key(w, "model");
    json::write_string(w, model_);
    json::write_key(w, "content");
    w.StartArray();
    w.EndArray();
    json::write_key(w, "stop_reason");
    w.Null();
    json::write_key(w, "stop_sequence");
    w.Null();
    detail::write_usage(w, {});
    w.EndObject();
    w.EndObject();
    std::string out;
    detail::write_event(out, "message_start", sb);
    return out;
}

AGENTKIT_DECL std::string stream_encoder::close_block() {
    if (open_ == block::none) return {};
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "type");
    w.String("content_block_stop");
    json::write_key(w, "index");
    w.Uint64(next_index_ - 1);
    w.EndObject();
    open_ = block::none;
    std::string out;
    detail::write_event(out, "content_block_stop", sb);
    return out;
}

AGENTKIT_DECL std::string stream_encoder::delta(const chat_delta& d) {
    std::string out = start_if_needed();
    auto block_start = [&](auto&& write_block_body) {
        json::string_buffer sb;
        json::writer w(sb);
        w.StartObject();
        json::write_key(w, "type");
        w.String("content_block_start");
        json::write_key(w, "index");
        w.Uint64(next_index_);
        json::write_key(w, "content_block");
        w.StartObject();
        write_block_body(w);
        w.EndObject();
        w.EndObject();
        detail::write_event(out, "content_block_start", sb);
        ++next_index_;
    };
    auto block_delta = [&](std::string_view delta_type, std::string_view key, std::string_view text) {
        json::string_buffer sb;
        json::writer w(sb);
        w.StartObject();
        json::write_key(w, "type");
        w.String("content_block_delta");
        json::write_key(w, "index");
        w.Uint64(next_index_ - 1);
        json::write_key(w, "delta");
        w.StartObject();
        json::write_key(w, "type");
        json::write_string(w, delta_type);
        json::write_key(w, key);
        json::write_string(w, text);
        w.EndObject();
        w.EndObject();
        detail::write_event(out, "content_block_delta", sb);
    };
    if (!d.content.empty()) {
        if (open_ != block::text) {
            out.append(close_block());
            block_start([](json::writer& w) {
                json::write_key(w, "type");
                w.String("text");
                json::write_key(w, "text");
                w.String("");
            });
            open_ = block::text;
        }
        block_delta("text_delta", "text", d.content);
    }
    for (const auto& t : d.tool_calls) {
        if (!t.id.empty() || open_ != block::tool || open_tool_ != t.index) {
            out.append(close_block());
            const std::string id = t.id.empty() ? std::string("toolu_").append(std::to_string(t.index)) : t.id;
            block_start([&](json::writer& w) {
                json::write_key(w, "type");
                w.String("tool_use");
                json::write_key(w, "id");
                json::write_string(w, id);
                json::write_key(w, "name");
                json::write_string(w, t.name);
                json::write_key(w, "input");
                w.StartObject();
                w.EndObject();
            });
            open_ = block::tool;
            open_tool_ = t.index;
        }
        if (!t.arguments.empty()) block_delta("input_json_delta", "partial_json", t.arguments);
    }
    return out;
}

AGENTKIT_DECL std::string stream_encoder::finish(std::string_view finish_reason, const usage& u) {
    std::string out = start_if_needed();
    out.append(close_block());
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "type");
    w.String("message_delta");
    json::write_key(w, "delta");
    w.StartObject();
    json::write_key(w, "stop_reason");
    json::write_string(w, stop_reason_of(finish_reason));
    json::write_key(w, "stop_sequence");
    w.Null();
    w.EndObject();
    detail::write_usage(w, u);
    w.EndObject();
    detail::write_event(out, "message_delta", sb);
    out.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    return out;
}

AGENTKIT_DECL std::string stream_encoder::error_event(std::string_view message, std::string_view type) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "type");
    w.String("error");
    json::write_key(w, "error");
    w.StartObject();
    json::write_key(w, "type");
    json::write_string(w, type);
    json::write_key(w, "message");
    json::write_string(w, message);
    w.EndObject();
    w.EndObject();
    std::string out;
    detail::write_event(out, "error", sb);
    return out;
}

}  // namespace agentkit::model::anthropic
