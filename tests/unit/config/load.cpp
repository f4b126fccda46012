// config/load.hpp: deployment files with the seeds' key names -> the policies' config structs, and back.
#include <agentkit/config/load.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/resilience/circuit_breaker.hpp>

#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

namespace config_load_test {

namespace cfg = agentkit::config;

// Every mapped key set to a value other than its default.
constexpr const char* full_file = R"({
  "agent": {"maxIterations": 7, "contextWindow": 64000, "model": "gpt-4o", "session": "s1"},
  "compaction": {"thresholdPct": 80.5, "keepTurns": 4, "summaryMaxTokens": 1024, "importanceThreshold": 0.7,
    "proactive": {"enabled": false, "warn_pct": 70, "checkpoint_pct": 80, "auto_compact_pct": 90,
                  "checkpoint_cooldown_ms": "10m", "memory_namespace": "ns/x"}},
  "models": {"router": {
    "tiers": {"fast": "openai:gpt-4o-mini", "default": "openai:gpt-4o", "complex": "openai:o1"},
    "delegation": {"compaction": "fast", "memoryExtraction": "default", "classification": "fast",
                   "toolSummarization": "default", "complexReasoning": "complex", "triage": "fast"},
    "tierFallbacks": {"default": ["openai:gpt-4o-mini"]},
    "fallbackChain": ["openai:gpt-4o-mini"],
    "prices": {"openai:gpt-4o": {"inputPerMillion": 2.5, "outputPerMillion": 10}},
    "retry": {"maxAttempts": 5, "initialDelayMs": 500, "multiplier": 1.5, "maxDelayMs": "1m", "timeoutMs": "2m",
              "honorRetryAfter": false, "onLongRetryAfter": "clamp", "seed": 9,
              "nonRetryablePatterns": ["invalid_api_key", "context_length_exceeded"], "retryableStatuses": [429, 503]},
    "circuitBreaker": {"failureRateThreshold": 40, "slowCallRateThreshold": 90, "slowCallDurationThresholdMs": 5000,
                       "permittedNumberOfCallsInHalfOpenState": 3, "slidingWindowType": "TIME_BASED",
                       "slidingWindowSize": 30, "minimumNumberOfCalls": 20, "waitDurationInOpenStateMs": 10000},
    "bulkhead": {"maxConcurrentCalls": 4, "maxWaitQueue": 8, "maxWaitDurationMs": 1500}}},
  "tools": {
    "executor": {"defaultTimeoutMs": "10s", "maxOutputBytes": 1000, "parallelExecution": false, "maxWorkers": 2,
                 "parallelThreshold": 3, "timeoutsMs": {"web.fetch": 60000},
                 "shutdownTimeoutMs": 250},
    "cache": {"enabled": false, "ttl": "10m", "maxSize": 50, "excludePatterns": ["shell.*"]}},
  "sessions": {"ttl": "30d", "maxSessions": 200},
  "automation": {"sessionPruner": {"enabled": false, "interval": "30m"}},
  "memory": {"sqlite_config": {"path": "/tmp/x.db", "journal_mode": "truncate", "synchronous": "FULL", "cache_size": 2000,
    "temp_store": "FILE", "mmap_size": 0, "page_size": 8192, "wal_autocheckpoint": 0, "journal_size_limit": 1048576,
    "busy_timeout": "2s", "auto_vacuum": "FULL", "read_only": true, "max_length": 1000000,
    "limits": {"max_message_bytes": 4096, "max_session_id_bytes": 64, "max_key_bytes": 128, "max_value_bytes": 8192}},
    "embeddings": {"chunking": {"maxChunkSize": 1024, "chunkOverlap": 100, "minChunkSize": 64, "stripWhitespace": false},
                   "cache": {"enabled": false, "ttl": "1h", "cache_size": 500}}},
  "response_cache": {"enabled": false, "ttl": "2m", "cache_size": 1048576, "max_entry_size": 4096},
  "file_cache": {"max_cache_size": 64, "max_file_size": 1024, "max_read_size": 4096, "max_workers": 2, "parallel_threshold": 5},
  "http_server": {"bind_address": "0.0.0.0:9090", "worker_threads": 4, "max_connections": 100, "request_timeout": "10s",
                  "keep_alive_timeout": "2m", "write_timeout": "5s", "drain_timeout": "3s", "max_request_size": "1MB",
                  "max_header_bytes": "16KB", "listen_backlog": 128,
                  "rate_limiting": {"enabled": false, "global_rate": 500, "per_ip_rate": 5, "burst_size": 50,
                                    "per_ip_burst_size": 10, "period": "1m", "max_ips": 1024}},
  "gateway": {"laneQueue": {"maxDepth": 20, "requestTimeoutMs": 15000, "maxTasksPerTurn": 4, "maxParallelLanes": 3,
                            "maxLanes": 5000}},
  "message_processing": {
    "batch_processing": {"enabled": false, "batch_size": 64, "batch_timeout": "20ms", "max_batches_queued": 5},
    "priority_queues": {"enabled": false, "priorities": [
      {"name": "urgent", "max_latency_ms": 50, "queue_size": 10}, {"name": "bulk", "max_latency_ms": 60000, "queue_size": 100}]}}
})";

