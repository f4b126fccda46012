#pragma once
// deployment: every runtime knob of an agentkit deployment, held in the policies' own config structs, and
// the one field list that maps the seeds' key names onto them. The file's layout:
//
//   agent                                   agent_config                         (agent_keys.hpp)
//   compaction, compaction.proactive        memory::compaction_config, proactive_config (memory_keys.hpp)
//   models.router (+ .retry .circuitBreaker .bulkhead)  model::router::config   (model_keys.hpp)
//   tools.executor, tools.cache             tools::executor::config, tool_result_cache::config (tools_keys.hpp)
//   sessions, automation.sessionPruner      storage::session_config              (storage_keys.hpp)
//   memory.sqlite_config                    storage::sqlite_config               (storage_keys.hpp)
//   memory.embeddings.chunking              text::chunk_config                   (text_keys.hpp)
//   memory.embeddings.cache, response_cache, file_cache   the ready-made caches' configs (cache_keys.hpp)
//   http_server                             transport::http_server_config, worker_threads (server_keys.hpp)
//   http_server.rate_limiting               resilience::token_bucket::config (global, per IP) (rate_limit_keys.hpp)
//   gateway.laneQueue                       runtime::lane_queue<...>::config     (runtime_keys.hpp)
//   message_processing.batch_processing     runtime::batcher<...>::config
//   message_processing.priority_queues      runtime::latency_class_queue<...>::config
//
// A key left out keeps the struct's default (the seeds' default). load.hpp reads, validates and dumps it.
#include <agentkit/config/agent_keys.hpp>
#include <agentkit/config/cache_keys.hpp>
#include <agentkit/config/memory_keys.hpp>
#include <agentkit/config/model_keys.hpp>
#include <agentkit/config/rate_limit_keys.hpp>
#include <agentkit/config/runtime_keys.hpp>
#include <agentkit/config/server_keys.hpp>
#include <agentkit/config/storage_keys.hpp>
#include <agentkit/config/text_keys.hpp>
#include <agentkit/config/tools_keys.hpp>
#include <agentkit/runtime/batcher.hpp>
#include <agentkit/runtime/lane_queue.hpp>
#include <agentkit/runtime/thread_pool.hpp>

#include <string>

namespace agentkit::config {

struct deployment {
    agent_config agent{};
    memory::compaction_config compaction{};
    memory::proactive_config proactive{};
    model::router::config router{};
    tools::executor::config executor{};
    cache::tool_result_cache::config tool_cache{};
    storage::session_config sessions{};
    storage::sqlite_config sqlite{};
    text::chunk_config chunking{};
    bool embedding_cache_enabled = true;  // memory.embeddings.cache.enabled
    cache::embedding_cache::config embedding_cache{};
    bool response_cache_enabled = true;  // response_cache.enabled
    cache::response_cache::config response_cache{};
    cache::file_cache::config file_cache{};
    transport::http_server_config server{};                // http_server.*
    std::size_t worker_threads = 0;                        // http_server.worker_threads (0: one per hardware thread)
    bool rate_limiting_enabled = true;                     // http_server.rate_limiting.enabled
    resilience::token_bucket::config global_rate_limit{};  // global_rate 10000/s, burst_size 200
    resilience::token_bucket::config per_ip_rate_limit{
        .rate = 100, .period = std::chrono::seconds(1), .burst_size = 200};
    std::size_t max_ips = 65536;  // keyed_rate_limiter<...>::config::max_keys
    runtime::lane_queue<runtime::thread_pool>::config lane_queue{};
    bool batch_processing_enabled = true;  // message_processing.batch_processing.enabled
    runtime::batcher<std::string>::config batching{};
    bool priority_queues_enabled = true;  // message_processing.priority_queues.enabled
    runtime::latency_class_queue<std::string>::config priority_queues{};
};

template <class V>
void visit(V& v, deployment& d) {
    v.section("agent", [&](auto& s) { visit(s, d.agent); });
    v.section("compaction", [&](auto& s) {
        visit(s, d.compaction);
        s.section("proactive", [&](auto& p) { visit(p, d.proactive); });
    });
    v.section("models", [&](auto& s) { s.section("router", [&](auto& r) { visit(r, d.router); }); });
    v.section("tools", [&](auto& s) {
        s.section("executor", [&](auto& e) { visit(e, d.executor); });
        s.section("cache", [&](auto& c) { visit_tool_cache(c, d.tool_cache); });
    });
    v.section("sessions", [&](auto& s) { visit_sessions(s, d.sessions); });
    v.section("automation",
              [&](auto& s) { s.section("sessionPruner", [&](auto& p) { visit_session_pruner(p, d.sessions); }); });
    v.section("memory", [&](auto& s) {
        s.section("sqlite_config", [&](auto& q) { visit(q, d.sqlite); });
        s.section("embeddings", [&](auto& e) {
            e.section("chunking", [&](auto& c) { visit(c, d.chunking); });
            e.section("cache", [&](auto& c) {
                c.boolean("enabled", d.embedding_cache_enabled);
                visit_embedding_cache(c, d.embedding_cache);
            });
        });
    });
    v.section("response_cache", [&](auto& s) {
        s.boolean("enabled", d.response_cache_enabled);
        visit_response_cache(s, d.response_cache);
    });
    v.section("file_cache", [&](auto& s) { visit(s, d.file_cache); });
    v.section("http_server", [&](auto& s) {
        visit(s, server_keys{d.server, d.worker_threads});
        s.section("rate_limiting", [&](auto& r) {
            visit(r, rate_limit_keys{d.rate_limiting_enabled, d.global_rate_limit, d.per_ip_rate_limit, d.max_ips});
        });
    });
    v.section("gateway", [&](auto& s) { s.section("laneQueue", [&](auto& q) { visit_lane_queue(q, d.lane_queue); }); });
    v.section("message_processing", [&](auto& s) {
        s.section("batch_processing", [&](auto& b) {
            b.boolean("enabled", d.batch_processing_enabled);
            visit_batcher(b, d.batching);
        });
        s.section("priority_queues", [&](auto& p) {
            p.boolean("enabled", d.priority_queues_enabled);
            visit_priority_queues(p, d.priority_queues);
        });
    });
    if constexpr (V::loading) {
        // agent_config repeats knobs that the file states once.
        d.agent.executor = d.executor;
    }
}

}  // namespace agentkit::config
