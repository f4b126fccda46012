// The HTTP transport against hostile servers on 127.0.0.1: each connection runs a script that reads and
// writes exactly the bytes a test wants (blocking Asio sockets), so every malformed, oversized, slow or
// half-closed answer a real server could give is reproduced byte for byte. Nothing may hang: each test
// bounds its waits with the transport's timeouts, and only generous bounds are asserted on time.
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <agentkit_test/fast_timeouts.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace integration_http_hostile_test {
using namespace agentkit;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
using agentkit_test::fast_timeouts;

// One accepted connection as the script sees it.
class peer {
public:
    explicit peer(tcp::socket s, const std::atomic<bool>& stopping, std::mutex& m, std::condition_variable& cv)
        : sock_(std::move(s)), stopping_(stopping), m_(m), cv_(cv) {}

    // The next request: header and Content-Length body, as raw text; empty when the client closed.
    std::string read_request() {
        boost::system::error_code ec;
        const auto n = net::read_until(sock_, buf_, "\r\n\r\n", ec);
        if (ec) return {};
        std::string head(net::buffers_begin(buf_.data()),
                         net::buffers_begin(buf_.data()) + static_cast<std::ptrdiff_t>(n));
        buf_.consume(n);
        std::size_t length = 0;
        for (const char* name : {"Content-Length: ", "content-length: "})
            if (auto at = head.find(name); at != std::string::npos)
                length = std::stoul(head.substr(at + std::strlen(name)));
        if (buf_.size() < length) net::read(sock_, buf_, net::transfer_exactly(length - buf_.size()), ec);
        if (ec) return {};
        std::string body(net::buffers_begin(buf_.data()),
                         net::buffers_begin(buf_.data()) + static_cast<std::ptrdiff_t>(length));
        buf_.consume(length);
        return head + body;
    }
    bool send(const std::string& bytes) {
        boost::system::error_code ec;
        net::write(sock_, net::buffer(bytes), ec);
        return !ec;
    }
    // Holds the connection open, silent, until the server is destroyed.
    void hold() {
        std::unique_lock lock(m_);
        cv_.wait(lock, [&] { return stopping_.load(); });
    }
    // Waits until the client closes its end (or the server stops).
    void wait_for_close() {
        char c;
        boost::system::error_code ec;
        while (!stopping_ && !ec) sock_.read_some(net::buffer(&c, 1), ec);
    }
    void close() {
        boost::system::error_code ec;
        sock_.shutdown(tcp::socket::shutdown_both, ec);
        sock_.close(ec);
    }
    tcp::socket& socket() { return sock_; }

private:
    tcp::socket sock_;
    net::streambuf buf_;
    const std::atomic<bool>& stopping_;
    std::mutex& m_;
    std::condition_variable& cv_;
};

// Accepts connections on 127.0.0.1 and runs script(peer, n) for the n-th (from 0) on its own thread.
class hostile_server {
public:
    using script = std::function<void(peer&, std::size_t)>;
    explicit hostile_server(script s, const char* address = "127.0.0.1")
        : script_(std::move(s)), acceptor_(ioc_, {net::ip::make_address(address), 0}) {
        accept_thread_ = std::thread([this] {
            for (std::size_t n = 0;; ++n) {
                tcp::socket s(ioc_);
                boost::system::error_code ec;
                acceptor_.accept(s, ec);
                if (ec || stopping_) return;
                ++connections_;
                std::lock_guard lock(m_);
                workers_.emplace_back([this, n, p = std::make_shared<peer>(std::move(s), stopping_, m_, cv_)] {
                    script_(*p, n);
                    p->close();
                });
            }
        });
    }
    ~hostile_server() {
        {
            std::lock_guard lock(m_);
            stopping_ = true;
        }
        cv_.notify_all();
        {  // wake the blocking accept
            net::io_context ioc;
            tcp::socket s(ioc);
            boost::system::error_code ec;
            s.connect(acceptor_.local_endpoint(), ec);
        }
        accept_thread_.join();
        std::list<std::thread> workers;
        {
            std::lock_guard lock(m_);
            workers.swap(workers_);
        }
        for (auto& t : workers) t.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::string url(const std::string& path = "/") const {
        const auto a = acceptor_.local_endpoint().address();
        return "http://" + (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(port()) +
            path;
    }
    std::size_t connections() const { return connections_.load(); }

private:
    script script_;
    net::io_context ioc_;
    tcp::acceptor acceptor_;
    std::thread accept_thread_;
    std::mutex m_;
    std::condition_variable cv_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> connections_{0};
    std::list<std::thread> workers_;
};

transport::http_request post(const hostile_server& s, std::string body = "{}") {
    transport::http_request r;
    r.url = s.url("/v1/chat/completions");
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
}
const std::string ok_response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\nok";

template <class F>
error expect_error(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "a non-agentkit exception escaped: " << e.what();
        return error(errc::invalid_argument, "wrong exception");
    }
    ADD_FAILURE() << "expected an agentkit::error";
    return error(errc::invalid_argument, "none");
}
errc code_of(const error& e) { return static_cast<errc>(e.code().value()); }

// ---- bounded buffers ------------------------------------------------------------------------------------

TEST(HttpHostile, AHugeChunkExtensionIsBoundedByTheHeaderLimit) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;");
        const std::string ext = "a=" + std::string(64 * 1024, 'b') + ";";
        for (int i = 0; i < 64 && p.send(ext); ++i) {}  // 4 MiB of one chunk-size line, never ended
        p.hold();
    });
    transport::http client(fast_timeouts());
    auto e = expect_error([&] { client.send(post(server)); });
    EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
    EXPECT_EQ(e.field(), "http.max_header_bytes");
}

