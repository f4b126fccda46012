#pragma once
// Seed keys of rate limiting (Caxton's http_server.rate_limiting block):
//   http_server.rate_limiting.enabled          -> deployment::rate_limiting_enabled
//   http_server.rate_limiting.global_rate      -> token_bucket::config::rate of the global bucket (per period)
//   http_server.rate_limiting.per_ip_rate      -> token_bucket::config::rate of each client's bucket
//   http_server.rate_limiting.burst_size       -> burst_size of the global bucket (and of the per-IP buckets
//                                                 unless per_ip_burst_size is given)
//   http_server.rate_limiting.per_ip_burst_size, period ("1s"), max_ips -> ours: the per-IP burst, the rate's
//                                                 period, keyed_rate_limiter::config::max_keys
#include <agentkit/config/reader.hpp>
#include <agentkit/resilience/token_bucket.hpp>

#include <chrono>
#include <cstdint>

namespace agentkit::config {

struct rate_limit_keys {
    bool& enabled;
    resilience::token_bucket::config& global;
    resilience::token_bucket::config& per_ip;
    std::size_t& max_ips;
};

template <class V>
void visit(V& v, rate_limit_keys c) {
    v.boolean("enabled", c.enabled);
    v.integer("global_rate", c.global.rate, std::int64_t{1}, std::int64_t{1} << 40);
    v.integer("per_ip_rate", c.per_ip.rate, std::int64_t{1}, std::int64_t{1} << 40);
    v.integer("burst_size", c.global.burst_size, std::int64_t{1}, std::int64_t{1} << 40);
    if constexpr (V::loading) {
        if (!json::member(v.current(), "per_ip_burst_size") && json::member(v.current(), "burst_size"))
            c.per_ip.burst_size = c.global.burst_size;
    }
    v.integer("per_ip_burst_size", c.per_ip.burst_size, std::int64_t{1}, std::int64_t{1} << 40);
    // The seeds' rates are per second; a period below a millisecond is not offered here.
    v.duration("period", c.global.period, duration_style::text, std::chrono::milliseconds(1));
    if constexpr (V::loading) c.per_ip.period = c.global.period;
    // keyed_rate_limiter allocates max_keys slots up front: bounded to 2^24 clients.
    v.integer("max_ips", c.max_ips, std::size_t{1}, std::size_t{1} << 24);
}

}  // namespace agentkit::config
