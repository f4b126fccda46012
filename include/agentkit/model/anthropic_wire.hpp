#pragma once
// The Anthropic Messages API wire format (POST /v1/messages): requests written with RapidJSON's Writer
// straight into one buffer; responses, stream events and error bodies read with the bounded json::parse.
// Every malformed input is an agentkit::error(parse_error) naming the field ("content[1].input"), never a
// crash; an error the server reports is a provider_error classified for the retry machinery.
//
// How agentkit's OpenAI-shaped conversation maps onto it:
//   system messages           -> the top-level "system" (one string; several are joined by a blank line,
//                                in order, wherever they stood in the conversation)
//   user message              -> {"role":"user","content":"..."}
//   assistant message         -> {"role":"assistant","content":[text block, tool_use blocks]} with each call's
//                                arguments as the block's "input" object (empty arguments -> {})
//   tool results              -> one user message of tool_result blocks (consecutive results together);
//                                a user message next to them joins that message as a text block after
//                                the results (the API wants tool_result blocks first); consecutive
//                                messages of one role become one turn, as the API would merge them anyway
//   tools                     -> {"name","description","input_schema"}
//   stop_reason               -> finish_reason: end_turn / stop_sequence -> "stop", max_tokens /
//                                model_context_window_exceeded -> "length", tool_use -> "tool_calls",
//                                refusal -> "content_filter", anything else as sent
//   usage                     -> prompt_tokens = input_tokens + cache_creation_input_tokens +
//                                cache_read_input_tokens (what the prompt cost in all), completion = output
// Dropped, as agentkit's message has no place for them: a message's name, thinking and redacted_thinking
// blocks, server tool blocks and citations.
#include <agentkit/core/error.hpp>
#include <agentkit/core/role.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/json.hpp>
#include <agentkit/model/provider_error.hpp>

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
}  // namespace detail

