#pragma once
// anthropic_server: a small server of ours speaking Anthropic's Messages API (POST /v1/messages) on
// 127.0.0.1 (an ephemeral port), for the integration tests of the Anthropic provider over the HTTP
// transport. Real sockets, real HTTP/1.1 with keep-alive, Content-Length bodies and chunked SSE streams
// ("event: <type>" + "data: <json>" per event, as the API sends them).
//
// Each request is answered by the next queued reply (push()), or, when none is queued, by a deterministic
// simulation of a model: "echo: <last user text>", or a tool_use block when the last user text says
// "call <tool> <json-args>", streamed when the request asks for it. Like the real API it refuses a request
// without a key (x-api-key or Authorization; 401 authentication_error), without anthropic-version or max_tokens (400
// invalid_request_error), and answers another path with 404 not_found_error. Replies can also be failures
// the client must survive: any status with the API's error body and a Retry-After, an error event
// mid-stream, a stream cut short. The server itself is scripted_server.
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>
#include "scripted_server.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace agentkit_test {

class anthropic_server : public scripted_server {
public:
    anthropic_server() : scripted_server(&simulate) {}

    // Without /v1, as Anthropic's SDKs and the provider take it.
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

    // ---- replies ------------------------------------------------------------------------------------------
    static std::string quote(const std::string& s) {
        agentkit::json::string_buffer sb;
        agentkit::json::writer w(sb);
        agentkit::json::write_string(w, s);
        return sb.GetString();
    }
    // A whole Messages response: text, or a tool_use block whose input is `args` (a JSON object's text).
    static std::string message_json(const std::string& content, const std::string& tool = {},
                                    const std::string& args = "{}", std::uint64_t input_tokens = 10,
                                    std::uint64_t output_tokens = 5) {
        std::string blocks = tool.empty()
            ? R"({"type":"text","text":)" + quote(content) + "}"
            : R"({"type":"tool_use","id":"toolu_test1","name":)" + quote(tool) + R"(,"input":)" + args + "}";
        return R"({"id":"msg_test","type":"message","role":"assistant","model":"claude-test","content":[)" + blocks +
            R"(],"stop_reason":")" + (tool.empty() ? "end_turn" : "tool_use") +
            R"(","stop_sequence":null,"usage":{"input_tokens":)" + std::to_string(input_tokens) +
            R"(,"output_tokens":)" + std::to_string(output_tokens) + "}}";
    }
    static server_reply message(const std::string& content) {
        return {server_reply::kind::json, 200, {}, message_json(content), {}, false, {}};
    }
    static server_reply tool_use(const std::string& tool, const std::string& args) {
        return {server_reply::kind::json, 200, {}, message_json("", tool, args), {}, false, {}};
    }
    // The API's error body: {"type":"error","error":{"type":...,"message":...},"request_id":...}.
    static std::string error_json(const std::string& type, const std::string& message) {
        return R"({"type":"error","error":{"type":)" + quote(type) + R"(,"message":)" + quote(message) +
            R"(},"request_id":"req_test"})";
    }
    static server_reply error(int status, const std::string& type, const std::string& message,
                              const std::string& retry_after = {}) {
        server_reply r{server_reply::kind::json, status, {}, error_json(type, message), {}, false, {}};
        r.headers.emplace_back("request-id", "req_test");
        if (!retry_after.empty()) r.headers.emplace_back("retry-after", retry_after);
        return r;
    }
    static std::string sse(const std::string& type, const std::string& data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }
    // The events of a streamed answer as the API sends them: message_start, a ping, text in pieces or a
    // tool_use block with its input in pieces of `piece` bytes (input_json_delta), message_delta, message_stop.
    static std::vector<std::string> stream_events(const std::string& content, const std::string& tool = {},
                                                  const std::string& args = "{}", std::size_t piece = 6) {
        std::vector<std::string> ev;
        ev.push_back(sse("message_start",
                         R"({"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant",)"
                         R"("model":"claude-test","content":[],"stop_reason":null,"stop_sequence":null,)"
                         R"("usage":{"input_tokens":10,"output_tokens":1}}})"));
        ev.push_back(sse("ping", R"({"type": "ping"})"));
        if (tool.empty()) {
            ev.push_back(sse("content_block_start",
                             R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"));
            for (std::size_t i = 0; i < content.size(); i += piece)
                ev.push_back(sse("content_block_delta",
                                 R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":)" +
                                     quote(content.substr(i, piece)) + "}}"));
        } else {
            ev.push_back(sse("content_block_start",
                             R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use",)"
                             R"("id":"toolu_test1","name":)" +
                                 quote(tool) + R"(,"input":{}}})"));
            ev.push_back(sse(
                "content_block_delta",
                R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}})"));
            for (std::size_t i = 0; i < args.size(); i += piece)
                ev.push_back(sse(
                    "content_block_delta",
                    R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":)" +
                        quote(args.substr(i, piece)) + "}}"));
        }
        ev.push_back(sse("content_block_stop", R"({"type":"content_block_stop","index":0})"));
        ev.push_back(sse("message_delta",
                         R"({"type":"message_delta","delta":{"stop_reason":")" +
                             std::string(tool.empty() ? "end_turn" : "tool_use") +
                             R"(","stop_sequence":null},"usage":{"output_tokens":5}})"));
        ev.push_back(sse("message_stop", R"({"type":"message_stop"})"));
        return ev;
    }
    static server_reply stream(std::vector<std::string> events, bool cut_short = false) {
        return {server_reply::kind::sse, 200, {}, {}, std::move(events), cut_short, {}};
    }