TEST(HttpHostile, AHugeHeaderIsBoundedByTheHeaderLimit) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 200 OK\r\nX-Big: ");
        for (int i = 0; i < 64 && p.send(std::string(64 * 1024, 'h')); ++i) {}
        p.hold();
    });
    transport::http client(fast_timeouts());
    auto e = expect_error([&] { client.send(post(server)); });
    EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
    EXPECT_EQ(e.field(), "http.max_header_bytes");
}

TEST(HttpHostile, GarbageStatusLinesAndHeadersAreParseErrors) {
    const std::vector<std::string> answers = {
        "HTTP/1.1 abc OK\r\n\r\n",
        "SMTP/1.0 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        std::string("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 28),
    };
    for (const auto& answer : answers) {
        hostile_server server([&](peer& p, std::size_t) {
            p.read_request();
            p.send(answer);
            p.wait_for_close();
        });
        transport::http client(fast_timeouts());
        auto e = expect_error([&] { client.send(post(server)); });
        EXPECT_EQ(code_of(e), errc::parse_error) << e.what() << " for " << answer;
    }
}

// ---- request header injection ---------------------------------------------------------------------------

TEST(HttpHostile, ControlBytesInHeadersAreRejectedBeforeSending) {
    std::atomic<int> requests{0};
    hostile_server server([&](peer& p, std::size_t) {
        while (!p.read_request().empty()) {
            ++requests;
            p.send(ok_response);
        }
    });
    transport::http client(fast_timeouts());
    for (const std::string& bad : {std::string("k\r\nX-Injected: 1"), std::string("k\nX-Injected: 1"),
                                   std::string("k\0x", 3), std::string("k\x01")}) {
        auto r = post(server);
        r.headers.emplace_back("Authorization", "Bearer " + bad);
        auto e = expect_error([&] { client.send(r); });
        EXPECT_EQ(code_of(e), errc::invalid_argument);
        EXPECT_NE(e.field().find("Authorization"), std::string::npos) << e.field();
        EXPECT_EQ(std::string(e.what()).find("Injected"), std::string::npos) << "the value must not be echoed";
    }
    auto r = post(server);
    r.headers.emplace_back("X-Bad\r\nName", "v");
    EXPECT_EQ(code_of(expect_error([&] { client.send(r); })), errc::invalid_argument);
    EXPECT_EQ(requests.load(), 0);

    // Through the provider: an API key with a line break never reaches the wire.
    model::openai_provider<transport::http>::config pc;
    pc.base_url = server.url("/v1");
    pc.api_key = "sk-test\r\nX-Injected: yes";
    model::openai_provider<transport::http> provider(pc, transport::http(fast_timeouts()));
    model::chat_request cr;
    cr.messages.push_back(message::user("hi"));
    try {
        provider.complete(cr);
        ADD_FAILURE() << "expected an error";
    } catch (const model::provider_error& e) {
        EXPECT_EQ(static_cast<errc>(e.code().value()), errc::invalid_argument);
        EXPECT_FALSE(e.retryable());
    }
    EXPECT_EQ(requests.load(), 0);
    r = post(server);
    r.headers.emplace_back("X-Tab", "a\tb");  // a tab is a legal byte in a value
    EXPECT_EQ(client.send(r).status, 200);
}

