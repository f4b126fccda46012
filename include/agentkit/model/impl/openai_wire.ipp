#pragma once
// The definitions of openai_wire.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/role.hpp>
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>
#include <agentkit/model/openai_wire.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::model::openai {

AGENTKIT_DECL std::string encode_chat_request(const chat_request& r, std::string_view default_model, bool stream) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "model");
    json::write_string(w, r.model.empty() ? default_model : std::string_view(r.model));
    json::write_key(w, "messages");
    w.StartArray();
    for (const auto& m : r.messages) {
        w.StartObject();
        json::write_key(w, "role");
        json::write_string(w, to_string(m.role()));
        json::write_key(w, "content");
        if (m.role() == role::assistant && m.content().empty() && !m.tool_calls().empty())
            w.Null();
        else
            json::write_string(w, m.content());
        if (!m.name().empty() && m.role() != role::tool) {
            json::write_key(w, "name");
            json::write_string(w, m.name());
        }
        if (m.role() == role::tool) {
            json::write_key(w, "tool_call_id");
            json::write_string(w, m.tool_call_id());
        }
        if (!m.tool_calls().empty()) {
            json::write_key(w, "tool_calls");
            w.StartArray();
            for (const auto& c : m.tool_calls()) {
                w.StartObject();
                json::write_key(w, "id");
                json::write_string(w, c.id);
                json::write_key(w, "type");
                w.String("function");
                json::write_key(w, "function");
                w.StartObject();
                json::write_key(w, "name");
                json::write_string(w, c.name);
                json::write_key(w, "arguments");  // a string holding JSON, as the API wants
                json::write_string(w, c.arguments);
                w.EndObject();
                w.EndObject();
            }
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
                throw_invalid_field(std::string("tools[").append(std::to_string(i)).append("].function.parameters"),
                                    "the schema of tool '" + t.name + "' is not valid JSON");
            w.StartObject();
            json::write_key(w, "type");
            w.String("function");
            json::write_key(w, "function");
            w.StartObject();
            json::write_key(w, "name");
            json::write_string(w, t.name);
            if (!t.description.empty()) {
                json::write_key(w, "description");
                json::write_string(w, t.description);
            }
            json::write_key(w, "parameters");
            json::write_raw(w, t.parameters_schema);
            w.EndObject();
            w.EndObject();
        }
        w.EndArray();
    }
    if (r.temperature) {
        json::write_key(w, "temperature");
        w.Double(*r.temperature);
    }
    if (r.max_tokens) {
        json::write_key(w, "max_tokens");
        w.Uint(*r.max_tokens);
    }
    if (stream) {
        json::write_key(w, "stream");
        w.Bool(true);
        json::write_key(w, "stream_options");
        w.StartObject();
        json::write_key(w, "include_usage");
        w.Bool(true);
        w.EndObject();
    }
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

AGENTKIT_DECL std::string encode_embedding_request(const std::vector<std::string>& inputs, std::string_view model) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "model");
    json::write_string(w, model);
    json::write_key(w, "input");
    w.StartArray();
    for (const auto& s : inputs) json::write_string(w, s);
    w.EndArray();
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

namespace detail {
inline usage read_usage(const json::value& root) {
    usage u;
    if (const json::value* v = json::member(root, "usage")) {
        u.prompt_tokens = json::uint_member(*v, "prompt_tokens", "usage.prompt_tokens").value_or(0);
        u.completion_tokens = json::uint_member(*v, "completion_tokens", "usage.completion_tokens").value_or(0);
    }
    return u;
}
inline const json::value& first_choice(const json::value& root) {
    const json::value* choices = json::member(root, "choices");
    if (!choices || !choices->IsArray() || choices->Empty())
        throw error(errc::parse_error, "missing or empty", "choices");
    return (*choices)[0];
}
}  // namespace detail