private:
    // The text of a message's content: the string itself, or its last text / tool_result block.
    static std::string last_text(const agentkit::json::value& content) {
        if (content.IsString()) return content.GetString();
        std::string out;
        if (!content.IsArray()) return out;
        for (const auto& b : content.GetArray()) {
            if (!b.IsObject() || !b.HasMember("type") || !b["type"].IsString()) continue;
            const std::string type = b["type"].GetString();
            if (type == "text" && b.HasMember("text") && b["text"].IsString()) out = b["text"].GetString();
            if (type == "tool_result")
                out = "tool said " +
                    std::string(b.HasMember("content") && b["content"].IsString() ? b["content"].GetString() : "");
        }
        return out;
    }

    // The default behaviour: a deterministic little model, behind the checks the real API makes first.
    static server_reply simulate(const request& req) {
        if (req.target() != "/v1/messages") return error(404, "not_found_error", "Not Found");
        // A key as x-api-key, or as a bearer token (what Anthropic's SDKs send since API version 2026-10-21).
        if (req.find("x-api-key") == req.end() && req.find(boost::beast::http::field::authorization) == req.end())
            return error(401, "authentication_error", "x-api-key header is required");
        if (req.find("anthropic-version") == req.end())
            return error(400, "invalid_request_error", "anthropic-version: header is required");
        agentkit::json::document d;
        d.Parse(req.body().c_str(), req.body().size());
        if (d.HasParseError() || !d.IsObject())
            return error(400, "invalid_request_error", "request body is not valid JSON");
        if (!d.HasMember("model") || !d["model"].IsString())
            return error(400, "invalid_request_error", "model: Field required");
        if (!d.HasMember("max_tokens") || !d["max_tokens"].IsUint() || d["max_tokens"].GetUint() == 0)
            return error(400, "invalid_request_error", "max_tokens: Field required");
        if (!d.HasMember("messages") || !d["messages"].IsArray() || d["messages"].Empty())
            return error(400, "invalid_request_error", "messages: Field required");
        std::string text;
        for (const auto& m : d["messages"].GetArray()) {
            if (!m.IsObject() || !m.HasMember("role") || !m["role"].IsString() || !m.HasMember("content"))
                return error(400, "invalid_request_error", "messages: each message needs a role and content");
            const std::string role = m["role"].GetString();
            if (role != "user" && role != "assistant")
                return error(400, "invalid_request_error", "messages: Unexpected role \"" + role + "\"");
            if (role == "user") text = last_text(m["content"]);
        }
        const auto [tool, args] = scripted_call_in(text);
        const std::string content = text.starts_with("tool said ") ? text : "echo: " + text;
        const bool streamed = d.HasMember("stream") && d["stream"].IsBool() && d["stream"].GetBool();
        if (streamed) return stream(stream_events(content, tool, args));
        return tool.empty() ? message(content) : tool_use(tool, args);
    }
};

}  // namespace agentkit_test
