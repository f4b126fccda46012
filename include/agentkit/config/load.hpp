#pragma once
// Loading a deployment file (JSON; keys are the seeds' knob names, see deployment.hpp), validating it with
// the policies' own checks, and dumping the effective configuration.
//
//   auto d = agentkit::config::load_deployment_file("prod.json");   // throws agentkit::error naming the key
//   std::cout << agentkit::config::to_json(d);                         // every knob with its value
//
// Guarantees: any input gives either a deployment or an agentkit::error (parse_error with the byte offset,
// or invalid_argument with the dotted key path); an accepted deployment constructs every policy it
// configures without throwing (validate() constructs them); nesting deeper than 64 levels is refused
// before parsing (RapidJSON's values are freed recursively); a NUL byte anywhere is a parse_error (RapidJSON
// would take it for the end of the document); a key written twice in any object is an error naming it
// ("models.router.tiers.fast: duplicate key"), since which one wins would be a guess. Files are read with
// read_file: at most max_file_bytes (16 MiB), else capacity_exceeded naming config.max_file_bytes.
#include <agentkit/config/deployment.hpp>
#include <agentkit/config/reader.hpp>
#include <agentkit/config/writer.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/core/read_file.hpp>
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::config {

inline constexpr std::size_t max_nesting = 64;
// The largest deployment file (or stdin document) read; the error names "config.max_file_bytes".
inline constexpr std::size_t max_file_bytes = 16u << 20;

namespace detail {
// Bracket depth outside strings; stops at the first level past `limit`.
inline void check_nesting(std::string_view text, std::size_t limit, std::string_view what) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit)
                throw error(errc::parse_error,
                            std::string("nested deeper than ")
                                .append(std::to_string(limit))
                                .append(" levels at byte ")
                                .append(std::to_string(i)),
                            std::string(what));
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
}

// Refuses a key written twice in any object of the document, known section or not (JSON allows it).
inline void check_duplicate_keys(const json::value& v, const std::string& path) {
    if (v.IsObject()) {
        std::set<std::string_view> seen;
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
            const std::string_view name(it->name.GetString(), it->name.GetStringLength());
            const bool twice = !seen.insert(name).second;
            if (!twice && !it->value.IsObject() && !it->value.IsArray()) continue;
            const std::string p = path.empty() ? shown(name) : path + "." + shown(name);
            if (twice) throw_invalid_field(p, "duplicate key");
            check_duplicate_keys(it->value, p);
        }
    } else if (v.IsArray()) {
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
            if (v[i].IsObject() || v[i].IsArray()) check_duplicate_keys(v[i], path + "[" + std::to_string(i) + "]");
    }
}

// What a policy's constructor threw, re-thrown under the section's key path.
template <class F>
void check_section(std::string_view path, F&& construct) {
    try {
        construct();
    } catch (const error& e) {
        std::string detail = e.what();
        constexpr std::string_view prefix = "agentkit: ";
        if (std::string_view(detail).starts_with(prefix)) detail.erase(0, prefix.size());
        // The policy already named the section itself: do not say it twice.
        if (e.field() == path) detail.erase(0, e.field().size() + 2);
        throw error(errc::invalid_argument, detail, std::string(path));
    }
}

struct inline_executor {
    void submit(std::function<void()> f) { f(); }
};
}  // namespace detail

