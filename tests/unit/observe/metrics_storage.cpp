// Storage metrics: storage::sqlite (a real file in a scratch directory) and storage::memory report
// agentkit_storage_appends_total and agentkit_storage_append_duration_seconds{backend} after attach_metrics.
#include <agentkit/core/message.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/storage/sqlite_backend.hpp>

#include <agentkit_test/numbered.hpp>
#include <agentkit_test/metrics_scrape.hpp>
#include <agentkit_test/scratch_db.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace metrics_storage_test {

namespace obs = agentkit::observe;
namespace storage = agentkit::storage;
using agentkit::message;
using agentkit_test::sample;

template <class Backend>
void append_known_sequence(Backend& b) {
    b.create_session("s1");
    for (int i = 0; i < 5; ++i) b.append("s1", message::user(agentkit_test::numbered("message ", i)));
    const std::vector<message> batch{message::user("a"), message::assistant("b"), message::user("c")};
    b.append_batch("s1", batch);                                                     // 3 messages, one call
    b.append_batch("s1", std::vector<message>{});                                    // nothing appended: not counted
    EXPECT_THROW(b.append("no such session", message::user("x")), agentkit::error);  // failed: not counted
}

TEST(StorageMetrics, SqliteFileCountsEveryAppendedMessageAndTimesEachCall) {
    obs::metric_registry reg;
    storage::sqlite db({.path = agentkit_test::fresh_db("metrics_appends.db")});
    db.attach_metrics(reg);
    append_known_sequence(db);
    EXPECT_EQ(db.last("s1", 100).size(), 8u);
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_storage_appends_total{backend="sqlite"})"), 8);
    EXPECT_EQ(sample(text, R"(agentkit_storage_append_duration_seconds_count{backend="sqlite"})"), 6);
    EXPECT_EQ(sample(text, R"(agentkit_storage_append_duration_seconds_bucket{backend="sqlite",le="+Inf"})"), 6);
}

TEST(StorageMetrics, MemoryBackendCountsTheSameSequenceTheSame) {
    obs::metric_registry reg;
    storage::memory mem;
    mem.attach_metrics(reg);
    append_known_sequence(mem);
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(sample(text, R"(agentkit_storage_appends_total{backend="memory"})"), 8);
    EXPECT_EQ(sample(text, R"(agentkit_storage_append_duration_seconds_count{backend="memory"})"), 6);
}

TEST(StorageMetrics, TwoBackendsShareTheFamiliesAndAnInstanceNameMaySumTwo) {
    obs::metric_registry reg;
    storage::sqlite primary({.path = agentkit_test::fresh_db("metrics_primary.db")});
    storage::sqlite replica({.path = agentkit_test::fresh_db("metrics_replica.db")});
    storage::memory l1;
    primary.attach_metrics(reg, "sessions");
    replica.attach_metrics(reg, "sessions");  // same name: same series
    l1.attach_metrics(reg);
    for (auto* b : {&primary, &replica}) {
        b->create_session("s");
        b->append("s", message::user("hello"));
    }
    l1.create_session("s");
    l1.append("s", message::user("hello"));
    const auto text = obs::to_prometheus_text(reg);
    EXPECT_EQ(agentkit_test::lines_starting(text, "# TYPE agentkit_storage_appends_total counter").size(), 1u);
    EXPECT_EQ(sample(text, R"(agentkit_storage_appends_total{backend="sessions"})"), 2);
    EXPECT_EQ(sample(text, R"(agentkit_storage_appends_total{backend="memory"})"), 1);
    EXPECT_EQ(sample(text, R"(agentkit_storage_append_duration_seconds_count{backend="sessions"})"), 2);
}

TEST(StorageMetrics, AppendsBeforeAttachingAreNotReported) {
    obs::metric_registry reg;
    storage::sqlite db({.path = agentkit_test::fresh_db("metrics_late.db")});
    db.create_session("s");
    db.append("s", message::user("before"));
    db.attach_metrics(reg);
    db.append("s", message::user("after"));
    EXPECT_EQ(sample(obs::to_prometheus_text(reg), R"(agentkit_storage_appends_total{backend="sqlite"})"), 1);
}

TEST(StorageMetrics, PromtoolAcceptsTheStorageFamilies) {
    obs::metric_registry reg;
    storage::sqlite db({.path = agentkit_test::fresh_db("metrics_promtool.db")});
    storage::memory mem;
    db.attach_metrics(reg);
    mem.attach_metrics(reg);
    append_known_sequence(db);
    append_known_sequence(mem);
    AGENTKIT_EXPECT_PROMTOOL_ACCEPTS(reg);
}

}  // namespace metrics_storage_test
