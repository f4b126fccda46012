// Client overhead per request of the HTTP transport + OpenAI provider against our OpenAI-compatible test server
// on 127.0.0.1 (the same process, its own threads): a kept-alive connection vs a new connection per request,
// non-streamed and streamed; and the same over HTTPS with a self-signed certificate the client trusts through
// ca_file (peer verification on): a pooled TLS connection vs a new TLS connection (TCP + handshake) per
// request. The server's work is tiny and identical in every variant, so the differences are the client's
// (connect, handshake, parse, SSE) plus the server's share of the handshake.
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>

#include "../../tests/support/agentkit_test/openai_server.hpp"
#include "../../tests/support/agentkit_test/test_certificate.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {
const agentkit_test::test_certificate& certificate() {
    static const agentkit_test::test_certificate c = agentkit_test::make_certificate();
    return c;
}
const std::string& ca_file() {
    static const std::string path = certificate().write_cert_file("bench-ca");
    return path;
}

// AGENTKIT_SERVE=1: run only the test servers (prints the plain base URL, the HTTPS base URL and the CA file
// that HTTPS clients must trust, one per line; serves until stdin closes), so that bench/run-agent.sh can
// point this benchmark and the node peers at one and the same server process.
const bool serve_mode = [] {
    if (!std::getenv("AGENTKIT_SERVE")) return false;
    agentkit_test::openai_server s;
    agentkit_test::openai_server tls(certificate());
    s.record_bodies(false);
    tls.record_bodies(false);
    std::printf("%s\n%s\n%s\n", s.base_url().c_str(), tls.base_url().c_str(), ca_file().c_str());
    std::fflush(stdout);
    for (std::string line; std::getline(std::cin, line);) {}
    s.stop();
    tls.stop();
    std::remove(ca_file().c_str());
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

// AGENTKIT_BENCH_TLS_URL (+ AGENTKIT_BENCH_CA_FILE): an external HTTPS server; otherwise one in this process.
provider make_tls() {
    static const std::pair<std::string, std::string> where = [] {
        if (const char* url = std::getenv("AGENTKIT_BENCH_TLS_URL")) {
            const char* ca = std::getenv("AGENTKIT_BENCH_CA_FILE");
            return std::pair<std::string, std::string>(url, ca ? ca : "");
        }
        static agentkit_test::openai_server s(certificate());
        s.record_bodies(false);
        return std::pair<std::string, std::string>(s.base_url(), ca_file());
    }();
    provider::config c;
    c.base_url = where.first;
    c.model = "bench";
    agentkit::transport::http::config t;
    t.ca_file = where.second;  // verify_peer stays on: the handshake does the full verification
    return provider(c, agentkit::transport::http(t));
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

void BM_TlsChatPooled(benchmark::State& state) {
    auto p = make_tls();
    const auto r = ask();
    for (auto _ : state) benchmark::DoNotOptimize(p.complete(r));
    state.counters["connections"] = static_cast<double>(p.transport().statistics().connections_opened);
    state.counters["deltas_per_request"] = 0;
}
BENCHMARK(BM_TlsChatPooled)->UseRealTime();

void BM_TlsChatNewConnection(benchmark::State& state) {
    const auto r = ask();
    std::uint64_t opened = 0;
    for (auto _ : state) {
        auto p = make_tls();  // a fresh client: TCP connect + TLS handshake (ECDHE, P-256 certificate verified)
        benchmark::DoNotOptimize(p.complete(r));
        opened += p.transport().statistics().connections_opened;
    }
    state.counters["connections"] = static_cast<double>(opened);
    state.counters["deltas_per_request"] = 0;
}
BENCHMARK(BM_TlsChatNewConnection)->UseRealTime();
}  // namespace