// Runs every check the configured policies run, by constructing them (those that would allocate their
// capacity up front are checked field by field instead). Throws agentkit::error naming the section.
inline void validate(const deployment& d) {
    using detail::check_section;
    check_section("agent", [&] {
        if (d.agent.max_iterations == 0) throw_invalid_field("maxIterations", "must be at least 1");
    });
    check_section("compaction", [&] { d.compaction.validate(); });
    check_section("compaction.proactive", [&] { d.proactive.validate(); });
    // Without tiers there is no router to build (a deployment on one provider): its tables are not checked.
    if (!d.router.tiers.empty()) check_section("models.router", [&] { model::router r(d.router); });
    check_section("models.router.retry", [&] {
        resilience::exponential_backoff<resilience::full_jitter> backoff(d.router.backoff);
        resilience::default_classifier classifier(d.router.classifier);
        model::router::retry_type retry(d.router.retry, backoff, classifier);
    });
    check_section("models.router.circuitBreaker", [&] {
        const auto& b = d.router.breaker;
        // The breaker's own checks, without allocating its window (sliding_window_size slots).
        if (!(b.failure_rate_threshold > 0 && b.failure_rate_threshold <= 100))
            throw_invalid_field("failureRateThreshold", "must be within (0, 100]");
        if (!(b.slow_call_rate_threshold > 0 && b.slow_call_rate_threshold <= 100))
            throw_invalid_field("slowCallRateThreshold", "must be within (0, 100]");
        if (b.sliding_window_size == 0 || b.sliding_window_size > (1u << 24))
            throw_invalid_field("slidingWindowSize", "must be in [1, 2^24]");
        if (b.minimum_number_of_calls == 0) throw_invalid_field("minimumNumberOfCalls", "must be at least 1");
        if (b.permitted_number_of_calls_in_half_open_state == 0)
            throw_invalid_field("permittedNumberOfCallsInHalfOpenState", "must be at least 1");
        if (b.wait_duration_in_open_state.count() < 0)
            throw_invalid_field("waitDurationInOpenStateMs", "must not be negative");
        if (b.slow_call_duration_threshold.count() <= 0)
            throw_invalid_field("slowCallDurationThresholdMs", "must be positive");
    });
    check_section("models.router.bulkhead", [&] { resilience::bulkhead b(d.router.bulkhead); });
    check_section("tools.executor", [&] { tools::executor e(d.executor); });
    check_section("http_server", [&] { d.server.validate(); });
    check_section("tools.cache", [&] {
        // The cache reserves max_size entries when built: its checks, without the allocation.
        if (d.tool_cache.max_size == 0) throw_invalid_field("maxSize", "must be at least 1");
        if (d.tool_cache.ttl.count() < 0) throw_invalid_field("ttl", "must not be negative");
    });
    check_section("sessions", [&] { d.sessions.validate(); });
    check_section("memory.sqlite_config", [&] { d.sqlite.validate(); });
    check_section("memory.embeddings.chunking", [&] { d.chunking.validate(); });
    // The caches reserve their capacity when built: their checks, without the allocation.
    check_section("memory.embeddings.cache", [&] {
        if (d.embedding_cache.cache_size == 0) throw_invalid_field("cache_size", "must be at least 1");
        if (d.embedding_cache.ttl.count() < 0) throw_invalid_field("ttl", "must not be negative");
    });
    check_section("response_cache", [&] {
        if (d.response_cache.cache_size < 8)
            throw_invalid_field("cache_size", "must be at least the number of shards (8)");
        if (d.response_cache.ttl.count() < 0) throw_invalid_field("ttl", "must not be negative");
    });
    check_section("file_cache", [&] {
        if (d.file_cache.max_cache_size == 0) throw_invalid_field("max_cache_size", "must be at least 1");
        if (d.file_cache.max_file_size == 0) throw_invalid_field("file_cache.max_file_size", "must be at least 1");
        if (d.file_cache.max_workers == 0) throw_invalid_field("file_cache.max_workers", "must be at least 1");
    });
    check_section("http_server.rate_limiting", [&] {
        resilience::token_bucket global(d.global_rate_limit);
        resilience::token_bucket per_ip(d.per_ip_rate_limit);
        if (d.max_ips == 0 || d.max_ips > (std::size_t{1} << 32))
            throw_invalid_field("max_ips", "must be within [1, 2^32]");
    });
    check_section("gateway.laneQueue", [&] {
        detail::inline_executor ex;
        runtime::lane_queue<detail::inline_executor>::config c;
        c.max_depth = d.lane_queue.max_depth;
        c.request_timeout = d.lane_queue.request_timeout;
        c.max_tasks_per_turn = d.lane_queue.max_tasks_per_turn;
        c.max_parallel_lanes = d.lane_queue.max_parallel_lanes;
        c.max_lanes = d.lane_queue.max_lanes;
        runtime::lane_queue<detail::inline_executor> q(ex, c);
    });
    check_section("message_processing.batch_processing", [&] {
        runtime::batcher<char>::config c{d.batching.batch_size, d.batching.batch_timeout,
                                         d.batching.max_batches_queued};
        runtime::batcher<char> b(c);
    });
    check_section("message_processing.priority_queues", [&] {
        runtime::latency_class_queue<char>::config c{d.priority_queues.priorities};
        runtime::latency_class_queue<char> q(c);
    });
}

// Loads a deployment from JSON text. `what` names the document in parse errors (a file name).
inline deployment load_deployment(std::string_view text, const load_options& options = {},
                                  std::vector<std::string>* warnings = nullptr, std::string_view what = "deployment") {
    const std::string shown_what = printable(what);
    // JSON has no raw NUL anywhere (in a string it is written \u0000); RapidJSON would end the document there.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        throw error(errc::parse_error, std::string("NUL byte at byte ").append(std::to_string(nul)), shown_what);
    detail::check_nesting(text, max_nesting, shown_what);
    // The wire parser: bounded, and numbers converted without RapidJSON's strtod (see json/document.hpp).
    const json::document doc = json::parse(text, shown_what);
    detail::check_duplicate_keys(doc, "");
    deployment d;
    reader r(doc, "", options, warnings);
    visit(r, d);
    r.finish();
    validate(d);
    return d;
}

inline deployment load_deployment_file(const std::filesystem::path& file, const load_options& options = {},
                                       std::vector<std::string>* warnings = nullptr) {
    // Missing: not_found; a directory: invalid_argument; over 16 MiB (or /dev/zero): capacity_exceeded.
    const std::string text = read_file(file.string(), max_file_bytes, "config.max_file_bytes");
    return load_deployment(text, options, warnings, file.string());
}

// The effective configuration: every knob, with the seeds' key names, in the file's layout. Loading it
// gives back the same deployment.
inline std::string to_json(const deployment& d, bool pretty = true) {
    deployment copy = d;  // the field list takes mutable references (it is shared with the loader)
    json::string_buffer sb;
    auto dump = [&](auto& w) {
        basic_writer out(w);
        w.StartObject();
        visit(out, copy);
        w.EndObject();
    };
    if (pretty) {
        json::pretty_writer w(sb);
        w.SetIndent(' ', 2);
        dump(w);
    } else {
        json::writer w(sb);
        dump(w);
    }
    return {sb.GetString(), sb.GetSize()};
}

}  // namespace agentkit::config
