// The HTTP transport's coroutine API against a real HTTP/1.1 server on 127.0.0.1: a small Beast server of
// the test's own, written as coroutines on one thread, that streams chunked bodies piece by piece with
// pauses, holds a response open, or stays silent. The client runs on an io_context driven by two threads.
// What is asserted is behaviour (bodies intact, the pool bound, the errors and the knobs they name, the
// metrics); nothing is asserted on time.
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/transport/http.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <agentkit_test/metrics_scrape.hpp>
#include <agentkit_test/numbered.hpp>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace integration_http_async_test {
using namespace agentkit;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

constexpr int pieces_per_stream = 20;

std::string piece_text(const std::string& id, int k) { return id + agentkit_test::numbered(":", k) + ";"; }
std::string whole_body(const std::string& id) {
    std::string s;
    for (int k = 0; k < pieces_per_stream; ++k) s += piece_text(id, k);
    return s;
}

// Serves, per connection and request, by target:
//   /stream/<id>  a chunked body of 20 pieces "<id>:<k>;", a short pause before each
//   /hang         the header and one chunk, then nothing (the connection stays open)
//   /silent       nothing at all
//   anything else "ok" with a Content-Length
class stream_server {
public:
    stream_server() : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
        net::co_spawn(ioc_, accept(), net::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~stream_server() {
        ioc_.stop();
        thread_.join();
    }
    std::string origin() const {
        return agentkit_test::numbered("http://127.0.0.1:", acceptor_.local_endpoint().port());
    }
    std::string url(const std::string& path) const { return origin() + path; }
    std::size_t connections() const { return connections_.load(); }
    std::size_t most_open() const { return most_open_.load(); }

private:
    net::awaitable<void> accept() {
        for (;;) {
            auto [ec, s] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
            if (ec) co_return;
            ++connections_;
            const auto now_open = ++open_;
            auto seen = most_open_.load();
            while (now_open > seen && !most_open_.compare_exchange_weak(seen, now_open)) {}
            net::co_spawn(ioc_, session(std::move(s)), net::detached);
        }
    }
    net::awaitable<void> pause(std::chrono::milliseconds d) {
        net::steady_timer t(ioc_, d);
        co_await t.async_wait(net::as_tuple(net::use_awaitable));
    }
    net::awaitable<void> session(tcp::socket s) {
        boost::beast::flat_buffer buffer;
        for (;;) {
            bhttp::request<bhttp::string_body> req;
            auto [ec, n] = co_await bhttp::async_read(s, buffer, req, net::as_tuple(net::use_awaitable));
            if (ec) break;
            const std::string target(req.target());
            if (target == "/silent") {
                co_await pause(60s);
                break;
            }
            if (target.starts_with("/stream/") || target == "/hang") {
                bhttp::response<bhttp::empty_body> res{bhttp::status::ok, 11};
                res.set(bhttp::field::content_type, "text/plain");
                res.chunked(true);
                bhttp::response_serializer<bhttp::empty_body> sr{res};
                auto [wec, wn] = co_await bhttp::async_write_header(s, sr, net::as_tuple(net::use_awaitable));
                if (wec) break;
                if (target == "/hang") {
                    const std::string first = "first piece;";
                    co_await net::async_write(s, bhttp::make_chunk(net::buffer(first)),
                                              net::as_tuple(net::use_awaitable));
                    co_await pause(60s);
                    break;
                }
                const std::string id = target.substr(8);
                bool failed = false;
                for (int k = 0; k < pieces_per_stream && !failed; ++k) {
                    co_await pause(2ms);
                    const std::string piece = piece_text(id, k);
                    auto [pec, pn] = co_await net::async_write(s, bhttp::make_chunk(net::buffer(piece)),
                                                               net::as_tuple(net::use_awaitable));
                    failed = static_cast<bool>(pec);
                }
                if (failed) break;
                auto [lec, ln] =
                    co_await net::async_write(s, bhttp::make_chunk_last(), net::as_tuple(net::use_awaitable));
                if (lec) break;
                continue;
            }
            bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
            res.body() = "ok";
            res.prepare_payload();
            auto [wec, wn] = co_await bhttp::async_write(s, res, net::as_tuple(net::use_awaitable));
            if (wec) break;
        }
        --open_;
    }

    net::io_context ioc_{1};
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<std::size_t> connections_{0}, open_{0}, most_open_{0};
};

// An io_context run by two threads, as a server application would have it.
struct two_threads {
    net::io_context ioc{2};
    net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};
    std::vector<std::thread> threads;
    two_threads() {
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { ioc.run(); });
    }
    // Without stop(): run() returns once no work is left, including work another context's thread still
    // holds on this one (a completion handler finishing after it resumed its coroutine here).
    ~two_threads() {
        work.reset();
        for (auto& t : threads) t.join();
    }
};

