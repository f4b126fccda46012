#pragma once
// The definitions of metric_registry.hpp's non-template members: included by it (header-only) or compiled once
// (src/agentkit.cpp).
#include <agentkit/observe/metric_registry.hpp>

#include <cmath>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::observe {

AGENTKIT_DECL counter_family& metric_registry::find_or_add_counter(std::string_view name, std::string_view help,
                                                                   std::vector<std::string> labels) {
    std::string_view base = name;
    if (base.size() > 6 && base.ends_with("_total")) base.remove_suffix(6);
    std::lock_guard lock(find_or_add_mu_);
    if (auto* f = existing<observe::counter>(base, labels)) return *f;
    return add_counter(name, help, std::move(labels));
}

AGENTKIT_DECL gauge_family& metric_registry::find_or_add_gauge(std::string_view name, std::string_view help,
                                                               std::vector<std::string> labels) {
    std::lock_guard lock(find_or_add_mu_);
    if (auto* f = existing<observe::gauge>(name, labels)) return *f;
    return add_gauge(name, help, std::move(labels));
}

AGENTKIT_DECL histogram_family& metric_registry::find_or_add_histogram(std::string_view name, std::string_view help,
                                                                       std::vector<std::string> labels,
                                                                       histogram_options options) {
    std::lock_guard lock(find_or_add_mu_);
    if (auto* f = existing<latency_histogram>(name, labels)) return *f;
    return add_histogram(name, help, std::move(labels), std::move(options));
}

AGENTKIT_DECL counter_family& metric_registry::add_counter(std::string_view name, std::string_view help,
                                                           std::vector<std::string> labels) {
    return add_counter_of<counter>(name, help, std::move(labels));
}

AGENTKIT_DECL striped_counter_family& metric_registry::add_striped_counter(std::string_view name, std::string_view help,
                                                                           std::vector<std::string> labels) {
    return add_counter_of<striped_counter<>>(name, help, std::move(labels));
}

AGENTKIT_DECL gauge_family& metric_registry::add_gauge(std::string_view name, std::string_view help,
                                                       std::vector<std::string> labels) {
    validate_metric_name(name);
    validate_labels(labels, name, nullptr);
    return add<gauge>(std::string(name), {std::string(name)}, help, std::move(labels), {});
}

AGENTKIT_DECL histogram_family& metric_registry::add_histogram(std::string_view name, std::string_view help,
                                                               std::vector<std::string> labels,
                                                               histogram_options options) {
    validate_metric_name(name);
    const bool summary = options.expose_as == histogram_options::exposition::summary;
    validate_labels(labels, name, summary ? "quantile" : "le");
    const std::string n(name);
    if (summary) {
        for (std::size_t i = 0; i < options.quantiles.size(); ++i)
            if (!(options.quantiles[i] >= 0.0 && options.quantiles[i] <= 1.0))
                throw_invalid_field(detail::concat({n, ".quantiles[", std::to_string(i), "]"}),
                                    "must be within [0, 1]");
    } else {
        for (std::size_t i = 0; i < options.buckets.size(); ++i) {
            if (!std::isfinite(options.buckets[i]) || options.buckets[i] < 0)
                throw_invalid_field(detail::concat({n, ".buckets[", std::to_string(i), "]"}),
                                    "must be finite and >= 0 (values are never negative; +Inf is always added)");
            if (i > 0 && !(options.buckets[i] > options.buckets[i - 1]))
                throw_invalid_field(detail::concat({n, ".buckets[", std::to_string(i), "]"}),
                                    "bucket bounds must be strictly increasing");
        }
    }
    if (!(options.unit > 0.0) || !std::isfinite(options.unit))
        throw_invalid_field(detail::concat({n, ".unit"}), "must be a positive finite number");
    std::vector<std::string> emitted{detail::concat({n, "_sum"}), detail::concat({n, "_count"}),
                                     summary ? n : detail::concat({n, "_bucket"})};
    return add<latency_histogram>(n, std::move(emitted), help, std::move(labels), std::move(options));
}

AGENTKIT_DECL std::vector<metric_registry::family_ref> metric_registry::families() const {
    std::lock_guard lock(mu_);
    return order_;
}

AGENTKIT_DECL void metric_registry::validate_labels(const std::vector<std::string>& labels, std::string_view metric,
                                                    const char* reserved) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string field = detail::concat({metric, ".labels[", std::to_string(i), "]"});
        validate_label_name(labels[i], field);
        if (reserved && labels[i] == reserved)
            throw_invalid_field(field,
                                detail::concat({"'", labels[i], "' is reserved by the exposition of this metric"}));
        if (!seen.insert(labels[i]).second)
            throw_invalid_field(field, detail::concat({"duplicate label name '", labels[i], "'"}));
    }
}

}  // namespace agentkit::observe
