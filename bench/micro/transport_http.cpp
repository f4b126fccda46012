// Client overhead per request of the HTTP transport + OpenAI provider against our OpenAI-compatible test server
// on 127.0.0.1 (the same process, its own threads): a kept-alive connection vs a new connection per request,
// non-streamed and streamed. The server's work is tiny and identical in every variant, so the differences are
// the client's (connect, parse, SSE).
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>

#include "../../tests/support/agentkit_test/openai_server.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {
// AGENTKIT_SERVE=1: run only the test server (prints its base URL, serves until stdin closes), so that
// bench/run-agent.sh can point this benchmark and the node peers at one and the same server process.
const bool serve_mode = [] {
    if (!std::getenv("AGENTKIT_SERVE")) return false;
    agentkit_test::openai_server s;
    s.record_bodies(false);
    std::printf("%s\n", s.base_url().c_str());
    std::fflush(stdout);
    for (std::string line; std::getline(std::cin, line);) {
    }
    s.stop();
    std::_Exit(0);
}();

using provider = agentkit::model::openai_provider<agentkit::transport::http>;

// AGENTKIT_BENCH_BASE_URL: an external server (the one the peers use); otherwise one in this process.
std::string base_url() {
    if (const char* url = std::getenv("AGENTKIT_BENCH_BASE_URL")) return url;
    static agentkit_test::openai_server s;
    s.record_bodies(false);
    return s.base_url();
}
provider make() {
    provider::config c;
    c.base_url = base_url();
    c.model = "bench";
    return provider(c, agentkit::transport::http{});
}
agentkit::model::chat_request ask() {
    agentkit::model::chat_request r;
    r.messages.push_back(agentkit::message::system("You are a benchmark."));
    r.messages.push_back(agentkit::message::user("Say something short about keep-alive connections."));
    return r;
}

void BM_ChatKeepAlive(benchmark::State& state) {
    auto p = make();
    const auto r = ask();
    for (auto _ : state) benchmark::DoNotOptimize(p.complete(r));
    state.counters["connections"] = static_cast<double>(p.transport().statistics().connections_opened);
    state.counters["deltas_per_request"] = 0;  // (CSV output needs the same counters in every run)
}
BENCHMARK(BM_ChatKeepAlive)->UseRealTime();

void BM_ChatNewConnection(benchmark::State& state) {
    const auto r = ask();
    std::uint64_t opened = 0;
    for (auto _ : state) {
        auto p = make();  // a fresh client: a fresh TCP connection for each request
        benchmark::DoNotOptimize(p.complete(r));
        opened += p.transport().statistics().connections_opened;
    }
    state.counters["connections"] = static_cast<double>(opened);
    state.counters["deltas_per_request"] = 0;
}
BENCHMARK(BM_ChatNewConnection)->UseRealTime();

void BM_StreamKeepAlive(benchmark::State& state) {
    auto p = make();
    const auto r = ask();
    std::size_t deltas = 0;
    for (auto _ : state) benchmark::DoNotOptimize(p.stream(r, [&](const agentkit::model::chat_delta&) { ++deltas; }));
    state.counters["connections"] = static_cast<double>(p.transport().statistics().connections_opened);
    state.counters["deltas_per_request"] = static_cast<double>(deltas) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_StreamKeepAlive)->UseRealTime();
}  // namespace