// The dotted paths of every leaf of a JSON document (array items as [i], object-valued maps included).
void leaf_paths(const agentkit::json::value& v, const std::string& path, std::set<std::string>& out) {
    if (v.IsObject() && v.MemberCount() > 0) {
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
            leaf_paths(it->value, path + (path.empty() ? "" : ".") + it->name.GetString(), out);
    } else {
        out.insert(path);
    }
}
std::set<std::string> key_paths(const std::string& text, bool keys_only) {
    auto doc = agentkit::json::parse(text, "test");
    std::set<std::string> out;
    leaf_paths(doc, "", out);
    if (!keys_only) return out;
    // Keep the knob names only (the user-named entries of maps and lists are data, not keys).
    std::set<std::string> knobs;
    for (const auto& p : out) {
        const auto cut = p.find_first_of("[");
        std::string k = p.substr(0, cut);
        for (const char* map : {"tiers.", "delegation.", "tierFallbacks.", "prices.", "timeoutsMs."})
            if (auto at = k.find(map); at != std::string::npos) k = k.substr(0, at + std::string(map).size() - 1);
        knobs.insert(k);
    }
    return knobs;
}

std::string error_of(const std::string& text) {
    try {
        (void)cfg::load_deployment(text);
    } catch (const agentkit::error& e) {
        return e.what();
    }
    return "(accepted)";
}
std::string field_of(const std::string& text) {
    try {
        (void)cfg::load_deployment(text);
    } catch (const agentkit::error& e) {
        return e.field();
    }
    return "(accepted)";
}

TEST(ConfigDefaults, EmptyFileKeepsTheSeedDefaults) {
    const auto d = cfg::load_deployment("{}");
    EXPECT_EQ(d.compaction.threshold_pct, 75);
    EXPECT_EQ(d.compaction.keep_turns, 6u);
    EXPECT_EQ(d.router.retry.max_attempts, 3u);
    EXPECT_EQ(d.router.backoff.initial_delay.count(), 1000);
    EXPECT_EQ(d.router.backoff.multiplier, 2.0);
    EXPECT_EQ(d.router.retry.max_delay.count(), 30000);
    EXPECT_EQ(d.executor.default_timeout.count(), 30000);
    EXPECT_EQ(d.executor.max_output_bytes, 51200u);
    EXPECT_EQ(d.tool_cache.ttl.count(), 300);
    EXPECT_EQ(d.tool_cache.max_size, 1000u);
    EXPECT_EQ(d.sessions.ttl, std::chrono::hours(24 * 7));
    EXPECT_EQ(d.sessions.max_sessions, 100u);
    EXPECT_EQ(d.lane_queue.max_depth, 10u);
    EXPECT_EQ(d.lane_queue.request_timeout.count(), 30000);
    EXPECT_EQ(d.batching.batch_size, 100u);
    EXPECT_EQ(d.batching.batch_timeout.count(), 50);
    EXPECT_EQ(d.priority_queues.priorities.size(), 4u);
    EXPECT_EQ(d.sqlite.journal_mode, agentkit::storage::sqlite_journal_mode::wal);
    EXPECT_EQ(d.sqlite.cache_size, -64000);
}

TEST(ConfigDefaults, MissingKeysInAPresentSectionKeepTheirDefaults) {
    const auto d = cfg::load_deployment(R"({"models": {"router": {"retry": {"maxAttempts": 5}}}})");
    EXPECT_EQ(d.router.retry.max_attempts, 5u);
    EXPECT_EQ(d.router.backoff.initial_delay.count(), 1000);
    EXPECT_EQ(d.router.classifier.non_retryable_patterns.size(), 2u);
}

