#pragma once
// A queue's Prometheus series (lane_queue and latency_class_queue attach_metrics):
//   agentkit_queue_depth{queue,class}         tasks waiting, not yet started (gauge)
//   agentkit_queue_wait_seconds{queue,class}  time from enqueue to start of each task that started (histogram)
// `queue` is the instance name given to attach_metrics; `class` is the latency class of a
// latency_class_queue and empty for a lane_queue (which has none). Queues attached under one name add into
// the same series (their depths sum). Before attach_metrics a queue pays one null-pointer test under the lock
// it already holds; the registry must outlive every queue attached to it.
#include <agentkit/observe/gauge.hpp>
#include <agentkit/observe/log_linear_histogram.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>

#include <string_view>

namespace agentkit::runtime {

// The series one queue (or one class of it) updates; both null until attached.
struct queue_series {
    observe::gauge* depth = nullptr;
    observe::latency_histogram* wait = nullptr;
};

template <observe::registry Registry>
queue_series queue_series_in(Registry& registry, std::string_view queue, std::string_view latency_class) {
    queue_series s;
    s.depth =
        &registry
             .find_or_add_gauge("agentkit_queue_depth", "Tasks waiting in a queue, not yet started", {"queue", "class"})
             .with({queue, latency_class});
    s.wait = &registry
                  .find_or_add_histogram("agentkit_queue_wait_seconds",
                                         "Time a task waited in a queue before it started", {"queue", "class"})
                  .with({queue, latency_class});
    return s;
}

}  // namespace agentkit::runtime
