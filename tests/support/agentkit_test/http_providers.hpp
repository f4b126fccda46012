#pragma once
// The OpenAI and Anthropic providers over real HTTP to this directory's test servers, with fast_timeouts(),
// and the one-message request tests send.
#include <agentkit/core/message.hpp>
#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>
#include "anthropic_server.hpp"
#include "fast_timeouts.hpp"
#include "openai_server.hpp"

#include <string>
#include <utility>

namespace agentkit_test {

using openai_http_provider = agentkit::model::openai_provider<agentkit::transport::http>;
using anthropic_http_provider = agentkit::model::anthropic_provider<agentkit::transport::http>;

inline openai_http_provider openai_over_http(const openai_server& s,
                                             agentkit::transport::http::config c = fast_timeouts()) {
    openai_http_provider::config pc;
    pc.base_url = s.base_url();
    pc.api_key = "test-key";
    pc.model = "test-model";
    return openai_http_provider(pc, agentkit::transport::http(c));
}

inline anthropic_http_provider anthropic_over_http(const anthropic_server& s, std::string api_key = "sk-ant-test") {
    anthropic_http_provider::config pc;
    pc.base_url = s.base_url();
    pc.api_key = std::move(api_key);
    pc.model = "claude-test";
    return anthropic_http_provider(pc, agentkit::transport::http(fast_timeouts()));
}

// A request of one user message.
inline agentkit::model::chat_request ask(std::string text) {
    agentkit::model::chat_request r;
    r.messages.push_back(agentkit::message::user(std::move(text)));
    return r;
}

// A request that the test servers answer with a get_weather tool call, offering that tool.
inline agentkit::model::chat_request weather_request() {
    auto r = ask(R"(call get_weather {"city":"Paris"})");
    r.tools.push_back(
        {"get_weather", "weather for a city", R"({"type":"object","properties":{"city":{"type":"string"}}})"});
    return r;
}

}  // namespace agentkit_test
