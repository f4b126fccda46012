#include <agentkit/storage/sqlite_backend.hpp>
#include <agentkit/agent/agent.hpp>

#include <gtest/gtest.h>

using namespace agentkit;
using namespace agentkit::storage;

TEST(SqliteConfig, DefaultsAreFlynnsPragmas) {
    const sqlite_config c;
    EXPECT_EQ(c.journal_mode, sqlite_journal_mode::wal);
    EXPECT_EQ(c.synchronous, sqlite_synchronous::normal);
    EXPECT_EQ(c.cache_size, -64000);
    EXPECT_EQ(c.temp_store, sqlite_temp_store::memory);
    EXPECT_EQ(c.mmap_size, 268435456);
    EXPECT_EQ(c.page_size, 4096);
    EXPECT_NO_THROW(c.validate());
}

TEST(SqliteConfig, ValidationNamesTheField) {
    auto expect_field = [](sqlite_config c, const char* field) {
        try {
            c.validate();
            ADD_FAILURE() << field;
        } catch (const error& e) {
            EXPECT_EQ(e.field(), field);
        }
    };
    sqlite_config c;
    c.page_size = 1000;
    expect_field(c, "sqlite.page_size");
    c = {};
    c.cache_size = 0;
    expect_field(c, "sqlite.cache_size");
    c = {};
    c.mmap_size = -1;
    expect_field(c, "sqlite.mmap_size");
    c = {};
    c.journal_size_limit = -2;
    expect_field(c, "sqlite.journal_size_limit");
    c = {};
    c.busy_timeout = std::chrono::milliseconds(-1);
    expect_field(c, "sqlite.busy_timeout");
}

TEST(SqliteConfig, InMemoryDefaultFitsTheAgentSlot) {
    static_assert(session_store<storage::sqlite>);
    agent<with_storage<storage::sqlite>> a;  // default-constructed: ":memory:"
    a.storage().create_session("s");
    a.storage().append("s", message::user("hi"));
    EXPECT_EQ(a.storage().last("s", 1)[0].content(), "hi");
}