// ---- Host ------------------------------------------------------------------------------------------------

TEST(HttpHostile, HostCarriesTheNonDefaultPort) {
    std::mutex m;
    std::string seen;
    hostile_server server([&](peer& p, std::size_t) {
        auto req = p.read_request();
        {
            std::lock_guard lock(m);
            seen = req;
        }
        p.send(ok_response);
        p.wait_for_close();
    });
    transport::http client(fast_timeouts());
    EXPECT_EQ(client.send(post(server)).status, 200);
    std::lock_guard lock(m);
    EXPECT_NE(seen.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos) << seen;
}

TEST(HttpHostile, HostBracketsAnIpv6Literal) {
    std::unique_ptr<hostile_server> server;
    std::mutex m;
    std::string seen;
    try {
        server = std::make_unique<hostile_server>(
            [&](peer& p, std::size_t) {
                auto req = p.read_request();
                {
                    std::lock_guard lock(m);
                    seen = req;
                }
                p.send(ok_response);
                p.wait_for_close();
            },
            "::1");
    } catch (const std::exception&) {
        GTEST_SKIP() << "no IPv6 loopback here";
    }
    transport::http client(fast_timeouts());
    EXPECT_EQ(server->url("/x"), "http://[::1]:" + std::to_string(server->port()) + "/x");
    EXPECT_EQ(client.send(post(*server)).status, 200);
    std::lock_guard lock(m);
    EXPECT_NE(seen.find("\r\nHost: [::1]:" + std::to_string(server->port()) + "\r\n"), std::string::npos) << seen;
}

// ---- retries on reused connections ----------------------------------------------------------------------

TEST(HttpHostile, APostTheServerReadOnAReusedConnectionIsNotSentAgain) {
    std::atomic<int> posts{0};
    hostile_server server([&](peer& p, std::size_t) {
        if (p.read_request().empty()) return;
        ++posts;
        p.send(ok_response);
        if (p.read_request().empty()) return;
        ++posts;  // read fully, then the connection closes without an answer
    });
    transport::http client(fast_timeouts());
    EXPECT_EQ(client.send(post(server)).status, 200);
    auto e = expect_error([&] { client.send(post(server, R"({"charge":1})")); });
    EXPECT_EQ(code_of(e), errc::unavailable) << e.what();
    EXPECT_EQ(posts.load(), 2);
    EXPECT_EQ(server.connections(), 1u);  // no second connection carried the POST again
    EXPECT_EQ(client.statistics().stale_retries, 0u);
}

TEST(HttpHostile, AGetTheServerDroppedOnAReusedConnectionIsRetriedOnce) {
    std::atomic<int> gets{0};
    hostile_server server([&](peer& p, std::size_t n) {
        while (!p.read_request().empty()) {
            ++gets;
            if (n == 0 && gets == 2) return;  // the first connection drops the second request unanswered
            p.send(ok_response);
        }
    });
    transport::http client(fast_timeouts());
    auto r = post(server);
    r.method = "GET";
    r.body.clear();
    EXPECT_EQ(client.send(r).status, 200);
    EXPECT_EQ(client.send(r).body, "ok");  // idempotent: safe to send again on a fresh connection
    EXPECT_EQ(gets.load(), 3);
    EXPECT_EQ(server.connections(), 2u);
    EXPECT_EQ(client.statistics().stale_retries, 1u);
}

