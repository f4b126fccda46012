// The model of AWS's "Exponential Backoff and Jitter" study, driven by agentkit's backoff policies:
// N clients each want to write one row once, against a single optimistic-concurrency server. A client
// reads the version, then writes with it; the write fails if another write landed in between, and the
// client backs off and starts over. Every network hop takes |normal(10 ms, 2 ms)|. Backoff base 5 ms,
// cap 2 s; attempt n sleeps min(cap, base * 2^n) before jitter, as in the original simulator.
// Reports, per strategy, the writes made (calls) and the time until the last client is done, averaged
// over seeded runs. Deterministic: the same seeds give the same table.
//   sim_resilience_aws_sim [clients=100] [runs=30]
#include <agentkit/resilience/backoff.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace {
using namespace agentkit::resilience;
using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

enum class step { read_at_server, read_reply, write_at_server, write_reply };
struct event {
    std::int64_t at;  // ns
    std::uint64_t seq;
    int client;
    step what;
    std::uint64_t version;  // read: version returned; write: version sent; reply: success flag
    bool operator>(const event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

struct result {
    double calls = 0;
    double millis = 0;
};

// One run. Delay(attempt, previous) gives the sleep after failed write `attempt` (1-based).
template <class Delay>
result run_once(int clients, std::uint64_t seed, Delay delay) {
    std::mt19937_64 random(seed);
    std::normal_distribution<double> net_ms(10.0, 2.0);
    auto hop = [&] { return static_cast<std::int64_t>(std::abs(net_ms(random)) * 1e6); };
    std::priority_queue<event, std::vector<event>, std::greater<>> queue;
    std::uint64_t seq = 0, version = 0, calls = 0;
    std::vector<std::uint32_t> attempts(static_cast<std::size_t>(clients), 0);
    std::vector<ns> previous(static_cast<std::size_t>(clients), ns(0));
    for (int c = 0; c < clients; ++c) queue.push({hop(), seq++, c, step::read_at_server, 0});
    std::int64_t now = 0;
    while (!queue.empty()) {
        const event e = queue.top();
        queue.pop();
        now = e.at;
        const auto ci = static_cast<std::size_t>(e.client);
        switch (e.what) {
            case step::read_at_server: queue.push({now + hop(), seq++, e.client, step::read_reply, version}); break;
            case step::read_reply: queue.push({now + hop(), seq++, e.client, step::write_at_server, e.version}); break;
            case step::write_at_server: {
                ++calls;
                const bool ok = e.version == version;
                if (ok) ++version;
                queue.push({now + hop(), seq++, e.client, step::write_reply, ok ? 1u : 0u});
                break;
            }
            case step::write_reply:
                if (e.version == 0) {
                    const ns sleep = delay(++attempts[ci], previous[ci], random);
                    previous[ci] = sleep;
                    queue.push({now + hop() + sleep.count(), seq++, e.client, step::read_at_server, 0});
                }
                break;
        }
    }
    return {static_cast<double>(calls), static_cast<double>(now) / 1e6};
}

template <class Delay>
result average(int clients, int runs, Delay delay) {
    result sum;
    for (int r = 0; r < runs; ++r) {
        const auto one = run_once(clients, 0x5eed0000u + static_cast<std::uint64_t>(r), delay);
        sum.calls += one.calls;
        sum.millis += one.millis;
    }
    return {sum.calls / runs, sum.millis / runs};
}

// The original simulator sleeps min(cap, base * 2^attempt): our policies' retry n is attempt n + 1.
template <class Backoff>
auto policy(Backoff b) {
    return [b](std::uint32_t attempt, ns previous, std::mt19937_64& random) {
        return b.delay(attempt + 1, previous, random);
    };
}
}  // namespace

int main(int argc, char** argv) {
    const int clients = argc > 1 ? std::atoi(argv[1]) : 100;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 30;
    if (clients <= 0 || runs <= 0) {
        std::fprintf(stderr, "usage: %s [clients>0] [runs>0]\n", argv[0]);
        return 2;
    }
    using cfg = exponential_backoff<>::config;
    const cfg aws{.initial_delay = 5ms, .multiplier = 2.0, .max_delay = 2000ms};
    struct row {
        const char* name;
        result r;
    };
    std::vector<row> rows;
    rows.push_back({"no backoff", average(clients, runs, [](std::uint32_t, ns, std::mt19937_64&) { return ns(0); })});
    rows.push_back({"exponential, no jitter", average(clients, runs, policy(exponential_backoff<no_jitter>(aws)))});
    rows.push_back(
        {"exponential, equal jitter", average(clients, runs, policy(exponential_backoff<equal_jitter>(aws)))});
    rows.push_back({"exponential, full jitter", average(clients, runs, policy(exponential_backoff<full_jitter>(aws)))});
    rows.push_back(
        {"decorrelated jitter",
         average(clients, runs,
                 [b = exponential_backoff<decorrelated_jitter>(aws)](
                     std::uint32_t a, ns previous, std::mt19937_64& random) { return b.delay(a, previous, random); })});
    std::printf(
        "AWS backoff model: %d clients, one OCC row, network |N(10 ms, 2 ms)| per hop, base 5 ms, cap 2 s, "
        "mean of %d seeded runs\n\n",
        clients, runs);
    std::printf("| strategy | calls (writes) | completion time (ms) | calls vs exponential |\n|---|---:|---:|---:|\n");
    const double expo = rows[1].r.calls;
    for (const auto& r : rows)
        std::printf("| %s | %.0f | %.0f | %.2fx |\n", r.name, r.r.calls, r.r.millis, r.r.calls / expo);
    const double ratio = rows[3].r.calls / expo;
    const bool ordered = ratio <= 0.45 && rows[3].r.calls < rows[0].r.calls && rows[2].r.calls < expo &&
        rows[4].r.calls < expo && rows[1].r.millis > rows[3].r.millis;
    std::printf("\nfull jitter / exponential calls = %.3f (goal <= 0.45): %s\n", ratio, ordered ? "MET" : "NOT MET");
    return ordered ? 0 : 1;
}
