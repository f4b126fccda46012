#pragma once
// Chat Completions streams as the API sends them, for the provider tests: text in two deltas (the first
// event ends in CRLF, a keep-alive comment between), a tool call whose arguments arrive in two pieces, the
// finish reason, a usage chunk and [DONE]. The reply: "Hello", tool call {"c1", "f", {"a":1}}, usage {3, 4},
// model "m1".
#include <string>

namespace agentkit_test::openai_events {

inline const std::string text_and_tool_stream =
    "data: "
    "{\"model\":\"m1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\r\n\r\n"
    ": keep-alive\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
    "data: "
    "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\","
    "\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n"
    "data: "
    "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]},"
    "\"finish_reason\":\"tool_calls\"}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\n"
    "data: [DONE]\n\n";

}  // namespace agentkit_test::openai_events