TEST(HttpHostile, AConnectionTheServerClosedWhileIdleIsNotReused) {
    std::atomic<int> posts{0};
    std::atomic<bool> first_closed{false};
    hostile_server server([&](peer& p, std::size_t n) {
        while (!p.read_request().empty()) {
            ++posts;
            p.send(ok_response);  // keep-alive by default in HTTP/1.1 ...
            if (n == 0) break;    // ... yet the first connection closes right after its answer
        }
        if (n == 0) {
            p.close();
            first_closed = true;
        }
    });
    transport::http client(fast_timeouts());
    EXPECT_EQ(client.send(post(server)).status, 200);
    while (!first_closed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the FIN reaches the client's socket
    EXPECT_EQ(client.send(post(server)).body, "ok");
    EXPECT_EQ(posts.load(), 2);
    EXPECT_EQ(server.connections(), 2u);
    EXPECT_EQ(client.statistics().stale_discarded, 1u);  // found closed before anything was sent on it
    EXPECT_EQ(client.statistics().stale_retries, 0u);
}

// ---- the end of a stream ---------------------------------------------------------------------------------

std::string chunk(const std::string& s) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", s.size());
    return size + s + "\r\n";
}

TEST(HttpHostile, DoneEndsAStreamTheServerHoldsOpen) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        std::string out = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (const char* piece : {"hel", "lo"})
            out += chunk(std::string(R"(data: {"choices":[{"index":0,"delta":{"content":")") + piece + R"("}}]})" +
                         "\n\n");
        out += chunk(R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
                     "\n\n");
        out += chunk("data: [DONE]\n\n");
        p.send(out);
        p.hold();  // no last chunk, no close
    });
    model::openai_provider<transport::http>::config pc;
    pc.base_url = server.url("/v1");
    auto cfg = fast_timeouts();
    cfg.read_timeout = std::chrono::milliseconds(5000);
    model::openai_provider<transport::http> provider(pc, transport::http(cfg));
    model::chat_request cr;
    cr.messages.push_back(message::user("hi"));
    const auto start = clock_type::now();
    auto r = provider.stream(cr, {});
    EXPECT_LT(clock_type::now() - start, std::chrono::milliseconds(4000));  // long before the read timeout
    EXPECT_EQ(r.reply.content(), "hello");
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_EQ(provider.transport().open_connections("http://127.0.0.1:" + std::to_string(server.port())), 0u);
}

// ---- interim responses -----------------------------------------------------------------------------------

TEST(HttpHostile, InterimResponsesAreSkipped) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" +
               ok_response);
        p.wait_for_close();
    });
    transport::http client(fast_timeouts());
    auto res = client.send(post(server));
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "ok");
}

TEST(HttpHostile, SwitchingProtocolsIsAnError) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        p.wait_for_close();
    });
    transport::http client(fast_timeouts());
    EXPECT_EQ(code_of(expect_error([&] { client.send(post(server)); })), errc::parse_error);
}

TEST(HttpHostile, TheHeaderLimitIsAKnob) {
    hostile_server server([](peer& p, std::size_t) {
        while (!p.read_request().empty())
            p.send("HTTP/1.1 200 OK\r\nX-Pad: " + std::string(2000, 'p') + "\r\nContent-Length: 2\r\n\r\nok");
    });
    auto cfg = fast_timeouts();
    EXPECT_EQ(transport::http(cfg).send(post(server)).status, 200);  // 64 KiB by default
    cfg.max_header_bytes = 1024;
    auto e = expect_error([&] { transport::http(cfg).send(post(server)); });
    EXPECT_EQ(e.field(), "http.max_header_bytes");
    cfg.max_header_bytes = 10;
    EXPECT_EQ(expect_error([&] { transport::http{cfg}; }).field(), "http.max_header_bytes");
}

TEST(HttpHostile, EndlessInterimResponsesShareTheHeaderLimit) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        while (p.send("HTTP/1.1 100 Continue\r\n\r\n")) {}
    });
    auto cfg = fast_timeouts();
    cfg.max_header_bytes = 4096;
    transport::http client(cfg);
    auto e = expect_error([&] { client.send(post(server)); });
    EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
    EXPECT_EQ(e.field(), "http.max_header_bytes");
}