AGENTKIT_DECL chat_response decode_chat_response(std::string_view body) {
    const auto d = json::parse(body, "response body");
    if (!d.IsObject()) throw error(errc::parse_error, "is not a JSON object", "response body");
    const json::value& choice = detail::first_choice(d);
    const json::value* msg = json::member(choice, "message");
    if (!msg || !msg->IsObject()) throw error(errc::parse_error, "missing", "choices[0].message");
    std::string content(json::string_member(*msg, "content", "choices[0].message.content").value_or(""));
    std::vector<tool_call> calls;
    if (const json::value* tc = json::member(*msg, "tool_calls")) {
        if (!tc->IsArray()) throw error(errc::parse_error, "must be an array", "choices[0].message.tool_calls");
        for (rapidjson::SizeType i = 0; i < tc->Size(); ++i) {
            const auto field = std::string("choices[0].message.tool_calls[").append(std::to_string(i)).append("]");
            const json::value& c = (*tc)[i];
            const json::value* fn = json::member(c, "function");
            if (!fn || !fn->IsObject()) throw error(errc::parse_error, "missing", field + ".function");
            tool_call call;
            call.id = json::string_member(c, "id", field + ".id").value_or("");
            call.name = json::string_member(*fn, "name", field + ".function.name").value_or("");
            call.arguments = json::string_member(*fn, "arguments", field + ".function.arguments").value_or("");
            if (call.name.empty()) throw error(errc::parse_error, "is empty", field + ".function.name");
            if (call.id.empty()) call.id = std::string("call_").append(std::to_string(i));
            calls.push_back(std::move(call));
        }
    }
    chat_response r;
    r.reply = message::assistant(std::move(content), std::move(calls));
    r.finish_reason = json::string_member(choice, "finish_reason", "choices[0].finish_reason").value_or("");
    r.tokens = detail::read_usage(d);
    r.model = json::string_member(d, "model", "model").value_or("");
    return r;
}

AGENTKIT_DECL stream_chunk decode_stream_chunk(std::string_view data) {
    stream_chunk out;
    if (data == "[DONE]") {
        out.done = true;
        return out;
    }
    const auto d = json::parse(data, "stream chunk");
    if (!d.IsObject()) throw error(errc::parse_error, "is not a JSON object", "stream chunk");
    if (const json::value* e = json::member(d, "error"))
        throw error(errc::unavailable,
                    "the server reported an error mid-stream: " +
                        std::string(json::string_member(*e, "message", "error.message").value_or("(no message)")),
                    "stream chunk.error");
    out.model = json::string_member(d, "model", "model").value_or("");
    if (json::member(d, "usage")) out.tokens = detail::read_usage(d);
    const json::value* choices = json::member(d, "choices");
    if (!choices) return out;
    if (!choices->IsArray()) throw error(errc::parse_error, "must be an array", "choices");
    if (choices->Empty()) return out;  // the usage-only chunk
    const json::value& choice = (*choices)[0];
    out.finish_reason = json::string_member(choice, "finish_reason", "choices[0].finish_reason").value_or("");
    const json::value* delta = json::member(choice, "delta");
    if (!delta) return out;
    out.delta.content = json::string_member(*delta, "content", "choices[0].delta.content").value_or("");
    if (const json::value* tc = json::member(*delta, "tool_calls")) {
        if (!tc->IsArray()) throw error(errc::parse_error, "must be an array", "choices[0].delta.tool_calls");
        for (rapidjson::SizeType i = 0; i < tc->Size(); ++i) {
            const auto field = std::string("choices[0].delta.tool_calls[").append(std::to_string(i)).append("]");
            const json::value& c = (*tc)[i];
            tool_call_delta t;
            // Any index is read as sent; delta_accumulator bounds how many calls a response may hold.
            t.index = json::uint_member(c, "index", field + ".index").value_or(i);
            t.id = json::string_member(c, "id", field + ".id").value_or("");
            if (const json::value* fn = json::member(c, "function")) {
                t.name = json::string_member(*fn, "name", field + ".function.name").value_or("");
                t.arguments = json::string_member(*fn, "arguments", field + ".function.arguments").value_or("");
            }
            out.delta.tool_calls.push_back(std::move(t));
        }
    }
    return out;
}

