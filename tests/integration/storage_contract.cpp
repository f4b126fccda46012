// One contract, both backends: storage::memory and storage::sqlite (a real file) must behave the same,
// including their errors. Time comes from a manual clock, so activity order and ttl are deterministic.
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/storage/sqlite_backend.hpp>

#include <gtest/gtest.h>

#include <agentkit_test/scratch_db.hpp>
#include <agentkit_test/numbered.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

using namespace agentkit;
using namespace std::chrono_literals;

namespace {

using agentkit_test::fresh_db;

struct memory_fixture {
    using backend = storage::basic_memory_backend<manual_clock>;
    static std::unique_ptr<backend> make(manual_clock clock, storage::limits lim = {}) {
        return std::make_unique<backend>(storage::memory_config{lim}, clock);
    }
};
struct sqlite_fixture {
    using backend = storage::basic_sqlite_backend<manual_clock>;
    static std::unique_ptr<backend> make(manual_clock clock, storage::limits lim = {}) {
        auto cfg = storage::sqlite_profiles::high_throughput(fresh_db("contract.db"));
        cfg.limits = lim;
        return std::make_unique<backend>(cfg, clock);
    }
};

template <class F>
class StorageContract : public ::testing::Test {
protected:
    manual_clock clock{manual_clock::time_point(1'000'000ms)};
    std::unique_ptr<typename F::backend> store = F::make(clock);
};
using fixtures = ::testing::Types<memory_fixture, sqlite_fixture>;
TYPED_TEST_SUITE(StorageContract, fixtures);

message call_message() {
    return message::assistant("checking", {{"call_1", "weather", R"({"city":"Oslo"})"}, {"call_2", "time", "{}"}});
}

}  // namespace

TYPED_TEST(StorageContract, AppendsAndReadsBackEveryField) {
    auto& s = *this->store;
    EXPECT_TRUE(s.create_session("s1"));
    EXPECT_FALSE(s.create_session("s1"));
    auto pinned = message::user("remember: the launch code is 4711");
    pinned.set_importance(0.9f);
    const auto first = s.append("s1", message::system("you are terse"));
    s.append("s1", pinned);
    s.append("s1", call_message());
    s.append("s1", message::tool_result("call_1", "12 C", "weather"));
    s.append("s1", message::tool_result("call_2", "09:00", "time"));
    const auto all = s.last("s1", 100);
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[0], message::system("you are terse"));
    EXPECT_EQ(all[1], pinned);
    EXPECT_EQ(all[2], call_message());
    EXPECT_EQ(all[3], message::tool_result("call_1", "12 C", "weather"));
    const auto two = s.last_stored("s1", 2);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0].id, first + 3);
    EXPECT_EQ(two[1].message.content(), "09:00");
    EXPECT_EQ(s.find_session("s1")->message_count, 5u);
}

TYPED_TEST(StorageContract, BatchAppendKeepsOrderAndReturnsTheFirstId) {
    auto& s = *this->store;
    s.create_session("b");
    std::vector<message> batch;
    for (int i = 0; i < 50; ++i) batch.push_back(message::user(agentkit_test::numbered("m", i)));
    const auto first = s.append_batch("b", batch);
    const auto got = s.last_stored("b", 50);
    ASSERT_EQ(got.size(), 50u);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(got[static_cast<std::size_t>(i)].id, first + i);
        EXPECT_EQ(got[static_cast<std::size_t>(i)].message.content(), agentkit_test::numbered("m", i));
    }
    EXPECT_EQ(s.append_batch("b", std::span<const message>{}), 0);
}

TYPED_TEST(StorageContract, RangesByIdAndByTime) {
    auto& s = *this->store;
    s.create_session("r");
    std::vector<storage::message_id> ids;
    for (int i = 0; i < 10; ++i) {
        ids.push_back(s.append("r", message::user(std::to_string(i))));
        this->clock.advance(1s);
    }
    const auto by_id = s.range("r", ids[2], ids[5]);
    ASSERT_EQ(by_id.size(), 4u);
    EXPECT_EQ(by_id.front().message.content(), "2");
    EXPECT_EQ(by_id.back().message.content(), "5");
    const auto t0 = s.last_stored("r", 10)[0].created_at;
    const auto by_time = s.range_by_time("r", t0 + 3000, t0 + 6000);
    ASSERT_EQ(by_time.size(), 4u);
    EXPECT_EQ(by_time.front().message.content(), "3");
}

TYPED_TEST(StorageContract, SessionsListByLastActivityAndDelete) {
    auto& s = *this->store;
    for (auto id : {"a", "b", "c"}) {
        s.create_session(id);
        this->clock.advance(1s);
    }
    s.touch("a");
    this->clock.advance(1s);
    s.append("b", message::user("hi"));
    const auto list = s.list_sessions(10);
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].id, "b");
    EXPECT_EQ(list[1].id, "a");
    EXPECT_EQ(list[2].id, "c");
    EXPECT_EQ(s.list_sessions(1).size(), 1u);
    EXPECT_EQ(s.delete_session("b"), 1u);
    EXPECT_EQ(s.delete_session("b"), 0u);
    EXPECT_EQ(s.session_count(), 2u);
    EXPECT_FALSE(s.find_session("b").has_value());
}