TEST(HttpHostile, KeptBodiesAreBoundedByMaxResponseBytes) {
    hostile_server server([](peer& p, std::size_t n) {
        p.read_request();
        if (n == 0) {
            p.send("HTTP/1.1 500 Oops\r\nContent-Length: 5000000000\r\n\r\n");  // announced: refused at once
        } else {
            p.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 64 && p.send(chunk(std::string(16 * 1024, 'x'))); ++i) {}
        }
        p.hold();
    });
    auto cfg = fast_timeouts();
    cfg.max_response_bytes = 100000;
    transport::http client(cfg);
    auto e = expect_error([&] { client.send(post(server)); });
    EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
    EXPECT_EQ(e.field(), "http.max_response_bytes");
    e = expect_error([&] { client.send(post(server)); });
    EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
    EXPECT_EQ(e.field(), "http.max_response_bytes");
}

TEST(HttpHostile, StreamedBodiesAreBoundedByMaxStreamedBytes) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 64 && p.send(chunk(": " + std::string(16 * 1024, 'k') + "\n\n")); ++i) {}
        p.hold();
    });
    auto cfg = fast_timeouts();
    cfg.max_streamed_bytes = 200000;
    transport::http client(cfg);
    std::uint64_t delivered = 0;
    auto e = expect_error([&] { client.stream(post(server), [&](std::string_view s) { delivered += s.size(); }); });
    EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
    EXPECT_EQ(e.field(), "http.max_streamed_bytes");
    EXPECT_LE(delivered, 200000u);
}

TEST(HttpHostile, ASinkCanStopAndItsExceptionsPassThrough) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("first") + chunk("second"));
        p.hold();  // the rest never comes
    });
    transport::http client(fast_timeouts());
    std::string got;
    auto res = client.stream(post(server), [&](std::string_view s) {
        got += s;
        return got.find("first") != std::string::npos ? transport::sink_result::stop : transport::sink_result::more;
    });
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(got.substr(0, 5), "first");
    EXPECT_EQ(client.open_connections("http://127.0.0.1:" + std::to_string(server.port())), 0u);  // not reused
    struct own_failure : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    EXPECT_THROW(client.stream(post(server), [](std::string_view) { throw own_failure("sink says no"); }), own_failure);
}

