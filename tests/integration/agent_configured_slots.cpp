// Configured slots: an agent built from use_<slot>(...) values in any order holds what it was given; with
// SQLite storage on a file its turns are written there, and a second agent on that file resumes the session.
#include <agentkit/agent/agent.hpp>
#include <agentkit/agent/response_caching.hpp>
#include <agentkit/cache/cache.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/storage/sqlite_backend.hpp>

#include <agentkit_test/scratch_db.hpp>

#include <gtest/gtest.h>

#include <string>

using namespace agentkit;
using step = model::scripted_provider::step;

namespace {
using summarising = memory::summary_buffer<text::chars_per_token<4>, memory::callable_summarizer>;
using file_agent = agent<with_model<model::scripted_provider>, with_storage<storage::sqlite>>;

bool mentions(const model::chat_request& r, const std::string& text) {
    for (const auto& m : r.messages)
        if (m.content().find(text) != std::string::npos) return true;
    return false;
}
}  // namespace

TEST(AgentConfiguredSlots, SqliteStorageOnAFileIsResumedByASecondAgent) {
    const std::string path = agentkit_test::fresh_db("configured_slots.db");
    storage::sqlite_config db;
    db.path = path;
    {
        file_agent first{use_storage(db), use_model(model::scripted_provider{step::reply("Noted: your name is Ada.")}),
                         use_config({.session = "alice"})};
        EXPECT_EQ(first.run("My name is Ada.").reply, "Noted: your name is Ada.");
        EXPECT_EQ(first.storage().last("alice", 10).size(), 2u);
    }
    // The file holds the session; a second agent, its slots given in another order, starts from it.
    model::scripted_provider second_model{step::reply("You are Ada.")};
    file_agent second{use_config({.session = "alice"}), use_model(std::move(second_model)), use_storage(db)};
    ASSERT_EQ(second.history().size(), 2u);
    EXPECT_EQ(second.run("What is my name?").reply, "You are Ada.");
    const auto requests = second.model().requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_TRUE(mentions(requests[0], "My name is Ada."));
    EXPECT_TRUE(mentions(requests[0], "Noted: your name is Ada."));
    EXPECT_EQ(second.storage().last("alice", 10).size(), 4u);

    // Another session in the same file starts empty; resume_messages = 0 starts empty too.
    file_agent other{use_storage(db), use_model(model::scripted_provider{}), use_config({.session = "bob"})};
    EXPECT_EQ(other.history().size(), 0u);
    file_agent fresh{use_storage(db), use_model(model::scripted_provider{}),
                     use_config({.session = "alice", .resume_messages = 0})};
    EXPECT_EQ(fresh.history().size(), 0u);
}

TEST(AgentConfiguredSlots, AResumedWindowStartsAtAUserMessage) {
    storage::sqlite_config db;
    db.path = agentkit_test::fresh_db("configured_slots_window.db");
    {
        file_agent first{use_storage(db), use_config({.session = "s"}),
                         use_model(model::scripted_provider{step::call("c1", "lookup", "{}"), step::reply("done")})};
        first.run("look it up");  // user, assistant (tool call), tool result (unknown tool), assistant
        EXPECT_EQ(first.storage().last("s", 10).size(), 4u);
    }
    // The last three stored messages start inside the turn; the window skips to the next user message (none).
    file_agent second{use_storage(db), use_model(model::scripted_provider{}),
                      use_config({.session = "s", .resume_messages = 3})};
    EXPECT_EQ(second.history().size(), 0u);
    file_agent whole{use_storage(db), use_model(model::scripted_provider{}), use_config({.session = "s"})};
    EXPECT_EQ(whole.history().size(), 4u);
}

TEST(AgentConfiguredSlots, CompactionAndCacheKnobsGivenAtConstructionAreInEffect) {
    memory::compaction_config cc;
    cc.threshold_pct = 60;
    cc.keep_turns = 3;
    cache::basic_response_cache<cache::w_tinylfu, cache::sharded<8>>::config rc;
    rc.cache_size = 1u << 20;
    agent<with_model<model::scripted_provider>, with_compaction<summarising>, with_cache<response_caching<>>> a{
        use_cache(rc), use_compaction(cc), use_model(model::scripted_provider{step::reply("a"), step::reply("b")})};
    EXPECT_EQ(a.compaction().configuration().threshold_pct, 60.0);
    EXPECT_EQ(a.compaction().configuration().keep_turns, 3u);
    EXPECT_EQ(a.cache().configuration().cache_size, 1u << 20);
    // The configured compaction still summarises with the model's summariser (bound after construction).
    EXPECT_EQ(a.run("hello").reply, "a");

    using lru_agent = agent<with_model<model::scripted_provider>, with_cache<cache::lru>>;
    lru_agent::cache_type::config lc;
    lc.max_size = 7;
    lru_agent b{use_model(model::scripted_provider{}), use_cache(lc)};
    EXPECT_EQ(b.cache().capacity(), 7u);
}

TEST(AgentConfiguredSlots, SlotsNotGivenKeepTheirDefaults) {
    agent<with_model<model::scripted_provider>, with_storage<storage::memory>> a{use_model(model::scripted_provider{})};
    EXPECT_EQ(a.configuration().session, "default");
    EXPECT_EQ(a.configuration().max_iterations, 5u);
    EXPECT_EQ(a.run("hi").reply, "echo: hi");
    EXPECT_EQ(a.storage().last("default", 10).size(), 2u);
}
