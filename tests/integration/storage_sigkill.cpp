// No data lost: a child process appends in a loop and reports every append that returned (its id, over a
// pipe); the parent SIGKILLs it mid-stream, reopens the database and finds every acknowledged message.
// Run for synchronous NORMAL and FULL under WAL, with single appends and batches.
#include <agentkit/storage/sqlite_backend.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <agentkit_test/scratch_db.hpp>

#include <filesystem>
#include <set>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace agentkit;
using namespace agentkit::storage;

namespace {

using agentkit_test::fresh_db;

struct ack {
    std::int64_t first_id;
    std::int32_t count;
    std::int32_t seq;  // sequence number of the first message
};

bool write_all(int fd, const void* p, std::size_t n) {
    const char* c = static_cast<const char*>(p);
    while (n > 0) {
        const auto w = ::write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        c += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

[[noreturn]] void child(const sqlite_config& cfg, int fd, int batch) {
    try {
        storage::sqlite db(cfg);
        db.create_session("victim");
        for (std::int32_t seq = 0;; seq += batch) {
            ack a{};
            if (batch == 1) {
                a.first_id = db.append("victim", message::user("msg " + std::to_string(seq)));
            } else {
                std::vector<message> msgs;
                for (int j = 0; j < batch; ++j) msgs.push_back(message::user("msg " + std::to_string(seq + j)));
                a.first_id = db.append_batch("victim", msgs);
            }
            a.count = batch;
            a.seq = seq;
            if (!write_all(fd, &a, sizeof a)) ::_exit(3);  // the append returned: acknowledge it
        }
    } catch (...) {
        ::_exit(2);
    }
}

void kill_and_verify(sqlite_config cfg, int batch, int acks_before_kill) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        child(cfg, fds[1], batch);
    }
    ::close(fds[1]);
    std::vector<ack> acks;
    ack a{};
    std::size_t have = 0;
    auto read_some = [&]() -> bool {
        const auto r = ::read(fds[0], reinterpret_cast<char*>(&a) + have, sizeof a - have);
        if (r < 0 && errno == EINTR) return true;
        if (r <= 0) return false;
        have += static_cast<std::size_t>(r);
        if (have == sizeof a) {
            acks.push_back(a);
            have = 0;
        }
        return true;
    };
    while (static_cast<int>(acks.size()) < acks_before_kill && read_some()) {}
    ASSERT_EQ(::kill(pid, SIGKILL), 0);  // mid-stream: the child is inside its next append
    while (read_some()) {}               // acknowledgements already in the pipe still count
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child ended on its own, status " << status;
    ASSERT_GE(static_cast<int>(acks.size()), acks_before_kill);

    storage::sqlite db(cfg);  // reopen: recovers the WAL
    EXPECT_TRUE(db.integrity_check().empty());
    const auto last = acks.back();
    const auto stored = db.range("victim", acks.front().first_id, last.first_id + last.count - 1);
    std::set<std::int64_t> ids;
    for (const auto& m : stored) ids.insert(m.id);
    std::size_t missing = 0;
    for (const auto& k : acks)
        for (int j = 0; j < k.count; ++j) {
            if (!ids.contains(k.first_id + j)) {
                ++missing;
                continue;
            }
        }
    EXPECT_EQ(missing, 0u) << "acknowledged appends lost after SIGKILL";
    // Contents match too, and nothing beyond the acknowledged range is torn (whole transactions only).
    for (const auto& m : stored) {
        const auto seq = acks.front().seq + (m.id - acks.front().first_id);
        EXPECT_EQ(m.message.content(), "msg " + std::to_string(seq));
    }
    const auto all = db.last_stored("victim", 1'000'000);
    EXPECT_EQ(all.size() % static_cast<std::size_t>(batch), 0u);
    EXPECT_GE(all.size(), acks.size() * static_cast<std::size_t>(batch));
}

}  // namespace

TEST(SqliteSigkill, WalNormalSingleAppendsSurvive) {
    kill_and_verify(sqlite_profiles::high_throughput(fresh_db("normal.db")), 1, 400);
}
TEST(SqliteSigkill, WalFullSingleAppendsSurvive) {
    auto cfg = sqlite_profiles::high_throughput(fresh_db("full.db"));
    cfg.synchronous = sqlite_synchronous::full;
    kill_and_verify(cfg, 1, 150);
}
TEST(SqliteSigkill, WalNormalBatchesSurviveWhole) {
    kill_and_verify(sqlite_profiles::high_throughput(fresh_db("batch.db")), 64, 100);
}
TEST(SqliteSigkill, ResourceConstrainedProfileSurvives) {
    kill_and_verify(sqlite_profiles::resource_constrained(fresh_db("rc.db")), 8, 200);
}
