// agentkit-gateway on 127.0.0.1: the gateway class on the simulated upstream (and on a test upstream that fails
// mid-stream), driven by our HTTP client and raw sockets; then the built binary: start, serve, drain on
// SIGTERM, exit statuses. What is asserted is the wire (status, JSON, SSE events and their order) and the
// gateway's promises (errors before the first byte are statuses, after it in-band; a client that leaves
// cancels the upstream); nothing is asserted on time.
#include "gateway.hpp"
#include "simulated_upstream.hpp"

#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/model/openai_wire.hpp>
#include <agentkit/transport/http.hpp>
#include <agentkit/transport/sse_parser.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <utility>
#include <optional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace example_gateway_test {
namespace gw = agentkit_gateway;
namespace net = boost::asio;
namespace model = agentkit::model;
namespace openai = agentkit::model::openai;
using namespace std::chrono_literals;

// A test upstream: one delta, then a failure (a connection cut mid-stream).
struct cut_upstream {
    model::chat_response complete(const model::chat_request&) {
        throw model::provider_error(agentkit::errc::unavailable, "cut", 0, true);
    }
    net::awaitable<model::chat_response> async_complete(const model::chat_request&) {
        throw model::provider_error(agentkit::errc::unavailable, "cut", 0, true);
        co_return model::chat_response{};
    }
    net::awaitable<model::chat_response> async_stream(const model::chat_request&,
                                                      const model::delta_callback& on_delta) {
        model::chat_delta d;
        d.content = "partial";
        on_delta(d);
        throw model::provider_error(agentkit::errc::unavailable, "the upstream connection was cut mid-stream", 0, true);
        co_return model::chat_response{};
    }
};

struct running_gateway {
    net::io_context io;
    net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(io);
    std::unique_ptr<gw::gateway> gateway;
    std::vector<std::thread> threads;

    // (the default config is a named object, not a default argument: g++ 12 -O3 misreports a temporary one's
    // strings as maybe-uninitialized)
    static const gw::gateway_config& defaults() {
        static const gw::gateway_config c;
        return c;
    }
    explicit running_gateway(model::any_provider upstream, const gw::gateway_config& given = defaults()) {
        gw::gateway_config cfg = given;
        cfg.server.port = 0;
        gateway = std::make_unique<gw::gateway>(io.get_executor(), cfg, std::move(upstream));
        gateway->start();
        for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
    }
    ~running_gateway() {
        gateway->stop();
        work.reset();
        io.stop();
        for (auto& t : threads) t.join();
    }
    std::string url(std::string_view path) const {
        return std::string("http://127.0.0.1:").append(std::to_string(gateway->port())).append(path);
    }
    agentkit::transport::http_response post(std::string_view path, std::string body) const {
        agentkit::transport::http client;
        agentkit::transport::http_request rq;
        rq.url = url(path);
        rq.headers = {{"content-type", "application/json"}};
        rq.body = std::move(body);
        return client.send(rq);
    }
    agentkit::transport::http_response get(std::string_view path) const {
        agentkit::transport::http client;
        agentkit::transport::http_request rq;
        rq.method = "GET";
        rq.url = url(path);
        return client.send(rq);
    }
};

std::vector<std::string> sse_data(const std::string& body) {
    std::vector<std::string> out;
    agentkit::transport::sse_parser p;
    p.feed(body, [&](const agentkit::transport::sse_event& e) { out.emplace_back(e.data); });
    return out;
}

const std::string hello = R"({"model":"agentkit-sim","messages":[{"role":"user","content":"hello"}]})";
const std::string hello_stream =
    R"({"messages":[{"role":"user","content":"hello"}],"stream":true,"stream_options":{"include_usage":true}})";
const std::string with_tool =
    R"({"messages":[{"role":"user","content":"add 2 and 3"}],"tools":[{"type":"function","function":{"name":"add","parameters":{"type":"object"}}}]})";