AGENTKIT_DECL std::vector<std::vector<float>> decode_embeddings(std::string_view body, std::size_t expected) {
    const auto d = json::parse(body, "response body");
    const json::value* data = json::member(d, "data");
    if (!data || !data->IsArray()) throw error(errc::parse_error, "missing or not an array", "data");
    std::vector<std::vector<float>> out(expected);
    std::vector<bool> seen(expected, false);
    for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
        const auto field = std::string("data[").append(std::to_string(i)).append("]");
        const json::value& item = (*data)[i];
        const std::size_t index = json::uint_member(item, "index", field + ".index").value_or(i);
        if (index >= expected || seen[index])
            throw error(errc::parse_error, "out of range or repeated", field + ".index");
        const json::value* e = json::member(item, "embedding");
        if (!e || !e->IsArray()) throw error(errc::parse_error, "missing or not an array", field + ".embedding");
        auto& v = out[index];
        v.reserve(e->Size());
        for (const auto& x : e->GetArray()) {
            if (!x.IsNumber()) throw error(errc::parse_error, "must hold numbers", field + ".embedding");
            v.push_back(static_cast<float>(x.GetDouble()));
        }
        seen[index] = true;
    }
    for (std::size_t i = 0; i < expected; ++i)
        if (!seen[i])
            throw error(errc::parse_error, std::string("no embedding for input ").append(std::to_string(i)), "data");
    return out;
}

AGENTKIT_DECL std::string error_message(std::string_view body) {
    try {
        const auto d = json::parse(body, "error body");
        if (const json::value* e = json::member(d, "error")) {
            std::string m(json::string_member(*e, "message", "error.message").value_or(""));
            if (const json::value* code = json::member(*e, "code"); code && code->IsString())
                m += (m.empty() ? "" : " ") + std::string("(") + std::string(json::as_string_view(*code)) + ")";
            return m;
        }
    } catch (const error&) {}
    return std::string(body.substr(0, 300));
}

// ---- the server's side ----------------------------------------------------------------------------------
namespace detail {
inline std::string indexed(std::string_view base, std::size_t i) {
    return std::string(base).append("[").append(std::to_string(i)).append("]");
}

// A message's content: a string, null, or text parts joined.
inline std::string content_text(const json::value* v, const std::string& field) {
    if (v == nullptr) return {};
    if (v->IsString()) return std::string(json::as_string_view(*v));
    if (!v->IsArray()) throw_invalid_field(field, "must be a string, null or an array of content parts");
    std::string out;
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
        const auto part = indexed(field, i);
        const json::value& p = (*v)[i];
        const auto type = json::string_member(p, "type", part + ".type");
        if (!type) throw_invalid_field(part + ".type", "missing");
        if (*type != "text")
            throw_invalid_field(part + ".type",
                                std::string("only text content parts are supported, not '").append(*type).append("'"));
        const auto text = json::string_member(p, "text", part + ".text");
        if (!text) throw_invalid_field(part + ".text", "missing");
        out.append(*text);
    }
    return out;
}

inline void write_usage(json::writer& w, const usage& u) {
    json::write_key(w, "usage");
    w.StartObject();
    json::write_key(w, "prompt_tokens");
    w.Uint64(u.prompt_tokens);
    json::write_key(w, "completion_tokens");
    w.Uint64(u.completion_tokens);
    json::write_key(w, "total_tokens");
    w.Uint64(u.total());
    w.EndObject();
}

inline void write_chunk_head(json::writer& w, const stream_ids& ids) {
    json::write_key(w, "id");
    json::write_string(w, ids.id);
    json::write_key(w, "object");
    w.String("chat.completion.chunk");
    json::write_key(w, "created");
    w.Int64(ids.created);
    json::write_key(w, "model");
    json::write_string(w, ids.model);
}
}  // namespace detail

