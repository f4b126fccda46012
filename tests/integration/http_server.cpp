// transport::http_server on 127.0.0.1, driven by our HTTP client and by raw sockets that behave as hostile
// clients do (slow headers, huge headers, oversized or malformed bodies, too many connections, leaving in
// the middle of a request). What is asserted is behaviour: the status and the JSON error naming the knob,
// the connection closed or kept, the handler cancelled; nothing is asserted on time (every wait below is a
// bound that fails the test instead of hanging it).
#include <agentkit/transport/http.hpp>
#include <agentkit/transport/http_server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace integration_http_server_test {
using namespace agentkit;
using transport::http_server;
using transport::server_request;
using transport::server_response;
namespace net = boost::asio;
using namespace std::chrono_literals;

// A server on its own io_context, run by two threads, as the gateway runs it.
struct running_server {
    net::io_context io;
    net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(io);
    std::unique_ptr<http_server> server;
    std::vector<std::thread> threads;

    running_server(http_server::config cfg, transport::server_handler h) {
        cfg.port = 0;
        server = std::make_unique<http_server>(io.get_executor(), std::move(cfg), std::move(h));
        server->start();
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
    }
    ~running_server() {
        server->stop();
        work.reset();
        io.stop();
        for (auto& t : threads) t.join();
    }
    std::string url(std::string_view path = "/") const {
        return std::string("http://127.0.0.1:").append(std::to_string(server->port())).append(path);
    }
};

