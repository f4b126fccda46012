#pragma once
// Seed keys of the runtime layer:
//   gateway.laneQueue.maxDepth / requestTimeoutMs / maxTasksPerTurn / maxParallelLanes / maxLanes -> lane_queue::config (Flynn)
//   message_processing.batch_processing.batch_size / batch_timeout ("50ms") / max_batches_queued
//                                                                         -> batcher::config (Caxton)
//   message_processing.priority_queues.priorities[].name / max_latency_ms / queue_size
//                                                                         -> latency_class_queue::config (Caxton)
// These configs are members of class templates whose fields do not depend on the template arguments, so the
// visits take any of them (lane_queue<E, C>::config for every E, C).
#include <agentkit/config/reader.hpp>
#include <agentkit/runtime/latency_class_queue.hpp>

#include <chrono>
#include <cstddef>

namespace agentkit::config {

template <class V, class Config>
requires requires(Config c) {
    c.max_depth;
    c.request_timeout;
    c.max_tasks_per_turn;
    c.max_parallel_lanes;
    c.max_lanes;
}
void visit_lane_queue(V& v, Config& c) {
    v.integer("maxDepth", c.max_depth, std::size_t{1}, std::size_t{1} << 32);
    v.duration("requestTimeoutMs", c.request_timeout, duration_style::integer, std::chrono::milliseconds(1));
    v.integer("maxTasksPerTurn", c.max_tasks_per_turn, std::size_t{1}, std::size_t{1} << 32);
    v.integer("maxParallelLanes", c.max_parallel_lanes, std::size_t{0}, std::size_t{1} << 20);
    v.integer("maxLanes", c.max_lanes, std::size_t{1}, std::size_t{1} << 32);
}

template <class V, class Config>
requires requires(Config c) {
    c.batch_size;
    c.batch_timeout;
    c.max_batches_queued;
}
void visit_batcher(V& v, Config& c) {
    // batch_size is reserved up front by the batcher: bounded so a typo cannot ask for terabytes.
    v.integer("batch_size", c.batch_size, std::size_t{1}, std::size_t{1} << 20);
    v.duration("batch_timeout", c.batch_timeout, duration_style::text);
    v.integer("max_batches_queued", c.max_batches_queued, std::size_t{1}, std::size_t{1} << 24);
}

template <class V>
void visit(V& v, runtime::latency_class& c) {
    v.string("name", c.name, false);
    v.duration("max_latency_ms", c.max_latency, duration_style::integer, std::chrono::milliseconds(1));
    v.integer("queue_size", c.queue_size, std::size_t{1}, std::size_t{1} << 32);
}

template <class V, class Config>
requires requires(Config c) { c.priorities; }
void visit_priority_queues(V& v, Config& c) {
    v.list("priorities", c.priorities, [](auto& sub, auto& item) { visit(sub, item); });
}

}  // namespace agentkit::config