TEST(ConfigRoundTrip, EveryKeyLoadsIntoItsField) {
    const auto d = cfg::load_deployment(full_file);
    EXPECT_EQ(d.agent.max_iterations, 7u);
    EXPECT_EQ(d.agent.context_window, 64000u);
    EXPECT_EQ(d.agent.model, "gpt-4o");
    EXPECT_EQ(d.compaction.threshold_pct, 80.5);
    EXPECT_EQ(d.compaction.keep_turns, 4u);
    EXPECT_EQ(d.compaction.summary_max_tokens, 1024u);
    EXPECT_FLOAT_EQ(d.compaction.importance_threshold, 0.7f);
    EXPECT_FALSE(d.proactive.enabled);
    EXPECT_EQ(d.proactive.checkpoint_cooldown, std::chrono::minutes(10));
    EXPECT_EQ(d.router.tiers.at("complex"), "openai:o1");
    EXPECT_EQ(d.router.delegation.at("memory_extraction"), "default");
    EXPECT_EQ(d.router.delegation.at("triage"), "fast");
    EXPECT_EQ(d.router.tier_fallbacks.at("default").size(), 1u);
    EXPECT_EQ(d.router.prices.at("openai:gpt-4o").output_per_million, 10);
    EXPECT_EQ(d.router.retry.max_attempts, 5u);
    EXPECT_EQ(d.router.backoff.initial_delay.count(), 500);
    EXPECT_EQ(d.router.backoff.multiplier, 1.5);
    EXPECT_EQ(d.router.retry.max_delay.count(), 60000);
    EXPECT_EQ(d.router.backoff.max_delay.count(), 60000);
    EXPECT_EQ(d.router.retry.timeout.count(), 120000);
    EXPECT_EQ(d.router.retry.on_long_retry_after, agentkit::resilience::long_retry_after::clamp);
    EXPECT_EQ(d.router.classifier.non_retryable_patterns[1], "context_length_exceeded");
    EXPECT_EQ(d.router.classifier.retryable_statuses, (std::vector<int>{429, 503}));
    EXPECT_EQ(d.router.breaker.sliding_window_type, agentkit::resilience::window_kind::time_based);
    EXPECT_EQ(d.router.bulkhead.max_wait_duration.count(), 1500);
    EXPECT_EQ(d.executor.default_timeout.count(), 10000);
    EXPECT_EQ(d.executor.timeouts.at("web.fetch").count(), 60000);
    EXPECT_EQ(d.executor.shutdown_timeout.count(), 250);
    EXPECT_EQ(d.agent.executor.max_workers, 2u);
    EXPECT_FALSE(d.tool_cache.enabled);
    EXPECT_EQ(d.tool_cache.ttl.count(), 600);
    EXPECT_EQ(d.sessions.ttl, std::chrono::hours(24 * 30));
    EXPECT_EQ(d.sessions.interval, std::chrono::minutes(30));
    EXPECT_EQ(d.sqlite.journal_mode, agentkit::storage::sqlite_journal_mode::truncate);
    EXPECT_EQ(d.sqlite.synchronous, agentkit::storage::sqlite_synchronous::full);
    EXPECT_EQ(d.sqlite.busy_timeout.count(), 2000);
    EXPECT_EQ(d.sqlite.limits.max_value_bytes, 8192u);
    EXPECT_EQ(d.sqlite.max_length, 1000000);
    EXPECT_EQ(d.chunking.max_chunk_size, 1024u);
    EXPECT_EQ(d.chunking.chunk_overlap, 100u);
    EXPECT_FALSE(d.chunking.strip_whitespace);
    EXPECT_FALSE(d.embedding_cache_enabled);
    EXPECT_EQ(d.embedding_cache.ttl.count(), 3600);
    EXPECT_EQ(d.response_cache.ttl.count(), 120);
    EXPECT_EQ(d.response_cache.max_entry_size, 4096u);
    EXPECT_EQ(d.file_cache.parallel_threshold, 5u);
    EXPECT_EQ(d.server.bind_address, "0.0.0.0");
    EXPECT_EQ(d.server.port, 9090);
    EXPECT_EQ(d.worker_threads, 4u);
    EXPECT_EQ(d.server.max_connections, 100u);
    EXPECT_EQ(d.server.request_timeout, std::chrono::seconds(10));
    EXPECT_EQ(d.server.keep_alive_timeout, std::chrono::minutes(2));
    EXPECT_EQ(d.server.write_timeout, std::chrono::seconds(5));
    EXPECT_EQ(d.server.drain_timeout, std::chrono::seconds(3));
    EXPECT_EQ(d.server.max_request_size, std::size_t{1} << 20);
    EXPECT_EQ(d.server.max_header_bytes, std::size_t{16} << 10);
    EXPECT_EQ(d.server.listen_backlog, 128);
    EXPECT_FALSE(d.rate_limiting_enabled);
    EXPECT_EQ(d.global_rate_limit.rate, 500);
    EXPECT_EQ(d.global_rate_limit.burst_size, 50);
    EXPECT_EQ(d.per_ip_rate_limit.rate, 5);
    EXPECT_EQ(d.per_ip_rate_limit.burst_size, 10);
    EXPECT_EQ(d.per_ip_rate_limit.period, std::chrono::minutes(1));
    EXPECT_EQ(d.max_ips, 1024u);
    EXPECT_EQ(d.lane_queue.max_parallel_lanes, 3u);
    EXPECT_EQ(d.lane_queue.max_lanes, 5000u);
    EXPECT_FALSE(d.batch_processing_enabled);
    EXPECT_EQ(d.batching.batch_timeout.count(), 20);
    ASSERT_EQ(d.priority_queues.priorities.size(), 2u);
    EXPECT_EQ(d.priority_queues.priorities[1].max_latency, std::chrono::minutes(1));
}

