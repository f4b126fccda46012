// Storage backends: append (single, batched), last-20 read latency (p50/p99), prune of 100k sessions,
// bytes per stored message; storage::memory next to storage::sqlite (WAL + NORMAL and WAL + FULL).
// Files go to $AGENTKIT_BENCH_TMP (default /tmp). Run through bench/run-memory.sh for the tables.
#include <agentkit/storage/memory_backend.hpp>
#include <agentkit/storage/sqlite_backend.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <malloc.h>
#include <random>
#include <sys/resource.h>
#include <unistd.h>

using namespace agentkit;
using namespace agentkit::storage;

namespace {

std::string bench_path(const std::string& name) {
    const char* dir = std::getenv("AGENTKIT_BENCH_TMP");
    auto p = (std::filesystem::path(dir ? dir : "/tmp") / ("agentkit_bench_" + std::to_string(::getpid()) + "_" + name))
                 .string();
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p + s);
    return p;
}
void remove_db(const std::string& p) {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p + s);
}

// (not "s" + std::to_string(i): GCC 12 at -O3 warns falsely on it, -Wrestrict, PR 105329)
std::string sid(int i) {
    std::string s = "s";
    s += std::to_string(i);
    return s;
}

// A typical chat message: ~200 bytes of content.
message sample_message(std::size_t i) {
    return i % 2
        ? message::assistant("Sure - here is the plan for step " + std::to_string(i) +
                             ": read the config, validate each field, then write the report back to the caller.")
        : message::user("Please check item " + std::to_string(i) +
                        " of the backlog and tell me whether the parser change is ready for review today.");
}

enum class kind { memory, sqlite_normal, sqlite_full, sqlite_high_throughput };

struct any_store {
    std::unique_ptr<storage::memory> mem;
    std::unique_ptr<storage::sqlite> db;
    std::string path;
    explicit any_store(kind k, const std::string& name) {
        if (k == kind::memory) {
            mem = std::make_unique<storage::memory>();
            return;
        }
        path = bench_path(name);
        auto cfg = k == kind::sqlite_high_throughput ? sqlite_profiles::high_throughput(path)
                                                     : sqlite_config{};  // Flynn's: WAL + NORMAL
        cfg.path = path;
        if (k == kind::sqlite_full) cfg.synchronous = sqlite_synchronous::full;
        db = std::make_unique<storage::sqlite>(cfg);
    }
    ~any_store() {
        db.reset();
        if (!path.empty()) remove_db(path);
    }
    template <class F>
    decltype(auto) with(F&& f) {
        return mem ? f(*mem) : f(*db);
    }
};

const char* label(kind k) {
    switch (k) {
        case kind::memory: return "memory";
        case kind::sqlite_normal: return "sqlite WAL+NORMAL";
        case kind::sqlite_full: return "sqlite WAL+FULL";
        case kind::sqlite_high_throughput: return "sqlite high_throughput profile (WAL+NORMAL)";
    }
    return "";
}

void BM_AppendSingle(benchmark::State& state) {
    const auto k = static_cast<kind>(state.range(0));
    any_store s(k, "single.db");
    std::vector<message> msgs;
    for (std::size_t i = 0; i < 64; ++i) msgs.push_back(sample_message(i));
    s.with([&](auto& st) {
        st.create_session("s");
        std::size_t i = 0;
        for (auto _ : state) benchmark::DoNotOptimize(st.append("s", msgs[i++ & 63]));
        return 0;
    });
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(label(k));
}
BENCHMARK(BM_AppendSingle)->Arg(0)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_AppendBatch(benchmark::State& state) {
    const auto k = static_cast<kind>(state.range(0));
    const auto n = static_cast<std::size_t>(state.range(1));
    any_store s(k, "batch.db");
    std::vector<message> batch;
    for (std::size_t i = 0; i < n; ++i) batch.push_back(sample_message(i));
    s.with([&](auto& st) {
        st.create_session("s");
        for (auto _ : state) benchmark::DoNotOptimize(st.append_batch("s", batch));
        return 0;
    });
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
    state.SetLabel(label(k));
}
BENCHMARK(BM_AppendBatch)
    ->Args({0, 100})
    ->Args({1, 100})
    ->Args({1, 1000})
    ->Args({2, 1000})
    ->Args({3, 1000})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// last(session, 20) on 200 sessions x 500 messages; p50/p99 from per-call timings.