TEST(HttpHostile, ADrippedBodyMeetsTheMinimumRate) {
    hostile_server server([](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        for (int i = 0; i < 1000 && p.send("x"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    });
    auto cfg = fast_timeouts();
    cfg.read_timeout = std::chrono::milliseconds(300);  // every byte comes well within it ...
    cfg.min_bytes_per_second = 1000;                    // ... but 50 bytes per second is too slow
    transport::http client(cfg);
    const auto start = clock_type::now();
    auto e = expect_error([&] { client.send(post(server)); });
    EXPECT_EQ(code_of(e), errc::timeout) << e.what();
    EXPECT_EQ(e.field(), "http.min_bytes_per_second");
    EXPECT_LT(clock_type::now() - start, std::chrono::seconds(5));
}

TEST(HttpHostile, ConnectTimeoutBoundsAServerThatNeverAccepts) {
    // A listener whose accept queue is full: the kernel drops further SYNs, so a connect just hangs.
    net::io_context ioc;
    tcp::acceptor full(ioc, {net::ip::make_address("127.0.0.1"), 0});
    full.listen(0);
    std::vector<int> fillers;  // raw non-blocking connects: Asio's would wait for each
    ::sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(full.local_endpoint().port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < 16; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ASSERT_GE(fd, 0);
        (void)::connect(fd, reinterpret_cast<const ::sockaddr*>(&to), sizeof to);
        fillers.push_back(fd);
    }
    struct closer {
        std::vector<int>& fds;
        ~closer() {
            for (int fd : fds) ::close(fd);
        }
    } close_fillers{fillers};
    auto cfg = fast_timeouts();
    cfg.connect_timeout = std::chrono::milliseconds(300);
    cfg.read_timeout = std::chrono::milliseconds(300);
    transport::http client(cfg);
    transport::http_request r;
    r.url = "http://127.0.0.1:" + std::to_string(full.local_endpoint().port()) + "/";
    const auto start = clock_type::now();
    auto e = expect_error([&] { client.send(r); });
    if (e.field() == "http.read_timeout") GTEST_SKIP() << "this kernel completed the connection despite the full queue";
    EXPECT_EQ(code_of(e), errc::timeout) << e.what();
    EXPECT_EQ(e.field(), "http.connect_timeout");
    EXPECT_LT(clock_type::now() - start, std::chrono::seconds(5));
}

// ---- hostile answers through the provider -------------------------------------------------------------------

model::openai_provider<transport::http> provider_for(const hostile_server& server,
                                                     model::openai_provider<transport::http>::config pc = {}) {
    pc.base_url = server.url("/v1");
    return {pc, transport::http(fast_timeouts())};
}
model::chat_request hello() {
    model::chat_request cr;
    cr.messages.push_back(message::user("hi"));
    return cr;
}

// 1 MB of '[' as a completion, an error body and a stream chunk: a typed error naming json.max_depth, never a
// stack overflow, and not retried (the same answer would come back).
TEST(HttpHostile, DeeplyNestedJsonFromTheServerIsATypedError) {
    const std::string deep(1 << 20, '[');
    for (const std::string& response :
         {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(deep.size()) +
              "\r\n\r\n" + deep,
          "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + std::to_string(deep.size() + 8) +
              "\r\n\r\ndata: " + deep + "\n\n"}) {
        hostile_server server([&](peer& p, std::size_t) {
            p.read_request();
            p.send(response);
        });
        auto provider = provider_for(server);
        const bool streamed = response.find("event-stream") != std::string::npos;
        try {
            if (streamed)
                provider.stream(hello(), {});
            else
                provider.complete(hello());
            ADD_FAILURE() << "a 1 MB nest of '[' was accepted";
        } catch (const model::provider_error& e) {
            EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
            EXPECT_EQ(e.field(), "json.max_depth") << e.what();
            EXPECT_FALSE(e.retryable());
        }
    }
    // An error body (HTTP 500) nested as deep still gives the status's error, not a crash.
    hostile_server server([&](peer& p, std::size_t) {
        p.read_request();
        p.send("HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + std::to_string(deep.size()) + "\r\n\r\n" +
               deep);
    });
    auto provider = provider_for(server);
    EXPECT_THROW(provider.complete(hello()), model::provider_error);
}

// Deltas without end (no [DONE], never a byte of silence): the stream stops at model.max_streamed_bytes.
TEST(HttpHostile, EndlessDeltasStopAtTheStreamedBytesLimit) {
    std::atomic<std::size_t> sent{0};
    hostile_server server([&](peer& p, std::size_t) {
        p.read_request();
        std::string out = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        if (!p.send(out)) return;
        const std::string delta =
            chunk(R"(data: {"choices":[{"index":0,"delta":{"content":")" + std::string(1000, 'x') +
                  R"("}}]})"
                  "\n\n");
        const std::string args = chunk(
            R"(data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":")" +
            std::string(1000, 'y') +
            R"("}}]}}]})"
            "\n\n");
        for (std::size_t i = 0; i < 100000 && p.send(i % 2 ? delta : args); ++i) sent += 1;  // ~100 MB at most
    });
    model::openai_provider<transport::http>::config pc;
    pc.stream_limits.max_streamed_bytes = 1 << 20;
    auto provider = provider_for(server, pc);
    std::size_t delivered = 0;
    try {
        provider.stream(hello(), [&](const model::chat_delta& d) { delivered += d.content.size(); });
        ADD_FAILURE() << "an endless stream ended cleanly";
    } catch (const model::provider_error& e) {
        EXPECT_EQ(code_of(e), errc::capacity_exceeded) << e.what();
        EXPECT_EQ(e.field(), "model.max_streamed_bytes") << e.what();
        EXPECT_FALSE(e.retryable());
    }
    EXPECT_LE(delivered, std::size_t{1} << 20);
    EXPECT_LT(sent.load(), 100000u);  // the client stopped reading long before the server ran out
}

}  // namespace integration_http_hostile_test
