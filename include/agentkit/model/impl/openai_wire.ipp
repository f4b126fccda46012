#pragma once
// The definitions of openai_wire.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/role.hpp>
#include <agentkit/model/json.hpp>
#include <agentkit/model/openai_wire.hpp>

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
                throw_invalid_field(std::string("tools[").append(std::to_string(i)).append("].function.parameters"), "the schema of tool '" + t.name + "' is not valid JSON");
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
    if (!choices || !choices->IsArray() || choices->Empty()) throw error(errc::parse_error, "missing or empty", "choices");
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
        if (index >= expected || seen[index]) throw error(errc::parse_error, "out of range or repeated", field + ".index");
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
        if (!seen[i]) throw error(errc::parse_error, std::string("no embedding for input ").append(std::to_string(i)), "data");
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
    } catch (const error&) {
    }
    return std::string(body.substr(0, 300));
}

}  // namespace agentkit::model::openai