bool is_number(std::string_view s) {
    std::uint64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

TEST(Gateway, AnswersChatCompletionsWithItsOverhead) {
    running_gateway g(gw::simulated_upstream{});
    const auto r = g.post("/v1/chat/completions", hello);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto answer = openai::decode_chat_response(r.body);
    EXPECT_EQ(answer.reply.content(), "[simulated] you said: hello");
    EXPECT_EQ(answer.finish_reason, "stop");
    EXPECT_EQ(answer.model, "agentkit-sim");
    EXPECT_GT(answer.tokens.completion_tokens, 0u);
    ASSERT_TRUE(r.header("x-agentkit-overhead-us").has_value());
    EXPECT_TRUE(is_number(*r.header("x-agentkit-overhead-us")));
    EXPECT_NE(r.body.find(R"("id":"chatcmpl-agentkit-)"), std::string::npos);
}

TEST(Gateway, StreamsDeltasThenFinishUsageAndDone) {
    running_gateway g(gw::simulated_upstream{});
    const auto r = g.post("/v1/chat/completions", hello_stream);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type").value_or(""), "text/event-stream");
    const auto events = sse_data(r.body);
    ASSERT_GE(events.size(), 4u);
    EXPECT_EQ(events.back(), "[DONE]");
    EXPECT_NE(events.front().find(R"("role":"assistant")"), std::string::npos) << events.front();
    model::delta_accumulator acc;
    std::string finish;
    std::optional<model::usage> usage;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        const auto c = openai::decode_stream_chunk(events[i]);
        acc.add(c.delta);
        if (!c.finish_reason.empty()) finish = c.finish_reason;
        if (c.tokens) usage = c.tokens;
    }
    const auto reply = acc.finish(finish, usage.value_or(model::usage{}), "m");
    EXPECT_EQ(reply.reply.content(), "[simulated] you said: hello");
    EXPECT_EQ(finish, "stop");
    ASSERT_TRUE(usage.has_value());
    EXPECT_GT(usage->completion_tokens, 0u);
    // The usage chunk is the one before [DONE], with no choices.
    EXPECT_NE(events[events.size() - 2].find(R"("choices":[])"), std::string::npos);
}

TEST(Gateway, ToolCallsWholeAndStreamed) {
    running_gateway g(gw::simulated_upstream{});
    const auto whole = openai::decode_chat_response(g.post("/v1/chat/completions", with_tool).body);
    ASSERT_EQ(whole.reply.tool_calls().size(), 1u);
    EXPECT_EQ(whole.reply.tool_calls()[0].name, "add");
    EXPECT_EQ(whole.reply.tool_calls()[0].arguments, R"({"input":"add 2 and 3"})");
    EXPECT_EQ(whole.finish_reason, "tool_calls");
    std::string streamed_body = with_tool;
    streamed_body.insert(streamed_body.size() - 1, R"(,"stream":true)");
    const auto events = sse_data(g.post("/v1/chat/completions", streamed_body).body);
    model::delta_accumulator acc;
    bool id_and_name_first = false;
    for (const auto& e : events) {
        if (e == "[DONE]") break;
        const auto c = openai::decode_stream_chunk(e);
        if (!c.delta.tool_calls.empty() && acc.streamed_bytes() == 0)
            id_and_name_first = c.delta.tool_calls[0].id == "call_sim_1" && c.delta.tool_calls[0].name == "add";
        acc.add(c.delta);
    }
    EXPECT_TRUE(id_and_name_first);
    const auto r = acc.finish("tool_calls", {}, "m");
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0].arguments, R"({"input":"add 2 and 3"})");
}

TEST(Gateway, BadRequestsNameTheFieldOrTheLimit) {
    gw::gateway_config cfg;
    cfg.request_limits.max_messages = 1;
    running_gateway g(gw::simulated_upstream{}, cfg);
    auto r = g.post("/v1/chat/completions", R"({"messages":[{"role":"robot","content":"x"}]})");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find(R"("param":"messages[0].role")"), std::string::npos) << r.body;
    r = g.post("/v1/chat/completions", R"({"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]})");
    EXPECT_EQ(r.status, 413);
    EXPECT_NE(r.body.find(R"("param":"model.max_request_messages")"), std::string::npos) << r.body;
    r = g.post("/v1/chat/completions", "{not json");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(g.get("/v1/chat/completions").status, 405);
    EXPECT_EQ(g.get("/nowhere").status, 404);
}

