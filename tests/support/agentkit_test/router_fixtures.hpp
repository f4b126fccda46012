#pragma once
// For the router tests: a router configured like a real deployment (four tiers, fallbacks per tier and a
// last fallback chain, sonnet's price, retry seed 42), and a request routed to a tier or a target.
#include <agentkit/core/message.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <chrono>
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

// Two providers for the retry-then-fallback scenario: "cloud" fails three times (the 429 with a 2 s
// Retry-After) and then answers; "backup" answers anything, naming the model it was asked for.
inline void add_cloud_and_backup(agentkit::model::router& rt) {
    using step = agentkit::model::scripted_provider::step;
    rt.add_provider(
        "cloud",
        agentkit::model::scripted_provider{step::fail(500), step::fail(429, "slow", std::chrono::seconds(2)),
                                           step::fail(503), step::reply("second request on cloud")});
    agentkit::model::scripted_provider backup;
    backup.otherwise(
        [](const agentkit::model::chat_request& r) { return step::reply("backup answered as " + r.model); });
    rt.add_provider("backup", std::move(backup));
}

}  // namespace agentkit_test