TEST(ConfigRoundTrip, FileToStructToDumpToFileIsAFixedPoint) {
    const auto first = cfg::to_json(cfg::load_deployment(full_file));
    const auto second = cfg::to_json(cfg::load_deployment(first));
    EXPECT_EQ(first, second);
    EXPECT_EQ(cfg::to_json(cfg::load_deployment(cfg::to_json(cfg::load_deployment(first), false))), first);
}

TEST(ConfigRoundTrip, TheTestFileCoversEveryDumpedKey) {
    // If a knob is added to the field list, this test file must set it (and the round trip covers it).
    const auto dumped = key_paths(cfg::to_json(cfg::load_deployment("{}")), true);
    const auto tested = key_paths(full_file, true);
    for (const auto& k : dumped)
        EXPECT_TRUE(tested.contains(k)) << k << " is dumped but not set by the round-trip file";
    for (const auto& k : tested) EXPECT_TRUE(dumped.contains(k)) << k << " is set but not dumped";
}

TEST(ConfigRoundTrip, DurationsAcceptEveryUnitAndDumpTheShortestText) {
    const auto d = cfg::load_deployment(
        R"({"sessions": {"ttl": "7d"}, "automation": {"sessionPruner": {"interval": "90s"}},
            "message_processing": {"batch_processing": {"batch_timeout": "50ms"}}, "gateway": {"laneQueue": {"requestTimeoutMs": "5m"}}})");
    EXPECT_EQ(d.sessions.ttl, std::chrono::hours(24 * 7));
    EXPECT_EQ(d.sessions.interval, std::chrono::seconds(90));
    EXPECT_EQ(d.lane_queue.request_timeout, std::chrono::minutes(5));
    const auto text = cfg::to_json(d);
    EXPECT_NE(text.find(R"("ttl": "7d")"), std::string::npos);
    EXPECT_NE(text.find(R"("interval": "90s")"), std::string::npos);
    EXPECT_NE(text.find(R"("batch_timeout": "50ms")"), std::string::npos);
    EXPECT_NE(text.find(R"("requestTimeoutMs": 300000)"), std::string::npos);
}

TEST(ConfigAliases, OneBurstSizeFillsBothBuckets) {
    const auto d = cfg::load_deployment(R"({"http_server": {"rate_limiting": {"burst_size": 7}}})");
    EXPECT_EQ(d.global_rate_limit.burst_size, 7);
    EXPECT_EQ(d.per_ip_rate_limit.burst_size, 7);
    EXPECT_EQ(d.per_ip_rate_limit.rate, 100);
}