TEST(Gateway, UpstreamFailureBeforeTheFirstByteIsAStatus) {
    gw::simulated_upstream::config sim;
    sim.failure_rate = 1.0;
    running_gateway g(gw::simulated_upstream{sim});
    auto r = g.post("/v1/chat/completions", hello);
    EXPECT_EQ(r.status, 502);
    EXPECT_NE(r.body.find("simulated upstream failure"), std::string::npos) << r.body;
    r = g.post("/v1/chat/completions", hello_stream);
    EXPECT_EQ(r.status, 502);  // a stream that never started is an error status, not an empty 200
    EXPECT_EQ(r.header("content-type").value_or(""), "application/json");
}

TEST(Gateway, UpstreamFailureMidStreamIsInBandWithoutDone) {
    running_gateway g(cut_upstream{});
    const auto r = g.post("/v1/chat/completions", hello_stream);
    EXPECT_EQ(r.status, 200);
    const auto events = sse_data(r.body);
    ASSERT_EQ(events.size(), 2u) << r.body;
    EXPECT_NE(events[0].find("partial"), std::string::npos);
    EXPECT_NE(events[1].find(R"("error")"), std::string::npos) << events[1];
    EXPECT_NE(events[1].find("cut mid-stream"), std::string::npos) << events[1];
    for (const auto& e : events) EXPECT_NE(e, "[DONE]");
}