std::size_t thread_count() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
    return n;
}

transport::http::config quick() {
    transport::http::config c;
    c.connect_timeout = std::chrono::milliseconds(5000);
    c.read_timeout = std::chrono::milliseconds(10000);
    c.total_timeout = std::chrono::milliseconds(60000);
    return c;
}
transport::http_request get(const std::string& url) {
    transport::http_request r;
    r.method = "GET";
    r.url = url;
    return r;
}
errc code_of(const error& e) { return static_cast<errc>(e.code().value()); }

// The outcome of one coroutine spawned on `ex`: the response or the exception.
struct outcome {
    std::exception_ptr failure;
    transport::http_response response;
};
template <class Awaitable>
std::future<outcome> spawn(net::any_io_executor ex, Awaitable a) {
    auto done = std::make_shared<std::promise<outcome>>();
    auto result = done->get_future();
    net::co_spawn(ex, std::move(a), [done](std::exception_ptr e, transport::http_response r) {
        done->set_value({e, std::move(r)});
    });
    return result;
}
error error_of(const outcome& o) {
    if (!o.failure) {
        ADD_FAILURE() << "expected an agentkit::error, got status " << o.response.status;
        return error(errc::invalid_argument, "none");
    }
    try {
        std::rethrow_exception(o.failure);
    } catch (const error& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "a non-agentkit exception escaped: " << e.what();
    }
    return error(errc::invalid_argument, "wrong exception");
}

// ---- many streams, a bounded pool, no thread per request ------------------------------------------------

// Each coroutine streams its own body and keeps it; the pieces are checked in order at the end.
net::awaitable<std::size_t> stream_one(transport::http& client, std::string url, std::string id, std::string& body,
                                       std::atomic<std::size_t>& most_threads) {
    const auto r = get(url + id);
    std::size_t pieces = 0;
    const auto res = co_await client.async_stream(r, [&](std::string_view piece) {
        body += piece;
        if (++pieces % 8 == 0) {
            const auto now = thread_count();
            auto seen = most_threads.load();
            while (now > seen && !most_threads.compare_exchange_weak(seen, now)) {}
        }
    });
    co_return static_cast<std::size_t>(res.status);
}

TEST(HttpAsync, TwoHundredConcurrentStreamsShareABoundedPoolOnTwoThreads) {
    stream_server server;
    two_threads io;
    auto cfg = quick();
    cfg.max_connections_per_host = 50;
    transport::http client(io.ioc.get_executor(), cfg);
    const std::size_t threads_before = thread_count();  // this one, gtest's, the server's and the two I/O threads

    constexpr int n = 200;
    std::vector<std::string> bodies(n);
    std::vector<std::size_t> statuses(n, 0);
    std::atomic<std::size_t> most_threads{threads_before};
    std::atomic<int> failures{0};
    std::latch finished(n);
    for (int i = 0; i < n; ++i) {
        net::co_spawn(
            io.ioc,
            stream_one(client, server.url("/stream/"), agentkit_test::numbered("s", i), bodies[i], most_threads),
            [&, i](std::exception_ptr e, std::size_t status) {
                if (e) ++failures;
                statuses[i] = status;
                finished.count_down();
            });
    }
    finished.wait();
    EXPECT_EQ(failures.load(), 0);
    for (int i = 0; i < n; ++i) {
        EXPECT_EQ(statuses[i], 200u) << i;
        EXPECT_EQ(bodies[i], whole_body(agentkit_test::numbered("s", i))) << i;
    }
    const auto st = client.statistics();
    EXPECT_EQ(st.requests, 200u);
    EXPECT_LE(st.connections_opened, 50u);
    EXPECT_EQ(st.connections_opened + st.connections_reused, 200u);  // 150 or more waited for a connection
    EXPECT_LE(server.most_open(), 50u);
    EXPECT_LE(client.open_connections(server.origin()), 50u);
    EXPECT_LE(most_threads.load(), threads_before) << "a thread was started for requests";
    EXPECT_EQ(thread_count(), threads_before);
}

// ---- cancellation -----------------------------------------------------------------------------------------

