#pragma once
// The OpenAI and Anthropic providers over the in_process transport (no sockets): each request goes to a
// handler, the response comes back in pieces of `piece` bytes. The same base URL, key and model in every test.
#include <agentkit/model/anthropic_provider.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/in_process.hpp>

#include <cstddef>
#include <functional>
#include <utility>

namespace agentkit_test {

using in_process_handler = std::function<agentkit::transport::http_response(const agentkit::transport::http_request&)>;
using openai_in_process_provider = agentkit::model::openai_provider<agentkit::transport::in_process<>>;
using anthropic_in_process_provider = agentkit::model::anthropic_provider<agentkit::transport::in_process<>>;

inline openai_in_process_provider openai_in_process(in_process_handler h, std::size_t piece = 64) {
    openai_in_process_provider::config c;
    c.base_url = "http://model.local/v1/";
    c.api_key = "sk-test";
    c.model = "m1";
    return {c, agentkit::transport::in_process<>(std::move(h), agentkit::transport::in_process<>::config{piece})};
}

inline anthropic_in_process_provider anthropic_in_process(in_process_handler h, std::size_t piece = 64) {
    anthropic_in_process_provider::config c;
    c.base_url = "http://model.local/";
    c.api_key = "sk-ant-test";
    c.model = "claude-test";
    return {c, agentkit::transport::in_process<>(std::move(h), agentkit::transport::in_process<>::config{piece})};
}

}  // namespace agentkit_test