TEST(Gateway, ModelsHealthMetrics) {
    running_gateway g(gw::simulated_upstream{});
    (void)g.post("/v1/chat/completions", hello);
    const auto models = g.get("/v1/models");
    EXPECT_EQ(models.status, 200);
    EXPECT_NE(models.body.find(R"("id":"agentkit-sim")"), std::string::npos) << models.body;
    const auto health = g.get("/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_NE(health.body.find(R"("status":"ok")"), std::string::npos) << health.body;
    const auto metrics = g.get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find(R"(agentkit_gateway_requests_total{route="chat",status="200"} 1)"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("agentkit_gateway_overhead_seconds_bucket"), std::string::npos);
    EXPECT_NE(metrics.body.find(R"(agentkit_gateway_tokens_total{direction="out"})"), std::string::npos);
}

TEST(Gateway, AClientThatLeavesMidStreamCancelsTheUpstream) {
    gw::simulated_upstream::config sim;
    sim.tokens_per_second = 20;  // a reply of ~7 pieces takes ~0.3 s: the client leaves after the first
    running_gateway g(gw::simulated_upstream{sim});
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(g.gateway->port());
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    std::string req =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ";
    req.append(std::to_string(hello_stream.size())).append("\r\n\r\n").append(hello_stream);
    ASSERT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
    char buf[512];
    ASSERT_GT(::recv(fd, buf, sizeof buf, 0), 0);  // the stream has started
    ::close(fd);
    for (int i = 0; i < 2000 && g.gateway->server_stats().client_disconnects == 0; ++i)
        std::this_thread::sleep_for(5ms);
    EXPECT_EQ(g.gateway->server_stats().client_disconnects, 1u);
}

// ---- /v1/messages: Anthropic's Messages API ---------------------------------------------------------------------
const std::string messages_hello =
    R"({"model":"claude-sim","max_tokens":64,"messages":[{"role":"user","content":"hello"}]})";

TEST(GatewayMessages, AnswersWholeAndStreamedInTheMessagesShape) {
    running_gateway g(gw::simulated_upstream{});
    const auto whole = g.post("/v1/messages", messages_hello);
    ASSERT_EQ(whole.status, 200) << whole.body;
    const auto r = model::anthropic::decode_response(whole.body);
    EXPECT_EQ(r.reply.content(), "[simulated] you said: hello");
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_NE(whole.body.find(R"("stop_reason":"end_turn")"), std::string::npos) << whole.body;
    EXPECT_TRUE(whole.header("x-agentkit-overhead-us").has_value());

    std::string streamed = messages_hello;
    streamed.insert(streamed.size() - 1, R"(,"stream":true)");
    const auto s = g.post("/v1/messages", streamed);
    ASSERT_EQ(s.status, 200);
    model::anthropic::stream_decoder dec;
    model::delta_accumulator acc;
    std::vector<std::string> types;
    agentkit::transport::sse_parser p;
    p.feed(s.body, [&](const agentkit::transport::sse_event& e) {
        types.emplace_back(e.type);
        if (auto d = dec.decode(e.type, e.data)) acc.add(*d);
    });
    ASSERT_FALSE(types.empty());
    EXPECT_EQ(types.front(), "message_start");
    EXPECT_EQ(types.back(), "message_stop");
    EXPECT_TRUE(dec.done());
    EXPECT_EQ(acc.finish(dec.finish_reason(), dec.tokens(), dec.model()).reply.content(),
              "[simulated] you said: hello");
}

TEST(GatewayMessages, ToolUseAndErrorsInTheMessagesShape) {
    running_gateway g(gw::simulated_upstream{});
    const auto r = model::anthropic::decode_response(
        g.post(
             "/v1/messages",
             R"({"max_tokens":64,"messages":[{"role":"user","content":"add 2 3"}],"tools":[{"name":"add","input_schema":{"type":"object"}}]})")
            .body);
    ASSERT_EQ(r.reply.tool_calls().size(), 1u);
    EXPECT_EQ(r.reply.tool_calls()[0].name, "add");
    EXPECT_EQ(r.finish_reason, "tool_calls");
    const auto bad = g.post("/v1/messages", R"({"messages":[{"role":"robot","content":"x"}]})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find(R"("type":"error")"), std::string::npos) << bad.body;
    EXPECT_NE(bad.body.find(R"("type":"invalid_request_error")"), std::string::npos) << bad.body;
}

TEST(GatewayMessages, MidStreamFailureIsAnErrorEventWithoutMessageStop) {
    running_gateway g(cut_upstream{});
    const auto s =
        g.post("/v1/messages", R"({"max_tokens":8,"stream":true,"messages":[{"role":"user","content":"x"}]})");
    EXPECT_EQ(s.status, 200);
    std::vector<std::string> types;
    agentkit::transport::sse_parser p;
    p.feed(s.body, [&](const agentkit::transport::sse_event& e) { types.emplace_back(e.type); });
    ASSERT_FALSE(types.empty());
    EXPECT_EQ(types.back(), "error");
    for (const auto& t : types) EXPECT_NE(t, "message_stop");
}

// ---- the binary ---------------------------------------------------------------------------------------------
struct child {
    pid_t pid = -1;
    int out = -1;
    child() = default;
    child(child&& o) noexcept : pid(std::exchange(o.pid, -1)), out(std::exchange(o.out, -1)) {}
    child& operator=(child&&) = delete;
    ~child() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        if (out >= 0) ::close(out);
    }
};

// Runs the built gateway; its stdout (and its stderr too with `with_stderr`) comes back through c.out.
child spawn(std::vector<std::string> args, bool with_stderr = false) {
    int p[2];
    if (::pipe(p) != 0) return {};
    child c;
    c.pid = ::fork();
    if (c.pid == 0) {
        ::dup2(p[1], 1);
        if (with_stderr) ::dup2(p[1], 2);
        ::close(p[0]);
        ::close(p[1]);
        ::unsetenv("AGENTKIT_BASE_URL");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(AGENTKIT_GATEWAY, argv.data());
        ::_exit(127);
    }
    ::close(p[1]);
    c.out = p[0];
    return c;
}

std::string read_line(int fd) {
    std::string line;
    char ch;
    while (::read(fd, &ch, 1) == 1 && ch != '\n') line.push_back(ch);
    return line;
}

TEST(GatewayBinary, StartsServesAndDrainsOnSigterm) {
    auto c = spawn({"agentkit-gateway", "--port", "0"});
    const std::string line = read_line(c.out);
    ASSERT_NE(line.find("listening on http://127.0.0.1:"), std::string::npos) << line;
    EXPECT_NE(line.find("simulated"), std::string::npos) << line;  // it says its answers are not from a model
    const auto colon = line.find(':', line.find("127.0.0.1"));
    const int port = std::stoi(line.substr(colon + 1));
    agentkit::transport::http client;
    agentkit::transport::http_request rq;
    rq.url = std::string("http://127.0.0.1:").append(std::to_string(port)).append("/v1/chat/completions");
    rq.body = hello;
    EXPECT_EQ(client.send(rq).status, 200);
    ASSERT_EQ(::kill(c.pid, SIGTERM), 0);
    int status = 0;
    for (int i = 0; i < 2000 && ::waitpid(c.pid, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(5ms);
    ASSERT_TRUE(WIFEXITED(status)) << "the gateway did not exit after SIGTERM";
    EXPECT_EQ(WEXITSTATUS(status), 0);
    c.pid = -1;
    EXPECT_NE(read_line(c.out).find("drained"), std::string::npos);
}

TEST(GatewayBinary, WrongCommandLineIs2AndTakenPortIs1) {
    {
        auto c = spawn({"agentkit-gateway", "--bogus"});
        int status = 0;
        ::waitpid(c.pid, &status, 0);
        c.pid = -1;
        EXPECT_EQ(WEXITSTATUS(status), 2);
    }
    net::io_context io;
    gw::gateway_config cfg;
    cfg.server.port = 0;
    gw::gateway holder(io.get_executor(), cfg, gw::simulated_upstream{});
    auto c = spawn({"agentkit-gateway", "--port", std::to_string(holder.port())});
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    c.pid = -1;
    EXPECT_EQ(WEXITSTATUS(status), 1);
}

std::string read_all(int fd) {
    std::string text;
    char buf[512];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
    return text;
}

int exit_status_of(child& c) {
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    c.pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(GatewayBinary, ReadsAYamlConfigAndTheFlagsOverrideIt) {
    agentkit_test::temp_dir dir("agentkit_gateway_config");
    const auto file = dir.write("gateway.yaml",
                                "http_server:\n"
                                "  bind_address: \"127.0.0.2:0\"   # overridden by --bind below\n"
                                "  worker_threads: 1\n"
                                "  max_connections: 50\n"
                                "  max_request_size: 1MB\n");
    auto c = spawn({"agentkit-gateway", "--config", file, "--bind", "127.0.0.1"});
    const std::string line = read_line(c.out);
    ASSERT_NE(line.find("listening on http://127.0.0.1:"), std::string::npos) << line;
    const int port = std::stoi(line.substr(line.find(':', line.find("127.0.0.1")) + 1));
    EXPECT_NE(port, 0);
    // max_request_size from the file: a 2 MB body is refused with 413.
    agentkit::transport::http client;
    agentkit::transport::http_request rq;
    rq.url = std::string("http://127.0.0.1:").append(std::to_string(port)).append("/v1/chat/completions");
    rq.body = std::string(2u << 20, 'x');
    EXPECT_EQ(client.send(rq).status, 413);
    ASSERT_EQ(::kill(c.pid, SIGTERM), 0);
    EXPECT_EQ(exit_status_of(c), 0);
}

TEST(GatewayBinary, ABadConfigIs2AndNamesTheKeyPath) {
    agentkit_test::temp_dir dir("agentkit_gateway_bad_config");
    {
        auto c = spawn({"agentkit-gateway", "--config", dir.write("typo.yaml", "http_server:\n  max_conections: 5\n")},
                       true);
        const std::string text = read_all(c.out);
        EXPECT_EQ(exit_status_of(c), 2);
        EXPECT_NE(text.find("http_server.max_conections"), std::string::npos) << text;
        EXPECT_NE(text.find("did you mean max_connections?"), std::string::npos) << text;
    }
    {
        auto c = spawn(
            {"agentkit-gateway", "--config", dir.write("bad.json", R"({"http_server": {"max_request_size": "16XB"}})")},
            true);
        const std::string text = read_all(c.out);
        EXPECT_EQ(exit_status_of(c), 2);
        EXPECT_NE(text.find("http_server.max_request_size"), std::string::npos) << text;
    }
    {
        auto c = spawn({"agentkit-gateway", "--config", dir.file("missing.yaml")}, true);
        const std::string text = read_all(c.out);
        EXPECT_EQ(exit_status_of(c), 2);
        EXPECT_NE(text.find("missing.yaml"), std::string::npos) << text;
    }
}

}  // namespace example_gateway_test
