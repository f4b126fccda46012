#pragma once
// A storage backend's Prometheus series (storage::memory and storage::sqlite attach_metrics):
//   agentkit_storage_appends_total{backend}            messages appended (append_batch of n counts n)
//   agentkit_storage_append_duration_seconds{backend}  one sample per append / append_batch call that
//                                                      succeeded, its commit included (histogram)
// `backend` is the instance name given to attach_metrics; backends attached under one name add into the
// same series. Before attach_metrics an append pays one null-pointer test and reads no clock; the registry
// must outlive every backend attached to it.
#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/log_linear_histogram.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>

#include <chrono>
#include <cstddef>
#include <string_view>

namespace agentkit::storage {

// The series one backend updates; both null until attached.
struct storage_series {
    observe::counter* appends = nullptr;
    observe::latency_histogram* append_duration = nullptr;
};

template <observe::registry Registry>
storage_series storage_series_in(Registry& registry, std::string_view backend) {
    storage_series s;
    s.appends =
        &registry.find_or_add_counter("agentkit_storage_appends", "Messages appended to session storage", {"backend"})
             .with({backend});
    s.append_duration =
        &registry
             .find_or_add_histogram("agentkit_storage_append_duration_seconds",
                                    "Time of one append or append_batch call, its commit included", {"backend"})
             .with({backend});
    return s;
}

namespace detail {

// Times appends into a backend's series; touches no clock while detached. Used under the backend's lock.
class append_meter {
public:
    using clock = std::chrono::steady_clock;

    void attach(const storage_series& s) noexcept { s_ = s; }
    clock::time_point start() const noexcept { return s_.appends ? clock::now() : clock::time_point{}; }
    void appended(std::size_t messages, clock::time_point started) noexcept {
        if (!s_.appends) return;
        s_.appends->increment(messages);
        s_.append_duration->record(clock::now() - started);
    }

private:
    storage_series s_{};
};

}  // namespace detail

}  // namespace agentkit::storage
