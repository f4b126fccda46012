#pragma once
// Writes a metric_registry in the Prometheus text exposition format 0.0.4 (Content-Type:
// "text/plain; version=0.0.4; charset=utf-8"), the body of a /metrics endpoint:
//   # HELP http_requests_total HTTP requests served
//   # TYPE http_requests_total counter
//   http_requests_total{method="GET",status="200"} 1027
//   # HELP http_request_duration_seconds Request latency
//   # TYPE http_request_duration_seconds histogram
//   http_request_duration_seconds_bucket{route="/v1/chat",le="0.005"} 24
//   ...  (cumulative, ending with le="+Inf" == _count)
//   http_request_duration_seconds_sum{route="/v1/chat"} 53.42
//   http_request_duration_seconds_count{route="/v1/chat"} 144
// Families appear in registration order, series in label-value order; label values and HELP text are
// escaped (metric_name.hpp); numbers are printed in the shortest form that reads back to the same double.
// Histogram `le` counts come from the log-linear buckets: exact when a bound is a bucket edge, otherwise values
// within 2^-m (1.6% by default) below the bound are counted under the next bound (see log_linear_histogram).
// The definitions are in impl/prometheus_text.ipp (see core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/observe/metric_registry.hpp>

#include <string>
#include <string_view>

namespace agentkit::observe {

inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

// Appends the whole registry to `out` (reserve or reuse `out` to avoid reallocations across scrapes).
AGENTKIT_DECL void write_prometheus_text(std::string& out, const metric_registry& registry);
AGENTKIT_DECL std::string to_prometheus_text(const metric_registry& registry);

namespace detail {
// `v` in the shortest form that reads back to the same double; NaN and infinities as Prometheus spells them.
AGENTKIT_DECL void append_double(std::string& out, double v);
}  // namespace detail

}  // namespace agentkit::observe

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/observe/impl/prometheus_text.ipp>
#endif
