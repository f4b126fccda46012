#pragma once
// Health checks for a /health endpoint: named callables that report ok / degraded / failing with a message,
// an aggregate status, and a JSON body.
//   observe::health_registry<> health;
//   health.add("sqlite", [&] { return db.ping() ? health_result::ok() : health_result::failing("ping failed"); });
//   health.add("upstream_model", check_upstream, health_impact::degrades);  // optional dependency
//   auto report = health.run();   // report.http_status(): 200 when ok or degraded, 503 when failing
//   respond(report.http_status(), report.to_json());
// Aggregation: the worst status over the checks, where a check registered with health_impact::degrades can
// pull the aggregate down to `degraded` at most (an optional dependency must not take the service out of a
// load balancer). A check that throws counts as failing, with the exception's message; it never escapes run().
// Checks run one after another on the caller's thread and are timed with the Clock policy (manual_clock in
// tests). A check should bound its own time (a deadline); run() does not preempt it. Register checks at
// startup: add() is not synchronised with run(); run() itself may be called from several threads at once.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/json/escape.hpp>
#include <agentkit/observe/metric_name.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::observe {

enum class health_status { ok = 0, degraded = 1, failing = 2 };

constexpr std::string_view to_string(health_status s) noexcept {
    switch (s) {
        case health_status::ok: return "ok";
        case health_status::degraded: return "degraded";
        case health_status::failing: return "failing";
    }
    return "failing";
}

struct health_result {
    health_status status = health_status::ok;
    std::string message;

    static health_result ok(std::string message = {}) { return {health_status::ok, std::move(message)}; }
    static health_result degraded(std::string message) { return {health_status::degraded, std::move(message)}; }
    static health_result failing(std::string message) { return {health_status::failing, std::move(message)}; }
};

// What a check's failure does to the aggregate.
enum class health_impact {
    fails,     // a required dependency: its failure fails the service (default)
    degrades,  // an optional dependency: its failure degrades the service at most
};

struct health_check_result {
    std::string name;
    health_status status = health_status::ok;
    health_impact impact = health_impact::fails;
    std::string message;
    std::chrono::nanoseconds duration{0};
};

struct health_report {
    health_status status = health_status::ok;
    std::vector<health_check_result> checks;

    // 200 while the service can serve (ok, degraded), 503 when failing: what load balancers probe.
    int http_status() const noexcept { return status == health_status::failing ? 503 : 200; }

    // {"status":"degraded","checks":{"sqlite":{"status":"ok","message":"","duration_ms":0.42}, ...}}
    // A message that is not valid UTF-8 has its bytes >= 0x80 written as \u00XX, so the body is always JSON.
    std::string to_json() const {
        std::string out = "{\"status\":";
        json::append_string(out, to_string(status));
        out += ",\"checks\":{";
        bool first = true;
        for (const auto& c : checks) {
            if (!first) out += ',';
            first = false;
            json::append_string(out, c.name);
            out += ":{\"status\":";
            json::append_string(out, to_string(c.status));
            out += ",\"message\":";
            json::append_string(out, c.message);
            out += ",\"optional\":";
            out += c.impact == health_impact::degrades ? "true" : "false";
            // to_chars, not printf: a process locale with a decimal comma must not break the JSON.
            char buf[40];
            const auto r =
                std::to_chars(buf, buf + sizeof buf, std::chrono::duration<double, std::milli>(c.duration).count(),
                              std::chars_format::fixed, 3);
            out += ",\"duration_ms\":";
            out.append(buf, r.ptr);
            out += '}';
        }
        out += "}}";
        return out;
    }
};

template <clock_policy Clock = steady_clock>
class health_registry {
public:
    using check_fn = std::function<health_result()>;

    explicit health_registry(Clock clock = {}) : clock_(std::move(clock)) {}

    // name: [a-zA-Z0-9_.-]+, unique; otherwise agentkit::error naming "health.checks[<name>]".
    void add(std::string name, check_fn check, health_impact impact = health_impact::fails) {
        const std::string field = detail::concat({"health.checks[", name, "]"});
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
                return detail::is_name_char(c) || c == '-' || c == '.';
            }))
            throw_invalid_field(field, "check names must be non-empty [a-zA-Z0-9_.-]");
        if (!check) throw_invalid_field(field, "check must be callable");
        for (const auto& e : entries_)
            if (e.name == name) throw_invalid_field(field, "duplicate check name");
        entries_.push_back({std::move(name), std::move(check), impact});
    }

    std::size_t size() const noexcept { return entries_.size(); }

    // Runs every check in registration order and aggregates.
    health_report run() const {
        health_report report;
        report.checks.reserve(entries_.size());
        for (const auto& e : entries_) {
            health_check_result r{e.name, health_status::ok, e.impact, {}, {}};
            const auto start = clock_.now();
            try {
                auto got = e.check();
                r.status = got.status;
                r.message = std::move(got.message);
            } catch (const std::exception& ex) {
                r.status = health_status::failing;
                r.message = detail::concat({"check threw: ", ex.what()});
            } catch (...) {
                r.status = health_status::failing;
                r.message = "check threw a non-standard exception";
            }
            r.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.now() - start);
            auto effect = r.status;
            if (e.impact == health_impact::degrades && effect == health_status::failing)
                effect = health_status::degraded;
            report.status = std::max(report.status, effect);
            report.checks.push_back(std::move(r));
        }
        return report;
    }

private:
    struct entry {
        std::string name;
        check_fn check;
        health_impact impact;
    };
    Clock clock_;
    std::vector<entry> entries_;
};

}  // namespace agentkit::observe