TYPED_TEST(StorageContract, PruneExpiresByTtlThenEvictsLeastRecentlyActive) {
    auto& s = *this->store;
    for (int i = 0; i < 6; ++i) {
        const auto id = "p" + std::to_string(i);
        s.create_session(id);
        s.append(id, message::user("x"));
        s.append(id, message::user("y"));
        this->clock.advance(1h);
    }
    // now = +6h; sessions were last active at +0h..+5h. ttl 3h30 expires p0, p1, p2 (idle > 3.5h).
    const auto counts = s.prune(3h + 30min, 2);
    EXPECT_EQ(counts.sessions_expired, 3u);
    EXPECT_EQ(counts.sessions_evicted, 1u);  // p3 is the least recently active of p3..p5
    EXPECT_EQ(counts.messages_deleted, 8u);
    EXPECT_EQ(s.session_count(), 2u);
    EXPECT_TRUE(s.find_session("p5").has_value());
    EXPECT_TRUE(s.find_session("p4").has_value());
    EXPECT_THROW(s.append("p0", message::user("late")), error);
    const auto none = s.prune(24h, 100);
    EXPECT_EQ(none.sessions(), 0u);
}

TYPED_TEST(StorageContract, KeyValueNamespaces) {
    auto& s = *this->store;
    s.put("session/checkpoints", "s1", std::string("a\0b", 3));
    s.put("session/checkpoints", "s2", "two");
    s.put("other", "s1", "elsewhere");
    EXPECT_EQ(*s.get("session/checkpoints", "s1"), std::string("a\0b", 3));
    s.put("session/checkpoints", "s1", "replaced");
    EXPECT_EQ(*s.get("session/checkpoints", "s1"), "replaced");
    EXPECT_EQ(s.keys("session/checkpoints"), (std::vector<std::string>{"s1", "s2"}));
    EXPECT_TRUE(s.erase("session/checkpoints", "s1"));
    EXPECT_FALSE(s.erase("session/checkpoints", "s1"));
    EXPECT_FALSE(s.get("session/checkpoints", "s1").has_value());
    EXPECT_EQ(*s.get("other", "s1"), "elsewhere");
}

TYPED_TEST(StorageContract, KnowledgeGraphTables) {
    auto& s = *this->store;
    const auto alice = s.upsert_entity("Alice", "person");
    const auto acme = s.upsert_entity("Acme", "company");
    EXPECT_EQ(s.upsert_entity("Alice", "person"), alice);
    EXPECT_NE(alice, acme);
    s.add_relation(alice, acme, "works_at", 0.9);
    s.add_observation(alice, "likes tea");
    this->clock.advance(1s);
    s.add_observation(alice, "moved to Oslo");
    EXPECT_EQ(s.find_entity("Alice", "person")->id, alice);
    EXPECT_FALSE(s.find_entity("Alice", "company").has_value());
    const auto rel = s.relations_of(acme);
    ASSERT_EQ(rel.size(), 1u);
    EXPECT_EQ(rel[0].relation_type, "works_at");
    EXPECT_DOUBLE_EQ(rel[0].strength, 0.9);
    const auto obs = s.observations_of(alice, 10);
    ASSERT_EQ(obs.size(), 2u);
    EXPECT_EQ(obs[0].content, "moved to Oslo");  // newest first
    try {
        s.add_relation(alice, 9999, "knows", 1.0);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::not_found));
        EXPECT_EQ(e.field(), "relation.to_entity");
    }
}

TYPED_TEST(StorageContract, BadInputsGiveClearErrors) {
    auto& s = *this->store;
    try {
        s.append("ghost", message::user("hi"));
        FAIL() << "append to an unknown session must throw";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::not_found));
        EXPECT_EQ(e.field(), "session");
        EXPECT_NE(std::string(e.what()).find("ghost"), std::string::npos);
    }
    EXPECT_THROW(s.last("ghost", 3), error);
    EXPECT_THROW(s.touch("ghost"), error);
    EXPECT_THROW(s.create_session(""), error);
    EXPECT_THROW(s.create_session(std::string(300, 'x')), error);

    auto small = TypeParam::make(this->clock, storage::limits{.max_message_bytes = 16});
    small->create_session("s");
    try {
        small->append("s", message::user(std::string(17, 'a')));
        FAIL() << "oversized message must throw";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::capacity_exceeded));
        EXPECT_EQ(e.field(), "message");
    }
    const std::vector<message> batch{message::user("ok"), message::user(std::string(40, 'b'))};
    try {
        small->append_batch("s", batch);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.field(), "batch[1]");
    }
    EXPECT_EQ(small->last("s", 10).size(), 0u);  // nothing of a refused batch was written
    // An invalid message (tool result answering nothing) is refused by validation.
    EXPECT_THROW(small->append("s", message::tool_result("", "x")), error);
}