TEST(ConfigAliases, CaxtonSqliteSugarSetsThePragmas) {
    const auto d = cfg::load_deployment(R"({"memory": {"sqlite_config": {"wal_mode": false, "cache_size_mb": 256,
        "mmap_size_mb": 1024, "wal_size_limit_mb": 20, "wal_checkpoint_interval": 5000}}})");
    EXPECT_EQ(d.sqlite.journal_mode, agentkit::storage::sqlite_journal_mode::delete_);
    EXPECT_EQ(d.sqlite.cache_size, -262144);
    EXPECT_EQ(d.sqlite.mmap_size, 1073741824);
    EXPECT_EQ(d.sqlite.journal_size_limit, 20971520);
    EXPECT_EQ(d.sqlite.wal_autocheckpoint, 5000);
    EXPECT_EQ(field_of(R"({"memory": {"sqlite_config": {"cache_size_mb": 1, "cache_size": -1000}}})"),
              "memory.sqlite_config.cache_size_mb");
    EXPECT_EQ(field_of(R"({"memory": {"sqlite_config": {"wal_mode": true, "journal_mode": "WAL"}}})"),
              "memory.sqlite_config.wal_mode");
}

struct bad_case {
    const char* file;
    const char* field;
    const char* detail;
};

TEST(ConfigErrors, EveryErrorNamesTheKey) {
    const bad_case cases[] = {
        {R"({"models": {"router": {"retry": {"maxAtempts": 3}}}})", "models.router.retry.maxAtempts",
         "did you mean maxAttempts?"},
        {R"({"compaction": {"threshold": 50}})", "compaction.threshold", "unknown key"},
        {R"({"retry": {}})", "retry", "unknown key"},
        {R"({"models": {"router": {"retry": {"maxAttempts": 1e20}}}})", "models.router.retry.maxAttempts",
         "must be an integer"},
        {R"({"models": {"router": {"retry": {"maxAttempts": 5000000000}}}})", "models.router.retry.maxAttempts",
         "must be in [1, 1000]"},
        {R"({"models": {"router": {"retry": {"maxAttempts": 0}}}})", "models.router.retry.maxAttempts", "must be in"},
        {R"({"models": {"router": {"retry": {"maxAttempts": "3"}}}})", "models.router.retry.maxAttempts",
         "got a string"},
        {R"({"models": {"router": {"retry": {"multiplier": 0.5}}}})", "models.router.retry.multiplier", "must be in"},
        {R"({"models": {"router": {"retry": {"initialDelayMs": -1}}}})", "models.router.retry.initialDelayMs",
         "negative"},
        {R"({"models": {"router": {"retry": {"initialDelayMs": 5000, "maxDelayMs": 1000}}}})", "models.router.retry",
         "max_delay"},
        {R"({"models": {"router": {"retry": {"nonRetryablePatterns": "x"}}}})",
         "models.router.retry.nonRetryablePatterns", "array"},
        {R"({"models": {"router": {"retry": {"nonRetryablePatterns": ["a", 3]}}}})",
         "models.router.retry.nonRetryablePatterns[1]", "string"},
        {R"({"models": {"router": {"retry": {"retryableStatuses": [700]}}}})",
         "models.router.retry.retryableStatuses[0]", "must be in"},
        {R"({"models": {"router": {"retry": {"onLongRetryAfter": "wait"}}}})", "models.router.retry.onLongRetryAfter",
         "not one of"},
        {R"({"models": {"router": {"tiers": {"default": "nocolon"}}}})", "models.router", "tiers.default"},
        {R"({"models": {"router": {"tiers": {"default": "a:b"}, "delegation": {"triage": "huge"}}}})", "models.router",
         "delegation.triage"},
        {R"({"sessions": {"ttl": "5x"}})", "sessions.ttl", "needs a unit"},
        {R"({"sessions": {"ttl": "m"}})", "sessions.ttl", "whole number"},
        {R"({"sessions": {"ttl": "99999999999999999999d"}})", "sessions.ttl", "too large"},
        {R"({"sessions": {"ttl": "40000d"}})", "sessions.ttl", "at most"},
        {R"({"sessions": {"ttl": "0s"}})", "sessions.ttl", "at least"},
        {R"({"sessions": {"ttl": true}})", "sessions.ttl", "a duration"},
        {R"({"tools": {"cache": {"ttl": "1500ms"}}})", "tools.cache.ttl", "whole number of the field's unit"},
        {R"({"tools": {"executor": {"defaultTimeoutMs": 0}}})", "tools.executor.defaultTimeoutMs", "at least 1"},
        {R"({"tools": {"executor": {"maxWorkers": 0}}})", "tools.executor.maxWorkers", "must be in"},
        {R"({"tools": {"executor": {"timeoutsMs": {"x": "1h", "y": 0}}}})", "tools.executor.timeoutsMs.y", "at least"},
        {R"({"compaction": {"thresholdPct": 0}})", "compaction.thresholdPct", "must be in (0, 100]"},
        {R"({"compaction": {"thresholdPct": 101}})", "compaction.thresholdPct", "must be in"},
        {R"({"compaction": {"proactive": {"warn_pct": 90, "checkpoint_pct": 80}}})", "compaction.proactive",
         "warn_pct"},
        {R"({"memory": {"sqlite_config": {"page_size": 1000}}})", "memory.sqlite_config", "power of two"},
        {R"({"memory": {"sqlite_config": {"journal_mode": "fast"}}})", "memory.sqlite_config.journal_mode",
         "not one of: WAL"},
        {R"({"gateway": {"laneQueue": {"maxDepth": -1}}})", "gateway.laneQueue.maxDepth", "must be in"},
        {R"({"message_processing": {"batch_processing": {"batch_size": 0}}})",
         "message_processing.batch_processing.batch_size", "must be in"},
        {R"({"message_processing": {"priority_queues": {"priorities": []}}})", "message_processing.priority_queues",
         "at least one class"},
        {R"({"message_processing": {"priority_queues": {"priorities": [{"name": "a"}, {"name": "a"}]}}})",
         "message_processing.priority_queues", "duplicate"},
        {R"({"message_processing": {"priority_queues": {"priorities": [{"nam": "a"}]}}})",
         "message_processing.priority_queues.priorities[0].nam", "did you mean name?"},
        {R"({"agent": {"maxIterations": 0}})", "agent.maxIterations", "must be in"},
        {R"({"agent": 3})", "agent", "an object"},
        {R"([1, 2])", "(document)", "an object"},
        {R"({"agent": {)", "deployment", "at byte"},
        {"", "deployment", "at byte"},
        {R"({"http_server": {"rate_limiting": {"period": 1000}}})", "http_server.rate_limiting.period", "with a unit"},
        {R"({"http_server": {"rate_limiting": {"global_rate": 2000000, "period": "1ms"}}})",
         "http_server.rate_limiting", "more than one token per nanosecond"},
        {R"({"memory": {"embeddings": {"chunking": {"maxChunkSize": 100, "chunkOverlap": 100}}}})",
         "memory.embeddings.chunking", "chunk_overlap: must be smaller"},
        {R"({"http_server": {"bind_address": "127.0.0.1:99999"}})", "http_server.bind_address", "from 0 to 65535"},
        {R"({"http_server": {"bind_address": ":8080"}})", "http_server.bind_address", "host is empty"},
        {R"({"http_server": {"bind_address": "::1:8080"}})", "http_server.bind_address", "in brackets"},
        {R"({"http_server": {"max_request_size": "16XB"}})", "http_server.max_request_size", "unknown unit"},
        {R"({"http_server": {"max_request_size": "0"}})", "http_server.max_request_size", "must be between 1B"},
        {R"({"http_server": {"max_request_size": -5}})", "http_server.max_request_size", "a size"},
        {R"({"http_server": {"worker_threads": 5000}})", "http_server.worker_threads", "must be in"},
        {R"({"http_server": {"request_timeout": "0s"}})", "http_server.request_timeout", "at least"},
        {R"({"response_cache": {"cache_size": 4}})", "response_cache.cache_size", "must be in [8"},
        {R"({"sessions": {"maxSessions": 5, "maxSessions": 6}})", "sessions.maxSessions", "duplicate key"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(field_of(c.file), c.field) << c.file;
        EXPECT_NE(error_of(c.file).find(c.detail), std::string::npos) << c.file << " -> " << error_of(c.file);
    }
}

TEST(ConfigErrors, DeepNestingIsRefusedBeforeParsing) {
    std::string deep = R"({"agent": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
    EXPECT_NE(error_of(deep).find("nested deeper than 64"), std::string::npos);
}

TEST(ConfigErrors, LenientModeCollectsUnknownKeysAsWarnings) {
    std::vector<std::string> warnings;
    const auto d = cfg::load_deployment(R"({"server": {"port": 8080}, "compaction": {"keepTurn": 3, "keepTurns": 2}})",
                                        {.unknown = cfg::unknown_keys::warn}, &warnings);
    EXPECT_EQ(d.compaction.keep_turns, 2u);
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_EQ(warnings[0], "compaction.keepTurn: unknown key (did you mean keepTurns?)");
    EXPECT_EQ(warnings[1], "server: unknown key");
    // Lenient about names only: a bad value is still an error.
    EXPECT_THROW((void)cfg::load_deployment(R"({"compaction": {"keepTurns": -2}})",
                                            {.unknown = cfg::unknown_keys::warn}, &warnings),
                 agentkit::error);
}

TEST(ConfigPolicies, AnAcceptedFileConstructsEveryPolicy) {
    for (const char* file : {full_file, "{}"}) {
        const auto d = cfg::load_deployment(file);
        EXPECT_NO_THROW({
            agentkit::memory::summary_buffer<> compaction(d.compaction);
            agentkit::tools::executor executor(d.executor);
            agentkit::cache::tool_result_cache cache(d.tool_cache);
            agentkit::cache::embedding_cache embeddings(d.embedding_cache);
            agentkit::cache::response_cache responses(d.response_cache);
            agentkit::cache::file_cache files(d.file_cache);
            d.chunking.validate();
            agentkit::resilience::token_bucket global(d.global_rate_limit);
            agentkit::resilience::token_bucket per_ip(d.per_ip_rate_limit);
            agentkit::resilience::circuit_breaker<> breaker(d.router.breaker);
            agentkit::resilience::bulkhead bulkhead(d.router.bulkhead);
            agentkit::resilience::default_classifier classifier(d.router.classifier);
            agentkit::model::router::retry_type retry(
                d.router.retry, agentkit::model::router::backoff_type(d.router.backoff), classifier);
            agentkit::runtime::thread_pool pool(1);
            agentkit::runtime::lane_queue<agentkit::runtime::thread_pool> lanes(pool, d.lane_queue);
            agentkit::runtime::batcher<std::string> batcher(d.batching);
            agentkit::runtime::latency_class_queue<std::string> queue(d.priority_queues);
            d.sessions.validate();
            d.sqlite.validate();
            d.proactive.validate();
        }) << file;
    }
    const auto routed = cfg::load_deployment(full_file);
    EXPECT_NO_THROW(agentkit::model::router r(routed.router));
}

std::filesystem::path profiles() { return std::filesystem::path(AGENTKIT_SOURCE_DIR) / "examples" / "profiles"; }

TEST(ConfigProfiles, EveryShippedProfileLoadsAndRoundTrips) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(profiles())) {
        if (entry.path().extension() != ".json") continue;
        ++n;
        const auto d = cfg::load_deployment_file(entry.path());
        const auto text = cfg::to_json(d);
        EXPECT_EQ(cfg::to_json(cfg::load_deployment(text)), text) << entry.path();
    }
    EXPECT_GE(n, 3u);
}