TEST(HttpAsync, CancellingMidStreamClosesTheConnectionAndFreesTheSlot) {
    stream_server server;
    two_threads io;
    auto cfg = quick();
    cfg.max_connections_per_host = 1;  // the next request can only run if the slot was given back
    transport::http client(io.ioc.get_executor(), cfg);

    auto strand = net::make_strand(io.ioc);
    net::cancellation_signal cancel;
    std::promise<void> first_piece;
    std::atomic<bool> got_piece{false};
    const auto r = get(server.url("/hang"));
    auto done = std::make_shared<std::promise<outcome>>();
    auto result = done->get_future();
    net::co_spawn(
        strand,
        client.async_stream(r,
                            [&](std::string_view) {
                                if (!got_piece.exchange(true)) first_piece.set_value();
                            }),
        net::bind_cancellation_slot(cancel.slot(), [done](std::exception_ptr e, transport::http_response res) {
            done->set_value({e, std::move(res)});
        }));
    first_piece.get_future().wait();
    net::post(strand, [&] { cancel.emit(net::cancellation_type::terminal); });
    const auto e = error_of(result.get());
    EXPECT_EQ(code_of(e), errc::cancelled) << e.what();
    EXPECT_EQ(e.field(), "http");
    EXPECT_EQ(client.open_connections(server.origin()), 0u);  // closed, not pooled
    EXPECT_EQ(client.statistics().cancelled, 1u);

    // The slot is free: the next request gets it, on a new connection.
    const auto next = spawn(io.ioc.get_executor(), client.async_send(get(server.url("/ok")))).get();
    ASSERT_FALSE(next.failure);
    EXPECT_EQ(next.response.body, "ok");
    EXPECT_EQ(client.statistics().connections_opened, 2u);
    EXPECT_EQ(client.statistics().connections_reused, 0u);
    EXPECT_EQ(server.connections(), 2u);
}

TEST(HttpAsync, CancellingAWaitForAConnectionLeavesTheLine) {
    stream_server server;
    two_threads io;
    auto cfg = quick();
    cfg.max_connections_per_host = 1;
    transport::http client(io.ioc.get_executor(), cfg);
    auto strand = net::make_strand(io.ioc);

    // The only connection hangs; a second request waits in line for it and is cancelled there.
    net::cancellation_signal cancel_hang, cancel_wait;
    std::promise<void> hanging;
    std::atomic<bool> got_piece{false};
    const auto hang = get(server.url("/hang"));
    const auto ok = get(server.url("/ok"));
    auto first = std::make_shared<std::promise<outcome>>();
    auto first_result = first->get_future();
    net::co_spawn(
        strand,
        client.async_stream(hang,
                            [&](std::string_view) {
                                if (!got_piece.exchange(true)) hanging.set_value();
                            }),
        net::bind_cancellation_slot(cancel_hang.slot(), [first](std::exception_ptr e, transport::http_response res) {
            first->set_value({e, std::move(res)});
        }));
    hanging.get_future().wait();
    auto second = std::make_shared<std::promise<outcome>>();
    auto second_result = second->get_future();
    net::co_spawn(
        strand, client.async_send(ok),
        net::bind_cancellation_slot(cancel_wait.slot(), [second](std::exception_ptr e, transport::http_response res) {
            second->set_value({e, std::move(res)});
        }));
    net::post(strand, [&] { cancel_wait.emit(net::cancellation_type::terminal); });
    EXPECT_EQ(code_of(error_of(second_result.get())), errc::cancelled);
    net::post(strand, [&] { cancel_hang.emit(net::cancellation_type::terminal); });
    EXPECT_EQ(code_of(error_of(first_result.get())), errc::cancelled);
    EXPECT_EQ(client.open_connections(server.origin()), 0u);
    const auto next = spawn(io.ioc.get_executor(), client.async_send(ok)).get();
    ASSERT_FALSE(next.failure);
    EXPECT_EQ(next.response.body, "ok");
    EXPECT_EQ(client.statistics().cancelled, 2u);
}

// A timer racing the exchange (awaitable_operators' ||): the timer wins, the exchange is cancelled.
net::awaitable<std::size_t> stream_or_give_up(transport::http& client, const transport::http_request& r) {
    using namespace net::experimental::awaitable_operators;
    net::steady_timer give_up(co_await net::this_coro::executor, 300ms);
    const auto first =
        co_await (client.async_stream(r, [](std::string_view) {}) || give_up.async_wait(net::use_awaitable));
    co_return first.index();
}

