// agent_streams: N concurrent streaming agent turns on one io_context run by a few threads (default 1000 turns,
// 2 threads), against an OpenAI-compatible upstream (bench/sim/mock_upstream.cpp, a simulated upstream).
// Each turn is one agent<with_model<model::openai_provider<transport::http>>> awaiting
// `co_await a.async_run("question", callbacks)` with an on_delta that counts deltas; all N agents share ONE
// transport::http client built on the io_context's executor (max_connections_per_host >= N), so a waiting
// turn holds a coroutine frame and a connection, never a thread.
//
//   sim_agent_streams --base-url http://127.0.0.1:<port>/v1 [--n 1000] [--threads 2] [--chunks 20]
//
// Prints what it measured, then one line for bench/run-agent-streams.sh:
//   RESULT client=agentkit streams= completed= failed= deltas= expected_deltas= wall_s= cpu_s= peak_rss_mb=
//          baseline_rss_mb= bytes_per_turn= threads_before= threads_during= turn_p50_ms= turn_p99_ms=
// wall_s and cpu_s (getrusage, user + sys) cover the N concurrent turns only; baseline_rss_mb is VmRSS after
// one warm-up turn, before the N agents exist; bytes_per_turn = (VmHWM - baseline) / N (agent, coroutine
// frames, request, connection and its buffers: everything a turn in flight costs); turn_p50/p99_ms are the
// turns' durations from the common start (the upstream alone takes ttft + (chunks - 1) * gap). Exits non-zero
// when a turn failed, a delta is missing or the thread count grew with the turns.
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>
#include <agentkit_bench/process.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using provider_t = agentkit::model::openai_provider<agentkit::transport::http>;
using agent_t = agentkit::agent<agentkit::with_model<provider_t>>;

struct options {
    std::string base_url;
    std::size_t n = 1000;
    unsigned threads = 2;
    std::size_t chunks = 20;  // content chunks per stream the upstream sends (mock_upstream --chunks)
};

std::size_t thread_count() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
    return n;
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (a == "--base-url" && v)
            o.base_url = v, ++i;
        else if (a == "--n")
            o.n = agentkit_bench::flag_number("agent_streams", argv[i], v, true), ++i;
        else if (a == "--threads")
            o.threads = static_cast<unsigned>(agentkit_bench::flag_number("agent_streams", argv[i], v, true)), ++i;
        else if (a == "--chunks")
            o.chunks = agentkit_bench::flag_number("agent_streams", argv[i], v, true), ++i;
        else {
            std::fprintf(stderr, "usage: %s --base-url URL [--n 1000] [--threads 2] [--chunks 20]\n", argv[0]);
            std::exit(2);
        }
    }
    if (o.base_url.empty()) {
        std::fprintf(stderr, "agent_streams: --base-url is required (start sim_mock_upstream; it prints it)\n");
        std::exit(2);
    }
    return o;
}

std::unique_ptr<agent_t> make_agent(const options& o, const agentkit::transport::http& client) {
    provider_t::config c;
    c.base_url = o.base_url;
    c.api_key = "sk-mock";
    c.model = "mock-upstream";
    return std::make_unique<agent_t>(provider_t(std::move(c), client));
}

// What the turns report, from both I/O threads.
struct tally {
    std::atomic<std::uint64_t> deltas{0};
    std::atomic<std::size_t> completed{0};
    std::atomic<std::size_t> failed{0};
    std::atomic<std::size_t> finished{0};
    std::mutex first_error_mutex;
    std::string first_error;
};
}  // namespace

