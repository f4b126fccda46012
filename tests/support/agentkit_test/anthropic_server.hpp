#pragma once
// anthropic_server: a small server of ours speaking Anthropic's Messages API (POST /v1/messages) on
// 127.0.0.1 (an ephemeral port), for the integration tests of the Anthropic provider over the HTTP
// transport. Real sockets, real HTTP/1.1 with keep-alive, Content-Length bodies and chunked SSE streams
// ("event: <type>" + "data: <json>" per event, as the API sends them).
//
// Each request is answered by the next queued reply (push()), or, when none is queued, by a deterministic
// simulation of a model: "echo: <last user text>", or a tool_use block when the last user text says
// "call <tool> <json-args>", streamed when the request asks for it. Like the real API it refuses a request
// without a key (x-api-key or Authorization; 401 authentication_error), without anthropic-version or max_tokens (400
// invalid_request_error), and answers another path with 404 not_found_error. Replies can also be failures
// the client must survive: any status with the API's error body and a Retry-After, an error event
// mid-stream, a stream cut short. The server_reply type is the OpenAI test server's.
#include <agentkit/model/json.hpp>
#include "openai_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace agentkit_test {

class anthropic_server {
public:
    using header_list = std::vector<std::pair<std::string, std::string>>;

    anthropic_server() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        port_ = acceptor_.local_endpoint().port();
        accept();
        io_thread_ = std::thread([this] { ioc_.run(); });
    }
    anthropic_server(const anthropic_server&) = delete;
    anthropic_server& operator=(const anthropic_server&) = delete;
    ~anthropic_server() { stop(); }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            if (stopped_) return;
            stopped_ = true;
        }
        boost::asio::post(ioc_, [this] {
            boost::system::error_code ec;
            acceptor_.close(ec);
        });
        if (io_thread_.joinable()) io_thread_.join();
        std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> open;  // wake threads blocked in reads
        {
            std::lock_guard lock(mutex_);
            for (auto& w : sockets_)
                if (auto s = w.lock()) open.push_back(s);
        }
        for (auto& s : open) {
            boost::system::error_code ec;
            s->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
        }
        std::list<std::thread> threads;
        {
            std::lock_guard lock(mutex_);
            threads.swap(threads_);
        }
        for (auto& t : threads) t.join();
    }

    std::uint16_t port() const noexcept { return port_; }
    // Without /v1, as Anthropic's SDKs and the provider take it.
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    void push(server_reply r) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(r));
    }
    std::size_t requests() const { return requests_.load(); }
    std::vector<std::string> bodies() const {
        std::lock_guard lock(mutex_);
        return bodies_;
    }
    std::vector<header_list> headers() const {
        std::lock_guard lock(mutex_);
        return headers_;
    }

    // ---- replies ------------------------------------------------------------------------------------------
    static std::string quote(const std::string& s) {
        agentkit::json::string_buffer sb;
        agentkit::json::writer w(sb);
        agentkit::json::write_string(w, s);
        return sb.GetString();
    }
    // A whole Messages response: text, or a tool_use block whose input is `args` (a JSON object's text).
    static std::string message_json(const std::string& content, const std::string& tool = {}, const std::string& args = "{}",
                                    std::uint64_t input_tokens = 10, std::uint64_t output_tokens = 5) {
        std::string blocks = tool.empty() ? R"({"type":"text","text":)" + quote(content) + "}"
                                          : R"({"type":"tool_use","id":"toolu_test1","name":)" + quote(tool) + R"(,"input":)" + args + "}";
        return R"({"id":"msg_test","type":"message","role":"assistant","model":"claude-test","content":[)" + blocks +
               R"(],"stop_reason":")" + (tool.empty() ? "end_turn" : "tool_use") + R"(","stop_sequence":null,"usage":{"input_tokens":)" +
               std::to_string(input_tokens) + R"(,"output_tokens":)" + std::to_string(output_tokens) + "}}";
    }
    static server_reply message(const std::string& content) { return {server_reply::kind::json, 200, {}, message_json(content), {}, false, {}}; }
    static server_reply tool_use(const std::string& tool, const std::string& args) {
        return {server_reply::kind::json, 200, {}, message_json("", tool, args), {}, false, {}};
    }
    // The API's error body: {"type":"error","error":{"type":...,"message":...},"request_id":...}.
    static std::string error_json(const std::string& type, const std::string& message) {
        return R"({"type":"error","error":{"type":)" + quote(type) + R"(,"message":)" + quote(message) + R"(},"request_id":"req_test"})";
    }
    static server_reply error(int status, const std::string& type, const std::string& message, const std::string& retry_after = {}) {
        server_reply r{server_reply::kind::json, status, {}, error_json(type, message), {}, false, {}};
        r.headers.emplace_back("request-id", "req_test");
        if (!retry_after.empty()) r.headers.emplace_back("retry-after", retry_after);
        return r;
    }
    static std::string sse(const std::string& type, const std::string& data) { return "event: " + type + "\ndata: " + data + "\n\n"; }
    // The events of a streamed answer as the API sends them: message_start, a ping, text in pieces or a
    // tool_use block with its input in pieces of `piece` bytes (input_json_delta), message_delta, message_stop.
    static std::vector<std::string> stream_events(const std::string& content, const std::string& tool = {},
                                                  const std::string& args = "{}", std::size_t piece = 6) {
        std::vector<std::string> ev;
        ev.push_back(sse("message_start", R"({"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant",)"
                                          R"("model":"claude-test","content":[],"stop_reason":null,"stop_sequence":null,)"
                                          R"("usage":{"input_tokens":10,"output_tokens":1}}})"));
        ev.push_back(sse("ping", R"({"type": "ping"})"));
        if (tool.empty()) {
            ev.push_back(sse("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"));
            for (std::size_t i = 0; i < content.size(); i += piece)
                ev.push_back(sse("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":)" +
                                                            quote(content.substr(i, piece)) + "}}"));
        } else {
            ev.push_back(sse("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use",)"
                                                    R"("id":"toolu_test1","name":)" + quote(tool) + R"(,"input":{}}})"));
            ev.push_back(sse("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}})"));
            for (std::size_t i = 0; i < args.size(); i += piece)
                ev.push_back(sse("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":)" +
                                                            quote(args.substr(i, piece)) + "}}"));
        }
        ev.push_back(sse("content_block_stop", R"({"type":"content_block_stop","index":0})"));
        ev.push_back(sse("message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" + std::string(tool.empty() ? "end_turn" : "tool_use") +
                                              R"(","stop_sequence":null},"usage":{"output_tokens":5}})"));
        ev.push_back(sse("message_stop", R"({"type":"message_stop"})"));
        return ev;
    }
    static server_reply stream(std::vector<std::string> events, bool cut_short = false) {
        return {server_reply::kind::sse, 200, {}, {}, std::move(events), cut_short, {}};
    }

