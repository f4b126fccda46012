#pragma once
// Seed keys of the agent loop (Assistant Worker's ReAct maxIterations):
//   agent.maxIterations / contextWindow / model / session -> agentkit::agent_config
// agent_config also carries the executor: the deployment fills it from tools.executor (one knob, one place in
// the file). Retries are the retry slot's: models.router.retry configures it (use_retry(d.router.retry)).
#include <agentkit/agent/agent.hpp>
#include <agentkit/config/reader.hpp>

#include <cstddef>
#include <cstdint>

namespace agentkit::config {

template <class V>
void visit(V& v, agent_config& c) {
    v.integer("maxIterations", c.max_iterations, std::uint32_t{1}, std::uint32_t{10000});
    v.integer("contextWindow", c.context_window, std::size_t{1}, std::size_t{1} << 32);
    v.string("model", c.model);
    v.string("session", c.session, false);
}

}  // namespace agentkit::config