TEST(ConfigProfiles, ProfilesCarryTheSeedsSqliteSettings) {
    const auto low = cfg::load_deployment_file(profiles() / "low_latency.json");
    const auto expected_low = agentkit::storage::sqlite_profiles::low_latency(":memory:");
    EXPECT_EQ(low.sqlite.cache_size, expected_low.cache_size);
    EXPECT_EQ(low.sqlite.mmap_size, expected_low.mmap_size);
    EXPECT_EQ(low.sqlite.wal_autocheckpoint, expected_low.wal_autocheckpoint);
    const auto high = cfg::load_deployment_file(profiles() / "high_throughput.json");
    const auto expected_high = agentkit::storage::sqlite_profiles::high_throughput(":memory:");
    EXPECT_EQ(high.sqlite.cache_size, expected_high.cache_size);
    EXPECT_EQ(high.sqlite.journal_size_limit, expected_high.journal_size_limit);
    const auto small = cfg::load_deployment_file(profiles() / "resource_constrained.json");
    const auto expected_small = agentkit::storage::sqlite_profiles::resource_constrained(":memory:");
    EXPECT_EQ(small.sqlite.page_size, expected_small.page_size);
    EXPECT_EQ(small.sqlite.auto_vacuum, expected_small.auto_vacuum);
    EXPECT_EQ(small.sqlite.temp_store, expected_small.temp_store);
    EXPECT_EQ(small.sqlite.journal_size_limit, expected_small.journal_size_limit);
}