// A blocking client socket whose reads give up after 10 s (so a server bug fails the test, never hangs it).
struct raw_client {
    int fd = -1;
    explicit raw_client(std::uint16_t port) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{10, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) ADD_FAILURE() << "connect failed";
    }
    ~raw_client() { close(); }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    bool send(std::string_view s) const {
        while (!s.empty()) {
            const auto n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            s.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    // Everything until the server closes (or the 10 s bound): "" + closed=false when it timed out.
    std::string read_until_close(bool* closed = nullptr) const {
        std::string out;
        char buf[4096];
        for (;;) {
            const auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n == 0) {
                if (closed) *closed = true;
                return out;
            }
            if (n < 0) {
                if (closed) *closed = false;
                return out;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    // One response's header block (up to the blank line), for keep-alive checks.
    std::string read_head() const {
        std::string out;
        char ch;
        while (out.find("\r\n\r\n") == std::string::npos && ::recv(fd, &ch, 1, 0) == 1) out.push_back(ch);
        return out;
    }
};

transport::server_handler echo_handler() {
    return [](server_request& rq, server_response& rs) -> net::awaitable<void> {
        std::string body = rq.method;
        body.append(" ").append(rq.target).append(" ").append(rq.body);
        // (headers built before co_await: g++ 12 miscompiles a braced list inside a coroutine's await expression)
        transport::header_list headers{{"content-type", "text/plain"}, {"x-remote", rq.remote_address}};
        co_await rs.send(200, std::move(headers), std::move(body));
    };
}

transport::header_list sse_headers() { return {{"content-type", "text/event-stream"}}; }
transport::header_list injected_headers() { return {{"x-a", "v\r\nSet-Cookie: evil=1"}}; }

std::string status_line(const std::string& response) { return response.substr(0, response.find("\r\n")); }

// Sends `request` on a new connection: the answer must be `status` with a JSON error whose param is `knob`,
// and the server must close the connection after it.
void expect_refused(std::uint16_t port, std::string_view request, std::string_view status, std::string_view knob) {
    raw_client c(port);
    c.send(request);
    bool closed = false;
    const auto resp = c.read_until_close(&closed);
    EXPECT_EQ(status_line(resp), status);
    EXPECT_NE(resp.find(std::string(R"("param":")").append(knob).append("\"")), std::string::npos) << resp;
    EXPECT_TRUE(closed);
}

TEST(HttpServer, AnswersAndKeepsConnectionsAlive) {
    running_server s({}, echo_handler());
    transport::http client;
    transport::http_request rq;
    rq.url = s.url("/v1/echo?x=1");
    rq.body = "hello";
    auto r1 = client.send(rq);
    EXPECT_EQ(r1.status, 200);
    EXPECT_EQ(r1.body, "POST /v1/echo?x=1 hello");
    EXPECT_EQ(r1.header("x-remote").value_or(""), "127.0.0.1");
    rq.body = "again";
    auto r2 = client.send(rq);
    EXPECT_EQ(r2.body, "POST /v1/echo?x=1 again");
    EXPECT_EQ(client.statistics().connections_opened, 1u);  // the second request reused the connection
    EXPECT_EQ(s.server->statistics().requests, 2u);
}

TEST(HttpServer, StreamsChunkedPiecesAsTheyAreWritten) {
    running_server s({}, [](server_request&, server_response& rs) -> net::awaitable<void> {
        co_await rs.start(200, sse_headers());
        net::steady_timer t(co_await net::this_coro::executor);
        for (int i = 0; i < 5; ++i) {
            std::string piece = "data: ";
            piece.append(std::to_string(i)).append("\n\n");
            EXPECT_TRUE(co_await rs.write(piece));
            t.expires_after(2ms);
            co_await t.async_wait(net::use_awaitable);
        }
        co_await rs.finish();
    });
    transport::http client;
    transport::http_request rq;
    rq.url = s.url("/stream");
    std::vector<std::string> pieces;
    auto r = client.stream(rq, [&](std::string_view p) { pieces.emplace_back(p); });
    EXPECT_EQ(r.status, 200);
    std::string all;
    for (auto& p : pieces) all += p;
    EXPECT_EQ(all, "data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n");
    EXPECT_GE(pieces.size(), 2u);  // delivered as they came, not as one body at the end
}

TEST(HttpServer, BodyOverTheLimitIs413NamingTheKnob) {
    http_server::config cfg;
    cfg.max_request_size = 1024;
    running_server s(cfg, echo_handler());
    expect_refused(s.server->port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n",
                   "HTTP/1.1 413 Payload Too Large", "server.max_request_size");
    {  // chunked bodies are counted as they arrive
        raw_client c(s.server->port());
        std::string req = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 3; ++i) req.append("200\r\n").append(512, 'a').append("\r\n");
        c.send(req);
        EXPECT_EQ(status_line(c.read_until_close()), "HTTP/1.1 413 Payload Too Large");
    }
    {  // Expect: 100-continue with a declared size over the limit: refused before the body is sent
        raw_client c(s.server->port());
        c.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n");
        EXPECT_EQ(status_line(c.read_until_close()), "HTTP/1.1 413 Payload Too Large");
    }
    {  // ...and a size within it gets 100 Continue, then the answer
        raw_client c(s.server->port());
        c.send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        EXPECT_EQ(c.read_head(), "HTTP/1.1 100 Continue\r\n\r\n");
        c.send("abc");
        EXPECT_EQ(status_line(c.read_head()), "HTTP/1.1 200 OK");
    }
    EXPECT_EQ(s.server->statistics().limit_rejections, 3u);
}

TEST(HttpServer, HugeHeaderIs431AndGarbageIs400) {
    http_server::config cfg;
    cfg.max_header_bytes = 8192;
    running_server s(cfg, echo_handler());
    {
        std::string req = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ";
        req.append(1 << 20, 'a').append("\r\n\r\n");  // 1 MB header
        expect_refused(s.server->port(), req, "HTTP/1.1 431 Request Header Fields Too Large",
                       "server.max_header_bytes");
    }
    {
        raw_client c(s.server->port());
        c.send("HELLO THERE\r\n\r\n");
        const auto resp = c.read_until_close();
        EXPECT_EQ(status_line(resp), "HTTP/1.1 400 Bad Request");
        EXPECT_NE(resp.find(R"("code":"bad_request")"), std::string::npos) << resp;
    }
    {  // invalid UTF-8 and NUL in a header value are an HTTP parse error, not a crash
        raw_client c(s.server->port());
        static constexpr char raw[] = "GET / HTTP/1.1\r\nHost: x\r\nX-Bad: \xff\xfe\0z\r\n\r\n";
        c.send(std::string_view(raw, sizeof raw - 1));
        const auto resp = c.read_until_close();
        EXPECT_EQ(status_line(resp), "HTTP/1.1 400 Bad Request");
    }
}

TEST(HttpServer, SlowHeadersGet408AndIdleConnectionsClose) {
    http_server::config cfg;
    cfg.request_timeout = 200ms;
    cfg.keep_alive_timeout = 200ms;
    running_server s(cfg, echo_handler());
    // slow-loris: a request that never ends
    expect_refused(s.server->port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a", "HTTP/1.1 408 Request Timeout",
                   "server.request_timeout");
    {  // a kept-alive connection that sends nothing more is closed without a response
        raw_client c(s.server->port());
        c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_EQ(status_line(c.read_head()), "HTTP/1.1 200 OK");
        bool closed = false;
        std::string rest = c.read_until_close(&closed);
        EXPECT_TRUE(closed);
        EXPECT_EQ(rest, "GET /a ");  // only the rest of the first body
    }
}

TEST(HttpServer, ConnectionsOverTheLimitGet503) {
    http_server::config cfg;
    cfg.max_connections = 2;
    running_server s(cfg, echo_handler());
    raw_client a(s.server->port()), b(s.server->port());
    // Make sure both are accepted (each answers a request) before the third arrives.
    a.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    b.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_line(a.read_head()), "HTTP/1.1 200 OK");
    EXPECT_EQ(status_line(b.read_head()), "HTTP/1.1 200 OK");
    raw_client c(s.server->port());
    bool closed = false;
    const auto resp = c.read_until_close(&closed);
    EXPECT_EQ(status_line(resp), "HTTP/1.1 503 Service Unavailable");
    EXPECT_NE(resp.find(R"("param":"server.max_connections")"), std::string::npos) << resp;
    EXPECT_TRUE(closed);
    EXPECT_EQ(s.server->statistics().connections_refused, 1u);
    EXPECT_EQ(s.server->statistics().active_connections, 2u);
    a.close();  // a slot frees up: a new connection is served again
    for (int i = 0; i < 1000 && s.server->statistics().active_connections != 1; ++i) std::this_thread::sleep_for(5ms);
    raw_client d(s.server->port());
    d.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_line(d.read_head()), "HTTP/1.1 200 OK");
}