// The Messages request body. `default_model` stands in for an empty r.model; `default_max_tokens` for an
// unset r.max_tokens (the API requires it). A tool-call argument text that is not a JSON object, or a tool
// schema that is not valid JSON, is invalid_argument naming the field: the API takes only objects there.
inline std::string encode_request(const chat_request& r, std::string_view default_model, std::uint32_t default_max_tokens,
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

// The Messages API's stop_reason in agentkit's (OpenAI's) vocabulary.
inline std::string finish_reason_of(std::string_view stop_reason) {
    if (stop_reason == "end_turn" || stop_reason == "stop_sequence") return "stop";
    if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
    if (stop_reason == "tool_use") return "tool_calls";
    if (stop_reason == "refusal") return "content_filter";
    return std::string(stop_reason);
}

// A tool call's arguments in one canonical form, so a streamed reply (whose input arrives as JSON text in
// pieces) and a whole one (whose input arrives as an object) give equal responses: compact JSON, "{}" for
// none. Text that does not parse (a stream cut at max_tokens) is kept as it came.
inline std::string canonical_arguments(std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return "{}";
    try {
        return json::to_string(json::parse(text, "tool input"));
    } catch (const error&) {
        return std::string(text);
    }
}

namespace detail {
// The token counts of a "usage" object; fields it lacks keep their value in `into`.
struct raw_usage {
    std::uint64_t input = 0, cache_creation = 0, cache_read = 0, output = 0;
    void read(const json::value& u, std::string_view field) {
        const std::string f(field);
        input = json::uint_member(u, "input_tokens", f + ".input_tokens").value_or(input);
        cache_creation = json::uint_member(u, "cache_creation_input_tokens", f + ".cache_creation_input_tokens").value_or(cache_creation);
        cache_read = json::uint_member(u, "cache_read_input_tokens", f + ".cache_read_input_tokens").value_or(cache_read);
        output = json::uint_member(u, "output_tokens", f + ".output_tokens").value_or(output);
    }
    usage total() const noexcept { return {input + cache_creation + cache_read, output}; }
};

inline std::string tool_id_or_default(std::optional<std::string_view> id, std::size_t index) {
    if (id && !id->empty()) return std::string(*id);
    return std::string("toolu_").append(std::to_string(index));
}
}  // namespace detail

// An error the server reported, as a provider_error for the retry machinery. With an HTTP error status the
// status decides, as the resilience layer's classifier does (429, 5xx and Anthropic's 529 "overloaded"
// retry; 400, 401, 403, 404, 413 do not). Without one (an error event inside a 200 stream) the error's
// type decides: overloaded_error, api_error -> unavailable, rate_limit_error -> rate_limited,
// timeout_error -> timeout, all retried; invalid_request_error, authentication_error, permission_error,
// request_too_large, billing_error -> invalid_argument and not_found_error -> not_found, not retried; an
// unknown type is retried as unavailable (a stream the server broke off). The message reads
// "<message> (<type>)", so the classifier's message patterns see the type.
inline provider_error decode_error(int http_status, std::string_view body,
                                   std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
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

inline chat_response decode_response(std::string_view body) {
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
    if (const json::value* v = json::member(d, "usage")) u.read(*v, "usage");
    chat_response r;
    r.reply = message::assistant(std::move(text), std::move(calls));
    r.finish_reason = finish_reason_of(json::string_member(d, "stop_reason", "stop_reason").value_or(""));
    r.tokens = u.total();
    r.model = json::string_member(d, "model", "model").value_or("");
    return r;
}

// Reads a Messages stream one SSE event at a time. Each event gives at most one chat_delta (text, or a
// tool call's id and name, or more of its input JSON); message-level facts (model, usage, stop reason, the
// end) are kept here. Content block indexes, which count text and tool_use blocks alike and may be any
// number the server sends, map to tool-call indexes 0, 1, 2, ... in the order tool_use blocks start; a
// tool_use block at or past limits.max_streamed_tool_calls is capacity_exceeded, so what the decoder holds
// stays bounded too. ping and unknown event types (the API adds some over time) are ignored; an error
// event throws the classified provider_error (decode_error).
class stream_decoder {
public:
    stream_decoder() = default;
    explicit stream_decoder(delta_accumulator::config limits) : limits_(limits) {}

    // `event_type` is the SSE event's name; the payload's own "type" takes precedence when present.
    std::optional<chat_delta> decode(std::string_view event_type, std::string_view data) {
        const auto d = json::parse(data, "stream event");
        if (!d.IsObject()) throw error(errc::parse_error, "is not a JSON object", "stream event");
        const std::string_view type = json::string_member(d, "type", "stream event.type").value_or(event_type);

        if (type == "content_block_delta") {
            const std::uint64_t index = block_index(d, "content_block_delta.index");
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
            const std::uint64_t index = block_index(d, "content_block_start.index");
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
            if (const json::value* u = json::member(*m, "usage")) usage_.read(*u, "message_start.message.usage");
            if (auto stop = json::string_member(*m, "stop_reason", "message_start.message.stop_reason")) stop_reason_ = *stop;
            return std::nullopt;
        }
        if (type == "message_delta") {
            if (const json::value* delta = json::member(d, "delta"))
                if (auto stop = json::string_member(*delta, "stop_reason", "message_delta.delta.stop_reason")) stop_reason_ = *stop;
            // Counts here are cumulative: they replace what message_start said.
            if (const json::value* u = json::member(d, "usage")) usage_.read(*u, "message_delta.usage");
            return std::nullopt;
        }
        if (type == "message_stop") {
            done_ = true;
            return std::nullopt;
        }
        if (type == "error") throw decode_error(200, data);
        return std::nullopt;  // content_block_stop, ping, and event types added after this was written
    }

    // True once message_stop arrived: the answer is complete.
    bool done() const noexcept { return done_; }
    std::string finish_reason() const { return finish_reason_of(stop_reason_); }
    usage tokens() const noexcept { return usage_.total(); }
    const std::string& model() const noexcept { return model_; }

private:
    static std::uint64_t block_index(const json::value& d, std::string_view field) {
        // Any index is read as sent: only tool_use blocks are remembered, and they are bounded in number.
        const auto index = json::uint_member(d, "index", field);
        if (!index) throw error(errc::parse_error, "missing", std::string(field));
        return *index;
    }

    delta_accumulator::config limits_{};
    std::map<std::uint64_t, std::size_t> tools_;  // content block index -> tool-call index
    std::size_t tool_count_ = 0;
    detail::raw_usage usage_;
    std::string model_;
    std::string stop_reason_;
    bool done_ = false;
};

}  // namespace agentkit::model::anthropic