TEST(ConfigProfiles, AMissingFileIsNotFound) {
    try {
        (void)cfg::load_deployment_file(profiles() / "nope.json");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::not_found);
    }
}

TEST(ConfigErrors, AnEmbeddedNulIsAParseErrorNamingTheOffset) {
    // RapidJSON stops at a NUL as if the document ended there: the rest must not be silently ignored.
    const std::string text = std::string(R"({"agent": {"maxIterations": 7}})") + '\0' + R"(garbage {{{)";
    try {
        (void)cfg::load_deployment(text);
        FAIL() << "accepted a document with a NUL byte";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::parse_error);
        EXPECT_EQ(e.field(), "deployment");
        EXPECT_NE(std::string(e.what()).find("NUL byte at byte 31"), std::string::npos) << e.what();
    }
    EXPECT_EQ(field_of(std::string("{\"agent\": {\"model\": \"a\0b\"}}", 27)), "deployment");
    EXPECT_EQ(field_of(std::string("{}\0", 3)), "deployment");
}

TEST(ConfigErrors, DuplicateKeysInUserKeyedMapsAreErrors) {
    struct expectation {
        const char* file;
        const char* field;
    };
    const expectation cases[] = {
        {R"({"models": {"router": {"tiers": {"fast": "openai:a", "fast": "openai:b"}}}})", "models.router.tiers.fast"},
        {R"({"models": {"router": {"tierFallbacks": {"default": ["a"], "default": ["b"]}}}})",
         "models.router.tierFallbacks.default"},
        {R"({"models": {"router": {"prices": {"m": {"inputPerMillion": 1}, "m": {"inputPerMillion": 2}}}}})",
         "models.router.prices.m"},
        {R"({"models": {"router": {"delegation": {"triage": "fast", "triage": "default"}}}})",
         "models.router.delegation.triage"},
        {R"({"tools": {"executor": {"timeoutsMs": {"web.fetch": 1000, "web.fetch": 2000}}}})",
         "tools.executor.timeoutsMs.web.fetch"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(field_of(c.file), c.field) << c.file;
        EXPECT_NE(error_of(c.file).find("duplicate key"), std::string::npos) << c.file << " -> " << error_of(c.file);
    }
}

TEST(ConfigErrors, DuplicateKeysAreErrorsAnywhereInTheDocument) {
    // Top level, a section, an object inside an array, and a part only lenient mode lets through.
    EXPECT_EQ(field_of(R"({"agent": {}, "agent": {}})"), "agent");
    EXPECT_EQ(field_of(R"({"sessions": {"maxSessions": 5, "maxSessions": 6}})"), "sessions.maxSessions");
    EXPECT_EQ(
        field_of(
            R"({"message_processing": {"priority_queues": {"priorities": [{"name": "a"}, {"name": "b", "name": "c"}]}}})"),
        "message_processing.priority_queues.priorities[1].name");
    const std::string foreign = R"({"otherTool": {"x": [{"y": 1, "y": 2}]}})";
    std::vector<std::string> warnings;
    try {
        (void)cfg::load_deployment(foreign, {.unknown = cfg::unknown_keys::warn}, &warnings);
        FAIL() << "accepted a duplicate key in an unknown section";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "otherTool.x[0].y");
        EXPECT_NE(std::string(e.what()).find("duplicate key"), std::string::npos) << e.what();
    }
    // The same name in different objects is fine.
    EXPECT_EQ(error_of(R"({"tools": {"executor": {"timeoutsMs": {"maxSize": 1000}}, "cache": {"maxSize": 5}}})"),
              "(accepted)");
}

