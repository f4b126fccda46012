// mock_upstream: a simulated OpenAI-compatible upstream for benchmarks (not a model, not for production).
// It serves POST <anything>/chat/completions on 127.0.0.1 with HTTP/1.1 keep-alive:
//   - "stream": true  -> SSE (chunked): the first chunk after --ttft-ms, then the rest of --chunks content
//     chunks --gap-ms apart (each carries one word, so a client sees exactly --chunks content deltas), then a
//     finish chunk, a usage chunk and `data: [DONE]`;
//   - otherwise       -> a JSON chat completion after --ttft-ms.
// Every connection is one C++20 coroutine on Boost.Asio (Beast parses the requests), so one thread serves
// thousands of concurrent streams; timers are absolute (start + ttft + i * gap), so a busy moment does not
// stretch the schedule.
//
//   sim_mock_upstream [--port 0] [--threads 1] [--ttft-ms 50] [--chunks 20] [--gap-ms 10]
//
// Prints its base URL (http://127.0.0.1:<port>/v1) as the first line of stdout. On SIGTERM or SIGINT it stops
// and prints one summary line, so a benchmark driver can report the upstream's own cost:
//   mock_upstream requests=<n> streams=<n> peak_concurrent_streams=<n> connections=<n> cpu_s=<user+sys>
//   peak_rss_mb=<VmHWM> threads=<n>
#include <agentkit_bench/process.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

struct options {
    unsigned short port = 0;
    unsigned threads = 1;
    std::chrono::milliseconds ttft = 50ms;
    unsigned chunks = 20;
    std::chrono::milliseconds gap = 10ms;
    std::size_t max_request_bytes = 8u << 20;  // a request body larger than this gets 413
};

struct counters {
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> streams{0};
    std::atomic<std::uint64_t> connections{0};
    std::atomic<std::int64_t> in_flight{0};
    std::atomic<std::int64_t> peak_in_flight{0};
};

constexpr std::string_view words[] = {"The",   " quick", " brown", " fox", " jumps",
                                      " over", " the",   " lazy",  " dog", "."};

std::string content_chunk(std::size_t i) {
    std::string s =
        R"({"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1732350000,"model":"mock-upstream",)"
        R"("system_fingerprint":"fp_mock","choices":[{"index":0,"delta":{)";
    if (i == 0) s += R"("role":"assistant",)";
    s += R"("content":")";
    s += words[i % std::size(words)];
    s += R"("},"logprobs":null,"finish_reason":null}]})";
    return s;
}

// One SSE event as one HTTP chunk.
std::string http_chunk(std::string_view sse) {
    char size[32];
    const int n = std::snprintf(size, sizeof size, "%zx\r\n", sse.size());
    std::string out(size, static_cast<std::size_t>(n));
    out += sse;
    out += "\r\n";
    return out;
}
std::string sse_event(std::string_view data) { return "data: " + std::string(data) + "\n\n"; }

// The tail of every stream: finish chunk, usage chunk, [DONE] and the chunked body's end, in one write.
std::string stream_tail(unsigned chunks) {
    std::string finish =
        R"({"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1732350000,"model":"mock-upstream",)"
        R"("choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]})";
    std::string usage =
        R"({"id":"chatcmpl-mock","object":"chat.completion.chunk","created":1732350000,"model":"mock-upstream",)"
        R"("choices":[],"usage":{"prompt_tokens":12,"completion_tokens":)" +
        std::to_string(chunks) + R"(,"total_tokens":)" + std::to_string(12 + chunks) + "}}";
    return http_chunk(sse_event(finish)) + http_chunk(sse_event(usage)) + http_chunk(sse_event("[DONE]")) + "0\r\n\r\n";
}

std::string completion_body(unsigned chunks) {
    std::string text;
    for (unsigned i = 0; i < chunks; ++i) text += words[i % std::size(words)];
    return R"({"id":"chatcmpl-mock","object":"chat.completion","created":1732350000,"model":"mock-upstream",)"
           R"("choices":[{"index":0,"message":{"role":"assistant","content":")" +
        text + R"("},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":)" +
        std::to_string(chunks) + R"(,"total_tokens":)" + std::to_string(12 + chunks) + "}}";
}

// "stream": true anywhere at the top of the JSON body (a simulated upstream: no full JSON parse needed).
bool wants_stream(std::string_view body) {
    for (std::size_t at = body.find("\"stream\""); at != std::string_view::npos; at = body.find("\"stream\"", at + 1)) {
        std::size_t i = at + 8;
        while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) ++i;
        if (i >= body.size() || body[i] != ':') continue;
        ++i;
        while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) ++i;
        return body.substr(i, 4) == "true";
    }
    return false;
}

std::string plain_response(int status, std::string_view reason, std::string_view type, std::string_view body,
                           bool keep_alive) {
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\nContent-Type: " + std::string(type) +
        "\r\nContent-Length: " + std::to_string(body.size()) + (keep_alive ? "" : "\r\nConnection: close") +
        "\r\n\r\n" + std::string(body);
}

class server {
public:
    explicit server(const options& o) : opt_(o), tail_(stream_tail(o.chunks)), completion_(completion_body(o.chunks)) {
        for (unsigned i = 0; i < o.chunks; ++i) chunks_.push_back(http_chunk(sse_event(content_chunk(i))));
    }