TEST(HttpAsync, ATimerRacingAStreamCancelsIt) {
    stream_server server;
    two_threads io;
    transport::http client(io.ioc.get_executor(), quick());
    const auto hang = get(server.url("/hang"));
    std::promise<std::size_t> winner;
    net::co_spawn(io.ioc, stream_or_give_up(client, hang),
                  [&](std::exception_ptr e, std::size_t index) { winner.set_value(e ? 99 : index); });
    EXPECT_EQ(winner.get_future().get(), 1u);  // the timer
    EXPECT_EQ(client.statistics().cancelled, 1u);
    EXPECT_EQ(client.open_connections(server.origin()), 0u);
}

// ---- host names ---------------------------------------------------------------------------------------------

TEST(HttpAsync, AHostNameIsResolvedWithoutBlockingTheExecutor) {
    stream_server server;
    net::io_context ioc{1};  // one thread, which also runs a ticking timer while the lookup runs elsewhere
    transport::http client(ioc.get_executor(), quick());
    const auto port = server.origin().substr(server.origin().rfind(':'));
    const auto r = get("http://localhost" + port + "/ok");
    std::optional<outcome> got;
    net::co_spawn(ioc, client.async_send(r), [&](std::exception_ptr e, transport::http_response res) {
        got = outcome{e, std::move(res)};
    });
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            net::steady_timer t(co_await net::this_coro::executor);
            while (!got) {
                t.expires_after(1ms);
                co_await t.async_wait(net::use_awaitable);
            }
        },
        net::detached);
    ioc.run();
    ASSERT_TRUE(got.has_value());
    if (got->failure) {
        const auto e = error_of(*got);
        if (code_of(e) == errc::unavailable)
            GTEST_SKIP() << "localhost does not resolve to 127.0.0.1 here: " << e.what();
        FAIL() << e.what();
    }
    EXPECT_EQ(got->response.body, "ok");
}

// ---- timeouts -----------------------------------------------------------------------------------------------

TEST(HttpAsync, TimeoutsNameTheirKnob) {
    stream_server server;
    two_threads io;
    auto cfg = quick();
    cfg.read_timeout = std::chrono::milliseconds(200);
    transport::http client(io.ioc.get_executor(), cfg);
    auto e = error_of(spawn(io.ioc.get_executor(), client.async_send(get(server.url("/silent")))).get());
    EXPECT_EQ(code_of(e), errc::timeout) << e.what();
    EXPECT_EQ(e.field(), "http.read_timeout");

    cfg.read_timeout = std::chrono::milliseconds(10000);
    cfg.total_timeout = std::chrono::milliseconds(300);
    transport::http short_lived(io.ioc.get_executor(), cfg);
    e = error_of(spawn(io.ioc.get_executor(), short_lived.async_stream(get(server.url("/hang")), [](std::string_view) {
                 })).get());
    EXPECT_EQ(code_of(e), errc::timeout) << e.what();
    EXPECT_EQ(e.field(), "http.total_timeout");

    // All connections busy until the total timeout: the wait in line ends with the pool's knob. The one
    // connection is held by a sink that blocks one of the two I/O threads (a test device) until then.
    cfg.max_connections_per_host = 1;
    cfg.total_timeout = std::chrono::milliseconds(400);
    transport::http one(io.ioc.get_executor(), cfg);
    const auto hang = get(server.url("/hang"));  // borrowed until the exchange ends
    std::promise<void> holding, release;
    auto released = release.get_future().share();
    const auto hold = [&](std::string_view) {
        holding.set_value();
        released.wait();
    };
    auto holder = spawn(io.ioc.get_executor(), one.async_stream(hang, hold));
    holding.get_future().wait();
    e = error_of(spawn(io.ioc.get_executor(), one.async_send(get(server.url("/ok")))).get());
    EXPECT_EQ(code_of(e), errc::timeout) << e.what();
    EXPECT_EQ(e.field(), "http.max_connections_per_host");
    release.set_value();
    e = error_of(holder.get());
    EXPECT_EQ(code_of(e), errc::timeout) << e.what();
    EXPECT_EQ(e.field(), "http.total_timeout");
    EXPECT_EQ(one.statistics().timeouts, 2u);
}

// ---- the synchronous API over the same coroutine --------------------------------------------------------

