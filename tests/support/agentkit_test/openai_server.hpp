#pragma once
// openai_server: a small OpenAI-compatible HTTP server of ours on 127.0.0.1 (an ephemeral port), for the
// integration tests and benchmarks of the HTTP transport and the OpenAI provider. Real sockets, real HTTP/1.1
// with keep-alive, Content-Length and chunked SSE bodies.
//
// Each request is answered by the next queued reply (push()), or, when none is queued, by a deterministic
// simulation of a model: "echo: <last user message>", or a tool call when the last user message says
// "call <tool> <json-args>", streamed as SSE when the request asks for it. Replies can also be failures the
// client must survive: any status with a Retry-After, a connection that hangs, a stream cut short, malformed
// JSON or SSE. Constructed with a test_certificate it speaks HTTPS (TLS through OpenSSL), so the TLS
// handshake's cost can be measured against the same server. The server itself is scripted_server.
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>
#include "scripted_server.hpp"
#include "test_certificate.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace agentkit_test {

class openai_server : public scripted_server {
public:
    openai_server() : scripted_server(&simulate) {}
    // HTTPS with this certificate (clients trust it through ca_file).
    explicit openai_server(const test_certificate& tls) : scripted_server(&simulate, &tls) {}

    std::string base_url() const {
        return (secure() ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(port()) + "/v1";
    }

    // ---- replies ------------------------------------------------------------------------------------------
    static std::string completion_json(const std::string& content, const std::string& tool = {},
                                       const std::string& args = "{}", std::uint64_t prompt = 10,
                                       std::uint64_t completion = 5) {
        agentkit::json::string_buffer sb;
        agentkit::json::writer w(sb);
        w.StartObject();
        w.Key("id");
        w.String("chatcmpl-test");
        w.Key("object");
        w.String("chat.completion");
        w.Key("model");
        w.String("test-model");
        w.Key("choices");
        w.StartArray();
        w.StartObject();
        w.Key("index");
        w.Uint(0);
        w.Key("message");
        w.StartObject();
        w.Key("role");
        w.String("assistant");
        w.Key("content");
        if (tool.empty())
            agentkit::json::write_string(w, content);
        else
            w.Null();
        if (!tool.empty()) {
            w.Key("tool_calls");
            w.StartArray();
            w.StartObject();
            w.Key("id");
            w.String("call_1");
            w.Key("type");
            w.String("function");
            w.Key("function");
            w.StartObject();
            w.Key("name");
            agentkit::json::write_string(w, tool);
            w.Key("arguments");
            agentkit::json::write_string(w, args);
            w.EndObject();
            w.EndObject();
            w.EndArray();
        }
        w.EndObject();
        w.Key("finish_reason");
        w.String(tool.empty() ? "stop" : "tool_calls");
        w.EndObject();
        w.EndArray();
        w.Key("usage");
        w.StartObject();
        w.Key("prompt_tokens");
        w.Uint64(prompt);
        w.Key("completion_tokens");
        w.Uint64(completion);
        w.Key("total_tokens");
        w.Uint64(prompt + completion);
        w.EndObject();
        w.EndObject();
        return sb.GetString();
    }
    static server_reply chat(const std::string& content) {
        return {server_reply::kind::json, 200, {}, completion_json(content), {}, false, {}};
    }
    static server_reply tool_call(const std::string& tool, const std::string& args) {
        return {server_reply::kind::json, 200, {}, completion_json("", tool, args), {}, false, {}};
    }
    static server_reply status(int code, const std::string& message, const std::string& retry_after = {}) {
        server_reply r{server_reply::kind::json,
                       code,
                       {},
                       R"({"error":{"message":")" + message + R"(","type":"test","code":"test_error"}})",
                       {},
                       false,
                       {}};
        if (!retry_after.empty()) r.headers.emplace_back("Retry-After", retry_after);
        return r;
    }
    static server_reply raw(int code, std::string body) {
        return {server_reply::kind::json, code, {}, std::move(body), {}, false, {}};
    }
    static server_reply hang() { return {server_reply::kind::hang, 200, {}, {}, {}, false, {}}; }
    static server_reply close_now() { return {server_reply::kind::close, 200, {}, {}, {}, false, {}}; }
    // The SSE events of a streamed completion: content in pieces, or a tool call in two argument deltas.
    static std::vector<std::string> stream_events(const std::string& content, const std::string& tool = {},
                                                  const std::string& args = "{}", std::size_t piece = 6) {
        std::vector<std::string> ev;
        auto data = [&](const std::string& json) { ev.push_back("data: " + json + "\n\n"); };
        auto esc = [](const std::string& s) {
            agentkit::json::string_buffer sb;
            agentkit::json::writer w(sb);
            agentkit::json::write_string(w, s);
            return std::string(sb.GetString());
        };
        const std::string head =
            R"({"id":"chatcmpl-test","object":"chat.completion.chunk","model":"test-model","choices":[{"index":0,"delta":)";
        data(head + R"({"role":"assistant","content":""},"finish_reason":null}]})");
        if (tool.empty()) {
            for (std::size_t i = 0; i < content.size(); i += piece)
                data(head + R"({"content":)" + esc(content.substr(i, piece)) + R"(},"finish_reason":null}]})");
        } else {
            const auto half = args.size() / 2;
            data(head + R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":)" + esc(tool) +
                 R"(,"arguments":)" + esc(args.substr(0, half)) + R"(}}]},"finish_reason":null}]})");
            data(head + R"({"tool_calls":[{"index":0,"function":{"arguments":)" + esc(args.substr(half)) +
                 R"(}}]},"finish_reason":null}]})");
        }
        data(head + R"({},"finish_reason":")" + std::string(tool.empty() ? "stop" : "tool_calls") + R"("}]})");
        data(
            R"({"id":"chatcmpl-test","object":"chat.completion.chunk","model":"test-model","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})");
        ev.push_back("data: [DONE]\n\n");
        return ev;
    }
    static server_reply stream(std::vector<std::string> events, bool cut_short = false,
                               std::chrono::milliseconds gap = {}) {
        return {server_reply::kind::sse, 200, {}, {}, std::move(events), cut_short, gap};
    }

private:
    // The default behaviour: a deterministic little model.
    static server_reply simulate(const request& req) {
        agentkit::json::document d;
        d.Parse(req.body().c_str(), req.body().size());
        if (d.HasParseError() || !d.IsObject()) return status(400, "request body is not JSON");
        if (d.HasMember("input")) {  // embeddings
            std::string out = R"({"object":"list","data":[)";
            const auto& in = d["input"];
            for (rapidjson::SizeType i = 0; in.IsArray() && i < in.Size(); ++i) {
                const auto len = in[i].IsString() ? in[i].GetStringLength() : 0;
                out += (i ? "," : "") + std::string(R"({"object":"embedding","index":)") + std::to_string(i) +
                    R"(,"embedding":[)" + std::to_string(len) + ",0.5,-1]}";
            }
            return raw(200, out + R"(],"model":"test-embed","usage":{"prompt_tokens":1,"total_tokens":1}})");
        }
        std::string last_user, last_role;
        if (d.HasMember("messages") && d["messages"].IsArray()) {
            for (const auto& m : d["messages"].GetArray()) {
                if (!m.IsObject() || !m.HasMember("role") || !m["role"].IsString()) continue;
                last_role = m["role"].GetString();
                if (last_role == "user" && m.HasMember("content") && m["content"].IsString())
                    last_user = m["content"].GetString();
                if (last_role == "tool" && m.HasMember("content") && m["content"].IsString())
                    last_user = "tool said " + std::string(m["content"].GetString());
            }
        }
        const auto [tool, args] = last_role == "user" ? scripted_call_in(last_user) : scripted_call{};
        const std::string content = last_role == "tool" ? last_user : "echo: " + last_user;
        const bool streamed = d.HasMember("stream") && d["stream"].IsBool() && d["stream"].GetBool();
        if (streamed) return stream(stream_events(content, tool, args));
        return tool.empty() ? chat(content) : tool_call(tool, args);
    }
};

}  // namespace agentkit_test
