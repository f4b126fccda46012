#pragma once
// Anthropic Messages API streams as the API sends them, for the provider tests: one SSE event, and a whole
// streamed answer with text and a tool call whose input arrives in pieces.
#include <agentkit/json/writer.hpp>

#include <cstddef>
#include <string>

namespace agentkit_test::anthropic_events {

inline std::string event(const std::string& type, const std::string& data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
}

// The shortest whole stream: message_start, one text delta, message_stop.
inline std::string text_stream(const std::string& text) {
    return event("message_start", R"({"type":"message_start","message":{"model":"m","usage":{"input_tokens":1}}})") +
        event("content_block_delta",
              R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":")" + text + R"("}})") +
        event("message_stop", R"({"type":"message_stop"})");
}

// A stream as the API sends it: text, then a tool call whose input arrives in `pieces` input_json_delta events.
inline std::string tool_stream(const std::string& input, std::size_t pieces) {
    std::string s = event(
        "message_start",
        R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],)"
        R"("model":"claude-test","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}})");
    s += event("content_block_start",
               R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
    s += event("ping", R"({"type": "ping"})");
    s += event("content_block_delta",
               R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me "}})");
    s += event("content_block_delta",
               R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"check."}})");
    s += event("content_block_stop", R"({"type":"content_block_stop","index":0})");
    s += event(
        "content_block_start",
        R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}})");
    const std::size_t step = (input.size() + pieces - 1) / pieces;
    for (std::size_t i = 0; i < input.size(); i += step) {
        agentkit::json::string_buffer sb;
        agentkit::json::writer w(sb);
        agentkit::json::write_string(w, input.substr(i, step));
        s += event("content_block_delta",
                   R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":)" +
                       std::string(sb.GetString()) + "}}");
    }
    s += event("content_block_stop", R"({"type":"content_block_stop","index":1})");
    s += event(
        "message_delta",
        R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}})");
    s += event("message_stop", R"({"type":"message_stop"})");
    return s;
}

}  // namespace agentkit_test::anthropic_events