int main(int argc, char** argv) {
    const options opt = parse(argc, argv);
    agentkit_bench::raise_descriptor_limit();

    asio::io_context io(static_cast<int>(opt.threads));
    auto work = asio::make_work_guard(io);
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < opt.threads; ++i) threads.emplace_back([&io] { io.run(); });

    agentkit::transport::http::config hc;
    hc.max_connections_per_host = opt.n + 16;
    agentkit::transport::http client(io.get_executor(), hc);

    // Warm-up: one turn (the first connection, lazy initialisation), then the baseline.
    {
        auto warm = make_agent(opt, client);
        std::promise<void> done;
        auto future = done.get_future();
        asio::co_spawn(io, warm->async_run("warm-up", {}), [&done](std::exception_ptr e, agentkit::turn_result) {
            if (e)
                done.set_exception(e);
            else
                done.set_value();
        });
        try {
            future.get();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "agent_streams: the warm-up turn failed: %s\n", e.what());
            work.reset();
            io.stop();
            for (auto& t : threads) t.join();
            return 1;
        }
    }
    const std::size_t threads_before = thread_count();
    const long baseline_kb = agentkit_bench::status_kb("VmRSS");

    std::vector<std::unique_ptr<agent_t>> agents;
    agents.reserve(opt.n);
    for (std::size_t i = 0; i < opt.n; ++i) agents.push_back(make_agent(opt, client));

    tally t;
    std::promise<void> all_done;
    auto all_done_future = all_done.get_future();
    std::atomic<std::size_t> threads_during{0};
    std::atomic<bool> sampling{true};

    // Samples the thread count while turns are in flight (a timer on the same io_context: no extra thread).
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            asio::steady_timer timer(co_await asio::this_coro::executor);
            while (sampling.load()) {
                const std::size_t now = thread_count();
                std::size_t seen = threads_during.load();
                while (now > seen && !threads_during.compare_exchange_weak(seen, now)) {}
                timer.expires_after(20ms);
                co_await timer.async_wait(asio::use_awaitable);
            }
        },
        asio::detached);

    const double cpu_start = agentkit_bench::cpu_seconds();
    const auto wall_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point wall_end;
    std::mutex wall_end_mutex;
    std::vector<double> turn_ms(opt.n, 0.0);  // each turn writes its own slot
    for (std::size_t i = 0; i < opt.n; ++i) {
        auto& a = agents[i];
        agentkit::agent_callbacks callbacks;
        callbacks.on_delta = [&t](const agentkit::model::chat_delta& d) {
            if (!d.content.empty()) t.deltas.fetch_add(1, std::memory_order_relaxed);
        };
        asio::co_spawn(
            io, a->async_run("What is a ReAct agent?", std::move(callbacks)),
            [&, i](std::exception_ptr e, agentkit::turn_result) {
                turn_ms[i] =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start).count();
                if (e) {
                    t.failed.fetch_add(1);
                    std::lock_guard lock(t.first_error_mutex);
                    if (t.first_error.empty()) {
                        try {
                            std::rethrow_exception(e);
                        } catch (const std::exception& ex) {
                            t.first_error = ex.what();
                        }
                    }
                } else {
                    t.completed.fetch_add(1);
                }
                if (t.finished.fetch_add(1) + 1 == opt.n) {
                    {
                        std::lock_guard lock(wall_end_mutex);
                        wall_end = std::chrono::steady_clock::now();
                    }
                    all_done.set_value();
                }
            });
    }
    all_done_future.wait();
    const double cpu = agentkit_bench::cpu_seconds() - cpu_start;
    double wall = 0;
    {
        std::lock_guard lock(wall_end_mutex);
        wall = std::chrono::duration<double>(wall_end - wall_start).count();
    }
    sampling = false;
    const long peak_kb = agentkit_bench::status_kb("VmHWM");
    const auto stats = client.statistics();

    work.reset();
    io.stop();
    for (auto& th : threads) th.join();

    std::sort(turn_ms.begin(), turn_ms.end());
    const auto percentile = [&turn_ms](double p) {
        return turn_ms[std::min(turn_ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(turn_ms.size())))];
    };
    const std::uint64_t expected = static_cast<std::uint64_t>(opt.n) * opt.chunks;
    const double per_turn =
        peak_kb > baseline_kb ? static_cast<double>(peak_kb - baseline_kb) * 1024.0 / static_cast<double>(opt.n) : 0.0;
    std::printf("agentkit: %zu concurrent streaming turns on %u threads: %zu completed, %zu failed, %llu/%llu deltas\n",
                opt.n, opt.threads, t.completed.load(), t.failed.load(),
                static_cast<unsigned long long>(t.deltas.load()), static_cast<unsigned long long>(expected));
    std::printf("  wall %.3f s, CPU %.3f s, peak RSS %.1f MB (baseline %.1f MB) -> %.0f bytes per in-flight turn\n",
                wall, cpu, static_cast<double>(peak_kb) / 1024.0, static_cast<double>(baseline_kb) / 1024.0, per_turn);
    std::printf("  turn duration: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", percentile(0.50), percentile(0.99),
                turn_ms.back());
    std::printf("  threads: %zu before, %zu during (no thread per turn)\n", threads_before, threads_during.load());
    std::printf("  http client: %llu requests, %llu connections opened, %llu reused\n",
                static_cast<unsigned long long>(stats.requests),
                static_cast<unsigned long long>(stats.connections_opened),
                static_cast<unsigned long long>(stats.connections_reused));
    if (!t.first_error.empty()) std::printf("  first error: %s\n", t.first_error.c_str());
    std::printf(
        "RESULT client=agentkit streams=%zu completed=%zu failed=%zu deltas=%llu expected_deltas=%llu wall_s=%.3f "
        "cpu_s=%.3f "
        "peak_rss_mb=%.1f baseline_rss_mb=%.1f bytes_per_turn=%.0f threads_before=%zu threads_during=%zu "
        "turn_p50_ms=%.0f turn_p99_ms=%.0f\n",
        opt.n, t.completed.load(), t.failed.load(), static_cast<unsigned long long>(t.deltas.load()),
        static_cast<unsigned long long>(expected), wall, cpu, static_cast<double>(peak_kb) / 1024.0,
        static_cast<double>(baseline_kb) / 1024.0, per_turn, threads_before, threads_during.load(), percentile(0.50),
        percentile(0.99));
    std::fflush(stdout);
    // A thread per turn would show as hundreds more; a few are allowed for anything the runtime starts.
    const bool thread_per_turn = threads_during.load() > threads_before + 4;
    if (thread_per_turn) std::printf("  FAILED: the thread count grew with the turns\n");
    const bool ok =
        t.failed.load() == 0 && t.completed.load() == opt.n && t.deltas.load() == expected && !thread_per_turn;
    return ok ? 0 : 1;
}
