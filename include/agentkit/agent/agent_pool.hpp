#pragma once
// agent_pool<Agent>: hands out agents and takes them back, so a server reuses warm agents (connection pools
// open, tool executors started) instead of building one per conversation. A returned agent's history is
// cleared (its system prompt kept), so no conversation leaks into the next.
#include <agentkit/core/message.hpp>
#include <agentkit/runtime/object_pool.hpp>

#include <functional>
#include <memory>
#include <utility>

namespace agentkit {

template <class Agent>
class agent_pool {
public:
    using config = typename runtime::object_pool<Agent>::config;
    using handle = typename runtime::object_pool<Agent>::handle;

    explicit agent_pool(std::function<std::unique_ptr<Agent>()> factory, config cfg = {})
        : pool_(
              std::move(factory), [](Agent& a) { reset(a); }, cfg) {}

    handle acquire() { return pool_.acquire(); }
    auto statistics() const { return pool_.statistics(); }

private:
    static void reset(Agent& a) {
        auto& h = a.history();
        if (const message* system = h.system_prompt()) {
            message keep = *system;
            h.clear();
            h.append(std::move(keep));
        } else {
            h.clear();
        }
    }
    runtime::object_pool<Agent> pool_;
};

}  // namespace agentkit
