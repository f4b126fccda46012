#pragma once
// The definitions of prometheus_text.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/observe/metric_name.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>

#include <algorithm>
#include <charconv>
#include <concepts>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace agentkit::observe {

namespace detail {
AGENTKIT_DECL void append_double(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
        return;
    }
    if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    // Whole numbers below 2^53 as integers (1700000000, not the shorter 1.7e+09): byte counts and Unix
    // times read as people expect. Everything else: the shortest text that reads back to the same double.
    const auto r = std::trunc(v) == v && std::abs(v) < 9007199254740992.0
        ? std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v))
        : std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}
inline void append_uint(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// {a="x",b="y"[,extra="value"]}; nothing when there are no labels at all.
inline void append_labels(std::string& out, const std::vector<std::string>& names,
                          const std::vector<std::string>& values, std::string_view extra_name = {},
                          std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return;
    out += '{';
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ',';
        out += names[i];
        out += "=\"";
        append_escaped_label_value(out, values[i]);
        out += '"';
    }
    if (!extra_name.empty()) {
        if (!names.empty()) out += ',';
        out += extra_name;
        out += "=\"";
        out += extra_value;
        out += '"';
    }
    out += '}';
}

inline void append_header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped_help(out, help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}
}  // namespace detail

template <class Counter>
requires std::same_as<Counter, counter> || std::same_as<Counter, striped_counter<>>
inline void write_family(std::string& out, const metric_family<Counter>& f) {
    const std::string name = detail::concat({f.name(), "_total"});
    detail::append_header(out, name, f.help(), "counter");
    f.for_each([&](const std::vector<std::string>& labels, const Counter& c) {
        out += name;
        detail::append_labels(out, f.label_names(), labels);
        out += ' ';
        detail::append_uint(out, c.value());
        out += '\n';
    });
}

inline void write_family(std::string& out, const gauge_family& f) {
    detail::append_header(out, f.name(), f.help(), "gauge");
    f.for_each([&](const std::vector<std::string>& labels, const gauge& g) {
        out += f.name();
        detail::append_labels(out, f.label_names(), labels);
        out += ' ';
        detail::append_double(out, g.value());
        out += '\n';
    });
}

// `scratch` is reused across series so a scrape does not allocate a bucket array per series.
inline void write_family(std::string& out, const histogram_family& f, histogram_snapshot& scratch) {
    const auto& opt = f.options();
    const bool summary = opt.expose_as == histogram_options::exposition::summary;
    detail::append_header(out, f.name(), f.help(), summary ? "summary" : "histogram");
    std::string bound;
    // The `le` bounds as text and as tick counts, once per family: the largest tick count whose value is <= le
    // (le / unit carries rounding error, 0.005 / 1e-9 = 4999999.99..: snapped to an integer within 1e-9).
    // Bounds are >= 0 (the registry checks); bounds past 2^64 ticks hold everything but the overflow bucket.
    std::vector<std::string> bound_text;
    std::vector<std::uint64_t> bound_ticks, cumulative;
    for (double le : opt.buckets) {
        bound.clear();
        detail::append_double(bound, le);
        bound_text.push_back(bound);
        double ticks = le / opt.unit;
        ticks = std::abs(ticks - std::round(ticks)) <= 1e-9 * std::max(1.0, std::abs(ticks)) ? std::round(ticks)
                                                                                             : std::floor(ticks);
        bound_ticks.push_back(ticks >= 18446744073709551615.0 ? std::numeric_limits<std::uint64_t>::max()
                                                              : static_cast<std::uint64_t>(ticks));
    }
    std::string block;  // this series' escaped labels, built once and reused by each of its lines
    const auto line = [&](std::string_view suffix, std::string_view extra_name, std::string_view extra_value) {
        out += f.name();
        out += suffix;
        if (!block.empty() || !extra_name.empty()) {
            out += '{';
            out += block;
            if (!extra_name.empty()) {
                if (!block.empty()) out += ',';
                out += extra_name;
                out += "=\"";
                out += extra_value;
                out += '"';
            }
            out += '}';
        }
        out += ' ';
    };
    f.for_each([&](const std::vector<std::string>& labels, const latency_histogram& h) {
        h.snapshot_into(scratch);
        block.clear();
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i) block += ',';
            block += f.label_names()[i];
            block += "=\"";
            append_escaped_label_value(block, labels[i]);
            block += '"';
        }
        if (summary) {
            for (double q : opt.quantiles) {
                bound.clear();
                detail::append_double(bound, q);
                line("", "quantile", bound);
                detail::append_double(out, scratch.count() ? scratch.quantile(q) : std::nan(""));
                out += '\n';
            }
        } else {
            scratch.counts_at_most(bound_ticks, cumulative);
            for (std::size_t i = 0; i < opt.buckets.size(); ++i) {
                line("_bucket", "le", bound_text[i]);
                detail::append_uint(out, cumulative[i]);
                out += '\n';
            }
            line("_bucket", "le", "+Inf");
            detail::append_uint(out, scratch.count());
            out += '\n';
        }
        line("_sum", {}, {});
        detail::append_double(out, scratch.sum());
        out += '\n';
        line("_count", {}, {});
        detail::append_uint(out, scratch.count());
        out += '\n';
    });
}

AGENTKIT_DECL void write_prometheus_text(std::string& out, const metric_registry& registry) {
    histogram_snapshot scratch;
    for (const auto& ref : registry.families()) {
        std::visit(
            [&](const auto* f) {
                if constexpr (std::is_same_v<std::decay_t<decltype(*f)>, histogram_family>)
                    write_family(out, *f, scratch);
                else
                    write_family(out, *f);
            },
            ref);
    }
}

AGENTKIT_DECL std::string to_prometheus_text(const metric_registry& registry) {
    std::string out;
    write_prometheus_text(out, registry);
    return out;
}

}  // namespace agentkit::observe