AGENTKIT_DECL incoming_chat decode_chat_request(std::string_view body, const request_limits& limits) {
    json::parse_limits pl;
    pl.max_depth = limits.max_depth;
    const auto d = json::parse(body, "request body", pl);
    if (!d.IsObject()) throw_invalid_field("request body", "must be a JSON object");
    incoming_chat in;
    auto& rq = in.request;
    rq.model = std::string(json::string_member(d, "model", "model").value_or(""));
    const json::value* msgs = json::member(d, "messages");
    if (!msgs || !msgs->IsArray()) throw_invalid_field("messages", "missing or not an array");
    if (msgs->Size() > limits.max_messages)
        throw error(
            errc::capacity_exceeded,
            std::string("more than ").append(std::to_string(limits.max_messages)).append(" messages in one request"),
            "model.max_request_messages");
    rq.messages.reserve(msgs->Size());
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
        const auto field = detail::indexed("messages", i);
        const json::value& m = (*msgs)[i];
        if (!m.IsObject()) throw_invalid_field(field, "must be an object");
        const auto r = parse_role(json::string_member(m, "role", field + ".role").value_or(""), field + ".role");
        std::string content = detail::content_text(json::member(m, "content"), field + ".content");
        message msg;
        if (r == role::tool) {
            const auto id = json::string_member(m, "tool_call_id", field + ".tool_call_id");
            if (!id || id->empty()) throw_invalid_field(field + ".tool_call_id", "missing");
            msg = message::tool_result(std::string(*id), std::move(content));
        } else if (r == role::assistant) {
            std::vector<tool_call> calls;
            if (const json::value* tc = json::member(m, "tool_calls")) {
                if (!tc->IsArray()) throw_invalid_field(field + ".tool_calls", "must be an array");
                for (rapidjson::SizeType k = 0; k < tc->Size(); ++k) {
                    const auto cf = detail::indexed(field + ".tool_calls", k);
                    const json::value& c = (*tc)[k];
                    const json::value* fn = json::member(c, "function");
                    if (!fn || !fn->IsObject()) throw_invalid_field(cf + ".function", "missing or not an object");
                    tool_call call;
                    call.id = std::string(json::string_member(c, "id", cf + ".id").value_or(""));
                    call.name = std::string(json::string_member(*fn, "name", cf + ".function.name").value_or(""));
                    call.arguments =
                        std::string(json::string_member(*fn, "arguments", cf + ".function.arguments").value_or(""));
                    if (call.name.empty()) throw_invalid_field(cf + ".function.name", "missing or empty");
                    if (call.id.empty()) throw_invalid_field(cf + ".id", "missing or empty");
                    calls.push_back(std::move(call));
                }
            }
            msg = message::assistant(std::move(content), std::move(calls));
        } else {
            msg = message(r, std::move(content));
        }
        if (const auto name = json::string_member(m, "name", field + ".name"); name && r != role::tool)
            msg.set_name(std::string(*name));
        rq.messages.push_back(std::move(msg));
    }
    if (const json::value* tools = json::member(d, "tools")) {
        if (!tools->IsArray()) throw_invalid_field("tools", "must be an array");
        if (tools->Size() > limits.max_tools)
            throw error(
                errc::capacity_exceeded,
                std::string("more than ").append(std::to_string(limits.max_tools)).append(" tools in one request"),
                "model.max_request_tools");
        for (rapidjson::SizeType i = 0; i < tools->Size(); ++i) {
            const auto field = detail::indexed("tools", i);
            const json::value& t = (*tools)[i];
            const auto type = json::string_member(t, "type", field + ".type").value_or("function");
            if (type != "function")
                throw_invalid_field(field + ".type",
                                    std::string("only function tools are supported, not '").append(type).append("'"));
            const json::value* fn = json::member(t, "function");
            if (!fn || !fn->IsObject()) throw_invalid_field(field + ".function", "missing or not an object");
            tool_spec spec;
            spec.name = std::string(json::string_member(*fn, "name", field + ".function.name").value_or(""));
            if (spec.name.empty()) throw_invalid_field(field + ".function.name", "missing or empty");
            spec.description =
                std::string(json::string_member(*fn, "description", field + ".function.description").value_or(""));
            if (const json::value* p = json::member(*fn, "parameters")) {
                if (!p->IsObject()) throw_invalid_field(field + ".function.parameters", "must be a JSON schema object");
                spec.parameters_schema = json::to_string(*p);
            }
            rq.tools.push_back(std::move(spec));
        }
    }
    if (const json::value* t = json::member(d, "temperature")) {
        if (!t->IsNumber()) throw_invalid_field("temperature", "must be a number");
        rq.temperature = t->GetDouble();
    }
    for (const char* key : {"max_completion_tokens", "max_tokens"}) {
        if (const auto n = json::uint_member(d, key, key)) {
            if (*n > UINT32_MAX) throw_invalid_field(key, "too large");
            rq.max_tokens = static_cast<std::uint32_t>(*n);
            break;
        }
    }
    if (const json::value* s = json::member(d, "stream")) {
        if (!s->IsBool()) throw_invalid_field("stream", "must be true or false");
        in.stream = s->GetBool();
    }
    if (const json::value* so = json::member(d, "stream_options")) {
        if (!so->IsObject()) throw_invalid_field("stream_options", "must be an object");
        if (const json::value* iu = json::member(*so, "include_usage")) {
            if (!iu->IsBool()) throw_invalid_field("stream_options.include_usage", "must be true or false");
            in.include_usage = iu->GetBool();
        }
    }
    return in;
}

