#pragma once
// A registry of named metric families with labels, the source of a /metrics scrape (prometheus_text.hpp).
//   metric_registry reg;
//   auto& requests = reg.add_counter("http_requests_total", "HTTP requests served", {"method", "status"});
//   auto& latency  = reg.add_histogram("http_request_duration_seconds", "Request latency", {"route"});
//   requests.with({"GET", "200"}).increment();          // look a series up once, keep the reference:
//   auto& chat = latency.with({"/v1/chat/completions"}); // with() takes a lock and builds a key;
//   chat.record(elapsed);                                // the series itself is lock-free.
// Names follow Prometheus' rules (metric_name.hpp); a bad or duplicate name, a reserved label (`le` on a
// histogram, `quantile` on a summary) or a wrong number of label values is an agentkit::error naming the field.
// Counters are exposed with the `_total` suffix: "tool_executions" and "tool_executions_total" name the same
// family. Series references stay valid for the registry's lifetime (each series is allocated once, never moved).
#include <agentkit/core/config_macros.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/observe/counter.hpp>
#include <agentkit/observe/gauge.hpp>
#include <agentkit/observe/log_linear_histogram.hpp>
#include <agentkit/observe/metric_name.hpp>

#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace agentkit::observe {

enum class metric_type { counter, gauge, histogram };

// How a histogram family is exposed and measured.
struct histogram_options {
    // histogram: _bucket{le=...} cumulative counts + _sum + _count; aggregatable across instances (the default,
    //            and what the seeds' *_duration_seconds histograms are).
    // summary:   {quantile="0.5|0.95|0.99"} from the log-linear buckets (within 0.78%) + _sum + _count;
    //            exact-ish per-instance p50/p95/p99, but quantiles cannot be averaged across instances.
    enum class exposition { histogram, summary };
    exposition expose_as = exposition::histogram;
    // Upper bounds (`le`) in the exposed unit, strictly increasing, finite and >= 0; +Inf is always added.
    // Default: Prometheus client libraries' default buckets (seconds).
    std::vector<double> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    // Quantiles for exposition::summary, each in [0, 1].
    std::vector<double> quantiles{0.5, 0.95, 0.99};
    // What one recorded tick is worth in the exposed unit: 1e-9 = nanosecond ticks exposed as seconds.
    double unit = 1e-9;
};

template <class Metric>
class metric_family {
public:
    using metric_type_t = Metric;

    metric_family(std::string name, std::string help, std::vector<std::string> label_names,
                  histogram_options options = {})
        : name_(std::move(name)),
          help_(std::move(help)),
          label_names_(std::move(label_names)),
          options_(std::move(options)) {}
    metric_family(const metric_family&) = delete;
    metric_family& operator=(const metric_family&) = delete;

    const std::string& name() const noexcept { return name_; }
    const std::string& help() const noexcept { return help_; }
    const std::vector<std::string>& label_names() const noexcept { return label_names_; }
    const histogram_options& options() const noexcept { return options_; }

    // The series for these label values (one per label name, in order), created on first use.
    Metric& with(std::initializer_list<std::string_view> values) { return with_span(values.begin(), values.size()); }
    Metric& with(const std::vector<std::string>& values) {
        std::vector<std::string_view> v(values.begin(), values.end());
        return with_span(v.data(), v.size());
    }
    // The one series of a family without labels.
    Metric& get() { return with_span(nullptr, 0); }

    // Visits (label values, metric) in label-value order, under the family's lock.
    template <class F>
    void for_each(F&& f) const {
        std::lock_guard lock(mu_);
        for (const auto& [labels, metric] : series_) f(labels, *metric);
    }
    std::size_t size() const {
        std::lock_guard lock(mu_);
        return series_.size();
    }

private:
    Metric& with_span(const std::string_view* values, std::size_t n) {
        if (n != label_names_.size())
            throw_invalid_field(detail::concat({name_, ".labels"}),
                                detail::concat({"expected ", std::to_string(label_names_.size()), " label values, got ",
                                                std::to_string(n)}));
        std::vector<std::string> key;
        key.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            validate_label_value(values[i], detail::concat({name_, "{", label_names_[i], "}"}));
            key.emplace_back(values[i]);
        }
        std::lock_guard lock(mu_);
        auto it = series_.find(key);
        if (it == series_.end()) it = series_.emplace(std::move(key), make()).first;
        return *it->second;
    }
    std::unique_ptr<Metric> make() const {
        if constexpr (requires { Metric(options_.unit); })
            return std::make_unique<Metric>(options_.unit);
        else
            return std::make_unique<Metric>();
    }

    std::string name_, help_;
    std::vector<std::string> label_names_;
    histogram_options options_;
    mutable std::mutex mu_;
    std::mutex find_or_add_mu_;  // a lookup and the registration it leads to, as one step for find_or_add_*
    std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

