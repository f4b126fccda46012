#pragma once
// For the router tests: a router configured like a real deployment (four tiers, fallbacks per tier and a
// last fallback chain, sonnet's price, retry seed 42), and a request routed to a tier or a target.
#include <agentkit/core/message.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/router.hpp>

#include <string>
#include <utility>

namespace agentkit_test {

inline agentkit::model::router::config flynn_like_routes() {
    agentkit::model::router::config c;
    c.tiers = {
        {"fast", "cloud:haiku"}, {"default", "cloud:sonnet"}, {"complex", "cloud:opus"}, {"local", "local:llama3"}};
    c.tier_fallbacks = {{"default", {"backup:sonnet-4-5", "backup:gpt-4o-mini"}}};
    c.fallback_chain = {"backup:sonnet-4-5", "local:llama3"};
    c.prices = {{"cloud:sonnet", {3.0, 15.0}}};
    c.retry.seed = 42;
    return c;
}

// A request of one user message ("hi"), routed to `route`: a tier, a "provider:model", or empty for the
// default tier.
inline agentkit::model::chat_request routed_request(std::string route = {}) {
    agentkit::model::chat_request r;
    r.model = std::move(route);
    r.messages.push_back(agentkit::message::user("hi"));
    return r;
}

}  // namespace agentkit_test