TEST(HttpServer, AClientThatLeavesCancelsItsHandler) {
    std::promise<std::string> outcome;
    auto fut = outcome.get_future();
    running_server s({}, [&outcome](server_request&, server_response& rs) -> net::awaitable<void> {
        net::steady_timer upstream(co_await net::this_coro::executor, 60s);  // an upstream that takes long
        try {
            co_await upstream.async_wait(net::use_awaitable);
            outcome.set_value("finished");
        } catch (const boost::system::system_error& e) {
            outcome.set_value(e.code() == net::error::operation_aborted ? "cancelled" : e.what());
            throw;
        }
        co_await rs.send(200, transport::header_list{}, "late");
    });
    {
        raw_client c(s.server->port());
        c.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        std::this_thread::sleep_for(50ms);  // let the handler start waiting (if not, it is cancelled anyway)
    }                                       // closed
    ASSERT_EQ(fut.wait_for(10s), std::future_status::ready) << "the handler was not cancelled";
    EXPECT_EQ(fut.get(), "cancelled");
    for (int i = 0; i < 1000 && s.server->statistics().client_disconnects == 0; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(s.server->statistics().client_disconnects, 1u);
}

TEST(HttpServer, HandlerFailuresAre500AndBadHeadersNeverReachTheWire) {
    running_server s({}, [](server_request& rq, server_response& rs) -> net::awaitable<void> {
        if (rq.path() == "/throw") throw std::runtime_error("boom");
        if (rq.path() == "/inject") co_await rs.send(200, injected_headers(), "x");
        if (rq.path() == "/silent") co_return;
        if (rq.path() == "/half") {
            co_await rs.start(200, sse_headers());
            co_await rs.write("data: 1\n\n");
            throw std::runtime_error("upstream cut");
        }
    });
    transport::http client;
    transport::http_request rq;
    rq.method = "GET";
    for (const char* path : {"/throw", "/inject", "/silent"}) {
        rq.url = s.url(path);
        const auto r = client.send(rq);
        EXPECT_EQ(r.status, 500) << path;
        EXPECT_NE(r.body.find(R"("type":"server_error")"), std::string::npos) << r.body;
        EXPECT_EQ(r.header("set-cookie"), std::nullopt);
    }
    // A stream the handler fails in ends with a broken chunked body, never a clean end.
    raw_client c(s.server->port());
    c.send("GET /half HTTP/1.1\r\nHost: x\r\n\r\n");
    bool closed = false;
    const auto resp = c.read_until_close(&closed);
    EXPECT_TRUE(closed);
    EXPECT_NE(resp.find("data: 1"), std::string::npos);
    EXPECT_EQ(resp.find("\r\n0\r\n\r\n"), std::string::npos) << "the chunked body was ended cleanly";
    EXPECT_EQ(s.server->statistics().handler_errors, 3u);
}

TEST(HttpServer, DrainFinishesStreamsInFlightAndRefusesNewWork) {
    std::atomic<bool> streaming{false};
    running_server s({}, [&streaming](server_request&, server_response& rs) -> net::awaitable<void> {
        co_await rs.start(200, sse_headers());
        streaming = true;
        net::steady_timer t(co_await net::this_coro::executor);
        for (int i = 0; i < 10; ++i) {
            co_await rs.write("data: x\n\n");
            t.expires_after(20ms);
            co_await t.async_wait(net::use_awaitable);
        }
        co_await rs.finish();
    });
    raw_client idle(s.server->port());  // connected, no request: closed by the drain
    raw_client busy(s.server->port());
    busy.send("GET /s HTTP/1.1\r\nHost: x\r\n\r\n");
    for (int i = 0; i < 1000 && !streaming; ++i) std::this_thread::sleep_for(2ms);
    ASSERT_TRUE(streaming);
    auto drained = net::co_spawn(s.io, s.server->drain(), net::use_future);
    bool closed = false;
    const auto resp = busy.read_until_close(&closed);
    EXPECT_TRUE(closed);
    EXPECT_NE(resp.find("Transfer-Encoding: chunked"), std::string::npos);
    EXPECT_NE(resp.find("\r\n0\r\n\r\n"), std::string::npos) << "the stream in flight did not finish";
    ASSERT_EQ(drained.wait_for(10s), std::future_status::ready);
    drained.get();
    bool idle_closed = false;
    EXPECT_EQ(idle.read_until_close(&idle_closed), "");
    EXPECT_TRUE(idle_closed);
    // New connections are refused: the listener is closed.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(s.server->port());
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_NE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ::close(fd);
    EXPECT_EQ(s.server->statistics().active_connections, 0u);
}

TEST(HttpServer, ConfigErrorsNameTheKnob) {
    net::io_context io;
    auto error_field = [&](http_server::config cfg) -> std::string {
        try {
            http_server server(io.get_executor(), cfg, echo_handler());
        } catch (const agentkit::error& e) {
            return e.field();
        }
        return "";
    };
    http_server::config c;
    c.port = 0;
    c.max_connections = 0;
    EXPECT_EQ(error_field(c), "server.max_connections");
    c = {};
    c.port = 0;
    c.request_timeout = 0ms;
    EXPECT_EQ(error_field(c), "server.request_timeout");
    c = {};
    c.bind_address = "not-an-address";
    EXPECT_EQ(error_field(c), "server.bind_address");
    // A port in use.
    http_server first(io.get_executor(), {.port = 0}, echo_handler());
    c = {};
    c.port = first.port();
    EXPECT_EQ(error_field(c), "server.port");
}

}  // namespace integration_http_server_test