private:
    using tcp = boost::asio::ip::tcp;
    using request = boost::beast::http::request<boost::beast::http::string_body>;

    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if (ec) return;  // closed
            auto sock = std::make_shared<tcp::socket>(std::move(s));
            boost::system::error_code nodelay_ec;
            sock->set_option(tcp::no_delay(true), nodelay_ec);  // SSE chunks go out at once, as real servers do
            {
                std::lock_guard lock(mutex_);
                if (stopped_) return;
                std::erase_if(sockets_, [](const auto& w) { return w.expired(); });
                sockets_.push_back(sock);
                threads_.emplace_back([this, sock] { serve(sock); });
            }
            accept();
        });
    }

    server_reply next_reply(const request& req) {
        {
            std::lock_guard lock(mutex_);
            if (!queue_.empty()) {
                auto r = std::move(queue_.front());
                queue_.pop_front();
                return r;
            }
        }
        return simulate(req);
    }

    // The text of a message's content: the string itself, or its last text / tool_result block.
    static std::string last_text(const agentkit::json::value& content) {
        if (content.IsString()) return content.GetString();
        std::string out;
        if (!content.IsArray()) return out;
        for (const auto& b : content.GetArray()) {
            if (!b.IsObject() || !b.HasMember("type") || !b["type"].IsString()) continue;
            const std::string type = b["type"].GetString();
            if (type == "text" && b.HasMember("text") && b["text"].IsString()) out = b["text"].GetString();
            if (type == "tool_result") out = "tool said " + std::string(b.HasMember("content") && b["content"].IsString() ? b["content"].GetString() : "");
        }
        return out;
    }

    // The default behaviour: a deterministic little model, behind the checks the real API makes first.
    static server_reply simulate(const request& req) {
        if (req.target() != "/v1/messages") return error(404, "not_found_error", "Not Found");
        // A key as x-api-key, or as a bearer token (what Anthropic's SDKs send since API version 2026-10-21).
        if (req.find("x-api-key") == req.end() && req.find(boost::beast::http::field::authorization) == req.end())
            return error(401, "authentication_error", "x-api-key header is required");
        if (req.find("anthropic-version") == req.end()) return error(400, "invalid_request_error", "anthropic-version: header is required");
        agentkit::json::document d;
        d.Parse(req.body().c_str(), req.body().size());
        if (d.HasParseError() || !d.IsObject()) return error(400, "invalid_request_error", "request body is not valid JSON");
        if (!d.HasMember("model") || !d["model"].IsString()) return error(400, "invalid_request_error", "model: Field required");
        if (!d.HasMember("max_tokens") || !d["max_tokens"].IsUint() || d["max_tokens"].GetUint() == 0)
            return error(400, "invalid_request_error", "max_tokens: Field required");
        if (!d.HasMember("messages") || !d["messages"].IsArray() || d["messages"].Empty())
            return error(400, "invalid_request_error", "messages: Field required");
        std::string text;
        for (const auto& m : d["messages"].GetArray()) {
            if (!m.IsObject() || !m.HasMember("role") || !m["role"].IsString() || !m.HasMember("content"))
                return error(400, "invalid_request_error", "messages: each message needs a role and content");
            const std::string role = m["role"].GetString();
            if (role != "user" && role != "assistant")
                return error(400, "invalid_request_error", "messages: Unexpected role \"" + role + "\"");
            if (role == "user") text = last_text(m["content"]);
        }
        std::string tool, args = "{}";
        if (text.starts_with("call ")) {
            const auto rest = text.substr(5);
            const auto sp = rest.find(' ');
            tool = rest.substr(0, sp);
            if (sp != std::string::npos) args = rest.substr(sp + 1);
        }
        const std::string content = text.starts_with("tool said ") ? text : "echo: " + text;
        const bool streamed = d.HasMember("stream") && d["stream"].IsBool() && d["stream"].GetBool();
        if (streamed) return stream(stream_events(content, tool, args));
        return tool.empty() ? message(content) : tool_use(tool, args);
    }

    void serve(std::shared_ptr<tcp::socket> sock) {
        serve_on(*sock);
        boost::system::error_code ec;
        sock->shutdown(tcp::socket::shutdown_both, ec);
        sock->close(ec);
    }

    void serve_on(tcp::socket& stream) {
        namespace bhttp = boost::beast::http;
        boost::beast::flat_buffer buffer;
        for (;;) {
            request req;
            boost::system::error_code ec;
            bhttp::read(stream, buffer, req, ec);
            if (ec) break;
            ++requests_;
            {
                std::lock_guard lock(mutex_);
                bodies_.push_back(req.body());
                header_list h;
                for (const auto& f : req) h.emplace_back(std::string(f.name_string()), std::string(f.value()));
                headers_.push_back(std::move(h));
            }
            server_reply r = next_reply(req);
            if (r.what == server_reply::kind::close || r.what == server_reply::kind::hang) break;
            if (r.what == server_reply::kind::json) {
                bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), 11};
                res.set(bhttp::field::content_type, "application/json");
                for (auto& [k, v] : r.headers) res.set(k, v);
                res.body() = std::move(r.body);
                res.keep_alive(req.keep_alive());
                res.prepare_payload();
                bhttp::write(stream, res, ec);
                if (ec || !req.keep_alive()) break;
                continue;
            }
            // SSE, chunked: one chunk per event.
            bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(r.status), 11};
            res.set(bhttp::field::content_type, "text/event-stream");
            res.set(bhttp::field::cache_control, "no-cache");
            for (auto& [k, v] : r.headers) res.set(k, v);
            res.chunked(true);
            res.keep_alive(req.keep_alive());
            bhttp::response_serializer<bhttp::empty_body> sr{res};
            bhttp::write_header(stream, sr, ec);
            for (const auto& e : r.events) {
                if (ec) break;
                boost::asio::write(stream, bhttp::make_chunk(boost::asio::buffer(e)), ec);
            }
            if (ec || r.cut_short) break;
            boost::asio::write(stream, bhttp::make_chunk_last(), ec);
            if (ec || !req.keep_alive()) break;
        }
    }

    boost::asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::thread io_thread_;
    mutable std::mutex mutex_;
    std::deque<server_reply> queue_;
    std::list<std::thread> threads_;
    std::vector<std::weak_ptr<tcp::socket>> sockets_;
    std::vector<std::string> bodies_;
    std::vector<header_list> headers_;
    std::atomic<std::size_t> requests_{0};
    bool stopped_ = false;
};

}  // namespace agentkit_test