    asio::awaitable<void> listen(tcp::acceptor& acceptor) {
        for (;;) {
            tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
            s.set_option(tcp::no_delay(true));
            stats.connections.fetch_add(1, std::memory_order_relaxed);
            asio::co_spawn(acceptor.get_executor(), serve(std::move(s)), asio::detached);
        }
    }

    counters stats;

private:
    asio::awaitable<void> serve(tcp::socket s) {
        boost::beast::flat_buffer buffer;
        asio::steady_timer timer(s.get_executor());
        try {
            for (;;) {
                http::request_parser<http::string_body> parser;
                parser.body_limit(opt_.max_request_bytes);
                co_await http::async_read(s, buffer, parser, asio::use_awaitable);
                const auto& req = parser.get();
                const bool keep_alive = req.keep_alive();
                stats.requests.fetch_add(1, std::memory_order_relaxed);
                const std::string_view target(req.target().data(), req.target().size());
                if (req.method() != http::verb::post || !target.ends_with("/chat/completions")) {
                    co_await asio::async_write(
                        s,
                        asio::buffer(plain_response(404, "Not Found", "application/json",
                                                    R"({"error":{"message":"not found"}})", keep_alive)),
                        asio::use_awaitable);
                } else if (wants_stream(req.body())) {
                    co_await stream(s, timer);
                } else {
                    timer.expires_after(opt_.ttft);
                    co_await timer.async_wait(asio::use_awaitable);
                    co_await asio::async_write(
                        s, asio::buffer(plain_response(200, "OK", "application/json", completion_, keep_alive)),
                        asio::use_awaitable);
                }
                if (!keep_alive) break;
            }
        } catch (const std::exception&) {
            // the client closed the connection (or sent something unparsable): this connection ends
        }
        boost::system::error_code ignored;
        s.shutdown(tcp::socket::shutdown_both, ignored);
    }

    asio::awaitable<void> stream(tcp::socket& s, asio::steady_timer& timer) {
        struct in_flight_guard {
            counters& c;
            explicit in_flight_guard(counters& cs) : c(cs) {
                const auto now = c.in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
                auto peak = c.peak_in_flight.load(std::memory_order_relaxed);
                while (now > peak && !c.peak_in_flight.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {}
            }
            ~in_flight_guard() { c.in_flight.fetch_sub(1, std::memory_order_relaxed); }
        } guard(stats);
        stats.streams.fetch_add(1, std::memory_order_relaxed);
        static constexpr std::string_view head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: "
            "chunked\r\n\r\n";
        co_await asio::async_write(s, asio::buffer(head), asio::use_awaitable);
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < chunks_.size(); ++i) {
            timer.expires_at(start + opt_.ttft + opt_.gap * static_cast<int>(i));
            co_await timer.async_wait(asio::use_awaitable);
            co_await asio::async_write(s, asio::buffer(chunks_[i]), asio::use_awaitable);
        }
        co_await asio::async_write(s, asio::buffer(tail_), asio::use_awaitable);
    }

    options opt_;
    std::vector<std::string> chunks_;
    std::string tail_;
    std::string completion_;
};

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
        if (a == "--port")
            o.port = static_cast<unsigned short>(agentkit_bench::flag_number("mock_upstream", argv[i], v, false)), ++i;
        else if (a == "--threads")
            o.threads =
                static_cast<unsigned>(std::max(1ul, agentkit_bench::flag_number("mock_upstream", argv[i], v, false))),
            ++i;
        else if (a == "--ttft-ms")
            o.ttft = std::chrono::milliseconds(agentkit_bench::flag_number("mock_upstream", argv[i], v, false)), ++i;
        else if (a == "--chunks")
            o.chunks =
                static_cast<unsigned>(std::max(1ul, agentkit_bench::flag_number("mock_upstream", argv[i], v, false))),
            ++i;
        else if (a == "--gap-ms")
            o.gap = std::chrono::milliseconds(agentkit_bench::flag_number("mock_upstream", argv[i], v, false)), ++i;
        else {
            std::fprintf(stderr, "usage: %s [--port 0] [--threads 1] [--ttft-ms 50] [--chunks 20] [--gap-ms 10]\n",
                         argv[0]);
            std::exit(2);
        }
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const options opt = parse(argc, argv);
    agentkit_bench::raise_descriptor_limit();
    server srv(opt);  // before the io_context: the coroutine frames it destroys refer to the server
    asio::io_context io(static_cast<int>(opt.threads));
    tcp::acceptor acceptor(io);
    const tcp::endpoint at(asio::ip::make_address("127.0.0.1"), opt.port);
    acceptor.open(at.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(at);
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(io, srv.listen(acceptor), asio::detached);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });

    std::printf("http://127.0.0.1:%u/v1\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);

    std::vector<std::thread> extra;
    for (unsigned i = 1; i < opt.threads; ++i) extra.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();

    const double cpu = agentkit_bench::cpu_seconds();
    std::printf(
        "mock_upstream requests=%llu streams=%llu peak_concurrent_streams=%lld connections=%llu cpu_s=%.3f "
        "peak_rss_mb=%.1f threads=%u\n",
        static_cast<unsigned long long>(srv.stats.requests.load()),
        static_cast<unsigned long long>(srv.stats.streams.load()),
        static_cast<long long>(srv.stats.peak_in_flight.load()),
        static_cast<unsigned long long>(srv.stats.connections.load()), cpu,
        static_cast<double>(agentkit_bench::status_kb("VmHWM")) / 1024.0, opt.threads);
    std::fflush(stdout);
    return 0;
}