TEST(ConfigErrors, KeyNamesInErrorsHaveControlBytesEscaped) {
    const std::string what = error_of(R"({"agent": {"\u001b]0;owned\u0007": 1}})");
    EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
    EXPECT_NE(what.find("agent.\\x1b]0;owned\\x07"), std::string::npos) << what;
    const std::string dup = error_of(R"({"models": {"router": {"tiers": {"\u001b[2J": "a", "\u001b[2J": "b"}}}})");
    EXPECT_EQ(dup.find('\x1b'), std::string::npos) << dup;
}

TEST(ConfigFiles, LimitsAndErrorsOfTheFileLoader) {
    const agentkit_test::temp_dir scratch("agentkit_config");
    const auto& dir = scratch.path;
    const auto big = dir / "big.json";
    {
        std::ofstream out(big, std::ios::binary);
        out << "{\"agent\": {\"model\": \"" << std::string(cfg::max_file_bytes, 'x') << "\"}}";
    }
    try {
        (void)cfg::load_deployment_file(big);
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "config.max_file_bytes");
    }
    try {
        (void)cfg::load_deployment_file(dir);
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::invalid_argument);
    }
    try {
        (void)cfg::load_deployment_file("/dev/zero");
        FAIL();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    }
}

}  // namespace config_load_test