void BM_Last20(benchmark::State& state) {
    const auto k = static_cast<kind>(state.range(0));
    any_store s(k, "last20.db");
    constexpr int sessions = 200, per = 500;
    s.with([&](auto& st) {
        std::vector<message> batch;
        for (int i = 0; i < per; ++i) batch.push_back(sample_message(static_cast<std::size_t>(i)));
        for (int i = 0; i < sessions; ++i) {
            st.create_session(sid(i));
            st.append_batch(sid(i), batch);
        }
        std::vector<std::string> ids;
        for (int i = 0; i < sessions; ++i) ids.push_back(sid(i));
        std::mt19937 rng(7);
        std::vector<double> ns;
        ns.reserve(1 << 20);
        for (auto _ : state) {
            const auto t0 = std::chrono::steady_clock::now();
            auto got = st.last(ids[rng() % sessions], 20);
            const auto t1 = std::chrono::steady_clock::now();
            benchmark::DoNotOptimize(got.data());
            if (ns.size() < (1u << 20)) ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
        }
        std::sort(ns.begin(), ns.end());
        state.counters["p50_us"] = ns[ns.size() / 2] / 1000.0;
        state.counters["p99_us"] = ns[ns.size() * 99 / 100] / 1000.0;
        return 0;
    });
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(label(k));
}
BENCHMARK(BM_Last20)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);

// prune of 100k expired sessions (1 message each) in one call; setup is not timed.
void BM_Prune100k(benchmark::State& state) {
    const auto k = static_cast<kind>(state.range(0));
    for (auto _ : state) {
        state.PauseTiming();
        manual_clock clock;
        std::unique_ptr<basic_memory_backend<manual_clock>> mem;
        std::unique_ptr<basic_sqlite_backend<manual_clock>> db;
        std::string path;
        const auto msg = sample_message(1);
        if (k == kind::memory) {
            mem = std::make_unique<basic_memory_backend<manual_clock>>(memory_config{}, clock);
            for (int i = 0; i < 100000; ++i) {
                mem->create_session(sid(i));
                mem->append(sid(i), msg);
            }
        } else {
            path = bench_path("prune.db");
            sqlite_config cfg;
            cfg.path = path;
            db = std::make_unique<basic_sqlite_backend<manual_clock>>(cfg, clock);
            db->batch([&] {
                for (int i = 0; i < 100000; ++i) {
                    db->create_session(sid(i));
                    db->append(sid(i), msg);
                }
            });
        }
        clock.advance(std::chrono::hours(24 * 8));
        state.ResumeTiming();
        const auto counts =
            mem ? mem->prune(std::chrono::hours(24 * 7), 100) : db->prune(std::chrono::hours(24 * 7), 100);
        state.PauseTiming();
        if (counts.sessions_expired != 100000) state.SkipWithError("prune did not remove 100k sessions");
        db.reset();
        mem.reset();
        if (!path.empty()) remove_db(path);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * 100000);
    state.SetLabel(label(k));
}
BENCHMARK(BM_Prune100k)->Arg(0)->Arg(1)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

// The seed's "memory operations" (Assistant Worker): add message, get messages, clear memory.
void BM_SeedClear100(benchmark::State& state) {  // delete a session of 100 messages
    const auto k = static_cast<kind>(state.range(0));
    any_store s(k, "clear.db");
    std::vector<message> batch;
    for (std::size_t i = 0; i < 100; ++i) batch.push_back(sample_message(i));
    s.with([&](auto& st) {
        for (auto _ : state) {
            state.PauseTiming();
            st.create_session("c");
            st.append_batch("c", batch);
            state.ResumeTiming();
            benchmark::DoNotOptimize(st.delete_session("c"));
        }
        return 0;
    });
    state.SetLabel(label(k));
}
BENCHMARK(BM_SeedClear100)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Bytes per stored message: heap growth (memory) or database file size (sqlite) over 100k messages.
void BM_BytesPerMessage(benchmark::State& state) {
    const auto k = static_cast<kind>(state.range(0));
    double bytes = 0;
    for (auto _ : state) {
        constexpr std::size_t n = 100000;
        std::vector<message> batch;
        for (std::size_t i = 0; i < 1000; ++i) batch.push_back(sample_message(i));
        const auto before = mallinfo2().uordblks;
        any_store s(k, "bytes.db");
        s.with([&](auto& st) {
            for (int i = 0; i < 100; ++i) {
                st.create_session(sid(i));
                st.append_batch(sid(i), batch);
            }
            return 0;
        });
        if (k == kind::memory) {
            bytes = static_cast<double>(mallinfo2().uordblks - before) / n;
        } else {
            s.db->checkpoint();
            bytes = static_cast<double>(std::filesystem::file_size(s.path)) / n;
        }
    }
    state.counters["bytes_per_message"] = bytes;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    state.counters["peak_rss_mb"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
    state.SetLabel(label(k));
}
BENCHMARK(BM_BytesPerMessage)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