AGENTKIT_DECL std::string encode_chat_response(const chat_response& r, std::string_view id, std::int64_t created) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    json::write_key(w, "id");
    json::write_string(w, id);
    json::write_key(w, "object");
    w.String("chat.completion");
    json::write_key(w, "created");
    w.Int64(created);
    json::write_key(w, "model");
    json::write_string(w, r.model);
    json::write_key(w, "choices");
    w.StartArray();
    w.StartObject();
    json::write_key(w, "index");
    w.Uint(0);
    json::write_key(w, "message");
    w.StartObject();
    json::write_key(w, "role");
    w.String("assistant");
    json::write_key(w, "content");
    const auto& calls = r.reply.tool_calls();
    if (r.reply.content().empty() && !calls.empty())
        w.Null();
    else
        json::write_string(w, r.reply.content());
    if (!calls.empty()) {
        json::write_key(w, "tool_calls");
        w.StartArray();
        for (const auto& c : calls) {
            w.StartObject();
            json::write_key(w, "id");
            json::write_string(w, c.id);
            json::write_key(w, "type");
            w.String("function");
            json::write_key(w, "function");
            w.StartObject();
            json::write_key(w, "name");
            json::write_string(w, c.name);
            json::write_key(w, "arguments");
            json::write_string(w, c.arguments);
            w.EndObject();
            w.EndObject();
        }
        w.EndArray();
    }
    w.EndObject();
    json::write_key(w, "logprobs");
    w.Null();
    json::write_key(w, "finish_reason");
    json::write_string(w,
                       r.finish_reason.empty() ? std::string_view(calls.empty() ? "stop" : "tool_calls")
                                               : std::string_view(r.finish_reason));
    w.EndObject();
    w.EndArray();
    detail::write_usage(w, r.tokens);
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

AGENTKIT_DECL std::string encode_stream_delta(const chat_delta& d, const stream_ids& ids, bool first) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    detail::write_chunk_head(w, ids);
    json::write_key(w, "choices");
    w.StartArray();
    w.StartObject();
    json::write_key(w, "index");
    w.Uint(0);
    json::write_key(w, "delta");
    w.StartObject();
    if (first) {
        json::write_key(w, "role");
        w.String("assistant");
    }
    if (!d.content.empty() || (first && d.tool_calls.empty())) {
        json::write_key(w, "content");
        json::write_string(w, d.content);
    }
    if (!d.tool_calls.empty()) {
        json::write_key(w, "tool_calls");
        w.StartArray();
        for (const auto& t : d.tool_calls) {
            w.StartObject();
            json::write_key(w, "index");
            w.Uint64(t.index);
            if (!t.id.empty()) {
                json::write_key(w, "id");
                json::write_string(w, t.id);
                json::write_key(w, "type");
                w.String("function");
            }
            json::write_key(w, "function");
            w.StartObject();
            if (!t.name.empty()) {
                json::write_key(w, "name");
                json::write_string(w, t.name);
            }
            json::write_key(w, "arguments");
            json::write_string(w, t.arguments);
            w.EndObject();
            w.EndObject();
        }
        w.EndArray();
    }
    w.EndObject();
    json::write_key(w, "logprobs");
    w.Null();
    json::write_key(w, "finish_reason");
    w.Null();
    w.EndObject();
    w.EndArray();
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

AGENTKIT_DECL std::string encode_stream_finish(std::string_view finish_reason, const stream_ids& ids) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    detail::write_chunk_head(w, ids);
    json::write_key(w, "choices");
    w.StartArray();
    w.StartObject();
    json::write_key(w, "index");
    w.Uint(0);
    json::write_key(w, "delta");
    w.StartObject();
    w.EndObject();
    json::write_key(w, "logprobs");
    w.Null();
    json::write_key(w, "finish_reason");
    json::write_string(w, finish_reason.empty() ? std::string_view("stop") : finish_reason);
    w.EndObject();
    w.EndArray();
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

AGENTKIT_DECL std::string encode_stream_usage(const usage& u, const stream_ids& ids) {
    json::string_buffer sb;
    json::writer w(sb);
    w.StartObject();
    detail::write_chunk_head(w, ids);
    json::write_key(w, "choices");
    w.StartArray();
    w.EndArray();
    detail::write_usage(w, u);
    w.EndObject();
    return {sb.GetString(), sb.GetSize()};
}

}  // namespace agentkit::model::openai