using counter_family = metric_family<counter>;
// Counters bumped by several threads at once (requests, tokens): one cache line per stripe (counter.hpp).
using striped_counter_family = metric_family<striped_counter<>>;
using gauge_family = metric_family<gauge>;
using histogram_family = metric_family<latency_histogram>;

class metric_registry {
public:
    using family_ref = std::variant<const counter_family*, const striped_counter_family*, const gauge_family*,
                                    const histogram_family*>;

    metric_registry() = default;
    metric_registry(const metric_registry&) = delete;
    metric_registry& operator=(const metric_registry&) = delete;

    // `name` may end in _total or not; the family is exposed as <base>_total.
    AGENTKIT_DECL counter_family& add_counter(std::string_view name, std::string_view help,
                                              std::vector<std::string> labels = {});
    // The same, each series a striped_counter<8> (512 bytes): for counters several cores bump at once.
    AGENTKIT_DECL striped_counter_family& add_striped_counter(std::string_view name, std::string_view help,
                                                              std::vector<std::string> labels = {});
    AGENTKIT_DECL gauge_family& add_gauge(std::string_view name, std::string_view help,
                                          std::vector<std::string> labels = {});
    AGENTKIT_DECL histogram_family& add_histogram(std::string_view name, std::string_view help,
                                                  std::vector<std::string> labels = {}, histogram_options options = {});

    // The family of this name when one of the same kind and label names is registered, else a new one: how
    // several instances of a part (two caches, two HTTP clients) share a family, told apart by a label.
    // The same name with another kind or other labels is an agentkit::error naming metric.name.
    AGENTKIT_DECL counter_family& find_or_add_counter(std::string_view name, std::string_view help,
                                                      std::vector<std::string> labels = {});
    AGENTKIT_DECL gauge_family& find_or_add_gauge(std::string_view name, std::string_view help,
                                                  std::vector<std::string> labels = {});
    AGENTKIT_DECL histogram_family& find_or_add_histogram(std::string_view name, std::string_view help,
                                                          std::vector<std::string> labels = {},
                                                          histogram_options options = {});

    // Families in registration order (the exposition order); a copy, so registration may go on meanwhile.
    AGENTKIT_DECL std::vector<family_ref> families() const;

private:
    template <class Counter>
    metric_family<Counter>& add_counter_of(std::string_view name, std::string_view help,
                                           std::vector<std::string> labels) {
        std::string base(name);
        if (base.size() > 6 && base.ends_with("_total")) base.resize(base.size() - 6);
        validate_metric_name(name);
        validate_labels(labels, base, nullptr);
        return add<Counter>(base, {detail::concat({base, "_total"})}, help, std::move(labels), {});
    }

    template <class Metric>
    metric_family<Metric>& add(std::string base, std::vector<std::string> emitted, std::string_view help,
                               std::vector<std::string> labels, histogram_options options) {
        std::lock_guard lock(mu_);
        emitted.push_back(base);
        for (const auto& e : emitted)
            if (taken_.count(e))
                throw_invalid_field("metric.name", detail::concat({"'", e, "' is already registered"}));
        for (auto& e : emitted) taken_.insert(std::move(e));
        auto family = std::make_unique<metric_family<Metric>>(std::move(base), std::string(help), std::move(labels),
                                                              std::move(options));
        auto& ref = *family;
        order_.emplace_back(static_cast<const metric_family<Metric>*>(&ref));
        owned_.emplace_back(std::shared_ptr<void>(std::move(family)));
        return ref;
    }
    // The registered family named `base` of kind Metric with these labels, or nullptr when none has the name.
    template <class Metric>
    metric_family<Metric>* existing(std::string_view base, const std::vector<std::string>& labels) const {
        std::lock_guard lock(mu_);
        for (const auto& ref : order_) {
            metric_family<Metric>* found = nullptr;
            bool named = false;
            std::visit(
                [&](auto* f) {
                    if (f->name() != base) return;
                    named = true;
                    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(*f)>, metric_family<Metric>>)
                        if (f->label_names() == labels) found = const_cast<metric_family<Metric>*>(f);
                },
                ref);
            if (named && !found)
                throw_invalid_field("metric.name",
                                    detail::concat({"'", base, "' is registered with another type or other labels"}));
            if (found) return found;
        }
        return nullptr;
    }
    AGENTKIT_DECL static void validate_labels(const std::vector<std::string>& labels, std::string_view metric,
                                              const char* reserved);

    mutable std::mutex mu_;
    std::mutex find_or_add_mu_;  // a lookup and the registration it leads to, as one step for find_or_add_*
    std::set<std::string> taken_;
    std::vector<family_ref> order_;
    std::vector<std::shared_ptr<void>> owned_;
};

}  // namespace agentkit::observe

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/observe/impl/metric_registry.ipp>
#endif