TEST(HttpAsync, TheSyncApiWorksFromAForeignThreadAndRefusesTheExecutorsOwn) {
    stream_server server;
    two_threads io;
    transport::http client(io.ioc.get_executor(), quick());
    EXPECT_EQ(client.send(get(server.url("/ok"))).body, "ok");  // this thread does not run io.ioc
    std::string streamed;
    client.stream(get(server.url("/stream/x")), [&](std::string_view s) { streamed += s; });
    EXPECT_EQ(streamed, whole_body("x"));

    // The error of a synchronous send run on `where`, if any.
    auto sync_send_on = [&](auto where) {
        std::promise<std::optional<error>> out;
        net::post(where, [&] {
            try {
                client.send(get(server.url("/ok")));
                out.set_value(std::nullopt);
            } catch (const error& e) {
                out.set_value(e);
            }
        });
        return out.get_future().get();
    };
    const auto e = sync_send_on(io.ioc.get_executor());
    ASSERT_TRUE(e.has_value()) << "the sync API ran on the executor's own thread";
    EXPECT_EQ(code_of(*e), errc::invalid_argument);
    EXPECT_EQ(e->field(), "http");

    // The same from a strand of that executor.
    const auto s = sync_send_on(net::make_strand(io.ioc));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(code_of(*s), errc::invalid_argument);
}

TEST(HttpAsync, AClientOfItsOwnRefusesTheSyncApiOnItsIoThread) {
    stream_server server;
    transport::http client(quick());  // its own io_context and I/O thread
    EXPECT_EQ(client.send(get(server.url("/ok"))).body, "ok");
    try {
        client.stream(get(server.url("/stream/y")), [&](std::string_view) { client.send(get(server.url("/ok"))); });
        ADD_FAILURE() << "a nested sync call ran on the client's I/O thread";
    } catch (const error& e) {
        EXPECT_EQ(code_of(e), errc::invalid_argument) << e.what();  // the sink's own exception, unchanged
    }
    // Its coroutine API works from any coroutine, here one on another io_context.
    two_threads io;
    const auto res = spawn(io.ioc.get_executor(), client.async_send(get(server.url("/ok")))).get();
    ASSERT_FALSE(res.failure);
    EXPECT_EQ(res.response.body, "ok");
}

// ---- metrics ------------------------------------------------------------------------------------------------

std::string line_of(const std::string& text, const std::string& series) {
    const auto at = text.find(series + " ");
    if (at == std::string::npos) return "(missing) " + series;
    return text.substr(at, text.find('\n', at) - at);
}

TEST(HttpAsync, MetricsCountRequestsConnectionsTimeoutsAndCancellations) {
    stream_server server;
    two_threads io;
    observe::metric_registry registry;
    auto cfg = quick();
    cfg.read_timeout = std::chrono::milliseconds(200);
    transport::http client(io.ioc.get_executor(), cfg);
    client.attach_metrics(registry, "upstream");
    transport::http other(io.ioc.get_executor(), cfg);
    other.attach_metrics(registry, "second");  // shares the families

    EXPECT_THROW(client.send(get(server.url("/silent"))), error);  // its connection is closed
    for (int i = 0; i < 3; ++i) EXPECT_EQ(client.send(get(server.url("/ok"))).body, "ok");
    EXPECT_EQ(other.send(get(server.url("/ok"))).body, "ok");

    const std::string text = observe::to_prometheus_text(registry);
    const std::string labels = "{client=\"upstream\",origin=\"" + server.origin() + "\"";
    EXPECT_EQ(line_of(text, "agentkit_http_client_requests_total" + labels + "}"),
              "agentkit_http_client_requests_total" + labels + "} 4");
    EXPECT_EQ(line_of(text, "agentkit_http_client_connections_opened_total" + labels + "}"),
              "agentkit_http_client_connections_opened_total" + labels + "} 2");
    EXPECT_EQ(line_of(text, "agentkit_http_client_connections_reused_total" + labels + "}"),
              "agentkit_http_client_connections_reused_total" + labels + "} 2");
    EXPECT_EQ(line_of(text, "agentkit_http_client_timeouts_total" + labels + ",knob=\"read_timeout\"}"),
              "agentkit_http_client_timeouts_total" + labels + ",knob=\"read_timeout\"} 1");
    EXPECT_EQ(line_of(text, "agentkit_http_client_connections" + labels + ",state=\"idle\"}"),
              "agentkit_http_client_connections" + labels + ",state=\"idle\"} 1");
    EXPECT_EQ(line_of(text, "agentkit_http_client_connections" + labels + ",state=\"busy\"}"),
              "agentkit_http_client_connections" + labels + ",state=\"busy\"} 0");
    const std::string second = "{client=\"second\",origin=\"" + server.origin() + "\"}";
    EXPECT_EQ(line_of(text, "agentkit_http_client_requests_total" + second),
              "agentkit_http_client_requests_total" + second + " 1");

    if (!agentkit_test::have_promtool()) GTEST_SKIP() << "promtool is not installed";
    int status = 0;
    const std::string said = agentkit_test::promtool_report(text, status);
    EXPECT_EQ(status, 0) << said << "\n" << text;
}

}  // namespace integration_http_async_test
