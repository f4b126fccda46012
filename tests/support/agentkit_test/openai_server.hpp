#pragma once
// openai_server: a small OpenAI-compatible HTTP server of ours on 127.0.0.1 (an ephemeral port), for the
// integration tests and benchmarks of the HTTP transport and the OpenAI provider. Real sockets, real HTTP/1.1
// with keep-alive, Content-Length and chunked SSE bodies.
//
// Each request is answered by the next queued reply (push()), or, when none is queued, by a deterministic
// simulation of a model: "echo: <last user message>", or a tool call when the last user message says
// "call <tool> <json-args>", streamed as SSE when the request asks for it. Replies can also be failures the
// client must survive: any status with a Retry-After, a connection that hangs, a stream cut short, malformed
// JSON or SSE. Constructed with a test_certificate it speaks HTTPS (TLS through OpenSSL), so the TLS
// handshake's cost can be measured against the same server.
#include <agentkit/model/json.hpp>
#include "test_certificate.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace agentkit_test {

namespace bhttp = boost::beast::http;

struct server_reply {
    enum class kind { json, sse, hang, close } what = kind::json;
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                  // kind::json (any content type really)
    std::vector<std::string> events;   // kind::sse: each written as one chunk, verbatim ("data: ...\n\n")
    bool cut_short = false;            // kind::sse: close the connection after the events, without the last chunk
    std::chrono::milliseconds delay{0};  // before the response (json) or between events (sse)
};

class openai_server {
public:
    openai_server() : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        port_ = acceptor_.local_endpoint().port();
        accept();
        io_thread_ = std::thread([this] { ioc_.run(); });
    }
    // HTTPS with this certificate (clients trust it through ca_file).
    explicit openai_server(const test_certificate& tls)
        : tls_(std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server)),
          acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        tls_->use_certificate_chain(boost::asio::buffer(tls.cert_pem));
        tls_->use_private_key(boost::asio::buffer(tls.key_pem), boost::asio::ssl::context::pem);
        port_ = acceptor_.local_endpoint().port();
        accept();
        io_thread_ = std::thread([this] { ioc_.run(); });
    }
    openai_server(const openai_server&) = delete;
    openai_server& operator=(const openai_server&) = delete;
    ~openai_server() { stop(); }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            if (stopped_) return;
            stopped_ = true;
        }
        released_.notify_all();
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
        std::list<worker> threads;
        {
            std::lock_guard lock(mutex_);
            threads.swap(threads_);
        }
        for (auto& t : threads) t.thread.join();
    }

    std::uint16_t port() const noexcept { return port_; }
    std::string base_url() const { return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(port_) + "/v1"; }

    void push(server_reply r) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(r));
    }
    std::size_t requests() const { return requests_.load(); }
    std::size_t connections() const { return connections_.load(); }
    std::vector<std::string> bodies() const {
        std::lock_guard lock(mutex_);
        return bodies_;
    }
    void record_bodies(bool on) { record_ = on; }
    // Ends every hanging reply now (tests that hang a request release it before stopping).
    void release() {
        {
            std::lock_guard lock(mutex_);
            ++release_epoch_;
        }
        released_.notify_all();
    }

    // ---- replies ------------------------------------------------------------------------------------------
    static std::string completion_json(const std::string& content, const std::string& tool = {},
                                       const std::string& args = "{}", std::uint64_t prompt = 10, std::uint64_t completion = 5) {
        agentkit::json::string_buffer sb;
        agentkit::json::writer w(sb);
        w.StartObject();
        w.Key("id"); w.String("chatcmpl-test");
        w.Key("object"); w.String("chat.completion");
        w.Key("model"); w.String("test-model");
        w.Key("choices"); w.StartArray(); w.StartObject();
        w.Key("index"); w.Uint(0);
        w.Key("message"); w.StartObject();
        w.Key("role"); w.String("assistant");
        w.Key("content");
        if (tool.empty()) agentkit::json::write_string(w, content); else w.Null();
        if (!tool.empty()) {
            w.Key("tool_calls"); w.StartArray(); w.StartObject();
            w.Key("id"); w.String("call_1");
            w.Key("type"); w.String("function");
            w.Key("function"); w.StartObject();
            w.Key("name"); agentkit::json::write_string(w, tool);
            w.Key("arguments"); agentkit::json::write_string(w, args);
            w.EndObject(); w.EndObject(); w.EndArray();
        }
        w.EndObject();
        w.Key("finish_reason"); w.String(tool.empty() ? "stop" : "tool_calls");
        w.EndObject(); w.EndArray();
        w.Key("usage"); w.StartObject();
        w.Key("prompt_tokens"); w.Uint64(prompt);
        w.Key("completion_tokens"); w.Uint64(completion);
        w.Key("total_tokens"); w.Uint64(prompt + completion);
        w.EndObject();
        w.EndObject();
        return sb.GetString();
    }
    static server_reply chat(const std::string& content) { return {server_reply::kind::json, 200, {}, completion_json(content), {}, false, {}}; }
    static server_reply tool_call(const std::string& tool, const std::string& args) {
        return {server_reply::kind::json, 200, {}, completion_json("", tool, args), {}, false, {}};
    }
    static server_reply status(int code, const std::string& message, const std::string& retry_after = {}) {
        server_reply r{server_reply::kind::json, code, {}, R"({"error":{"message":")" + message + R"(","type":"test","code":"test_error"}})", {}, false, {}};
        if (!retry_after.empty()) r.headers.emplace_back("Retry-After", retry_after);
        return r;
    }
    static server_reply raw(int code, std::string body) { return {server_reply::kind::json, code, {}, std::move(body), {}, false, {}}; }
    static server_reply hang() { return {server_reply::kind::hang, 200, {}, {}, {}, false, {}}; }
    static server_reply close_now() { return {server_reply::kind::close, 200, {}, {}, {}, false, {}}; }
    // The SSE events of a streamed completion: content in pieces, or a tool call in two argument deltas.
    static std::vector<std::string> stream_events(const std::string& content, const std::string& tool = {},
                                                  const std::string& args = "{}", std::size_t piece = 6) {
        std::vector<std::string> ev;
        auto data = [&](const std::string& json) { ev.push_back("data: " + json + "\n\n"); };
        auto esc = [](const std::string& s) {
            agentkit::json::string_buffer sb;
            agentkit::json::writer w(sb);
            agentkit::json::write_string(w, s);
            return std::string(sb.GetString());
        };
        const std::string head = R"({"id":"chatcmpl-test","object":"chat.completion.chunk","model":"test-model","choices":[{"index":0,"delta":)";
        data(head + R"({"role":"assistant","content":""},"finish_reason":null}]})");
        if (tool.empty()) {
            for (std::size_t i = 0; i < content.size(); i += piece)
                data(head + R"({"content":)" + esc(content.substr(i, piece)) + R"(},"finish_reason":null}]})");
        } else {
            const auto half = args.size() / 2;
            data(head + R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":)" + esc(tool) +
                 R"(,"arguments":)" + esc(args.substr(0, half)) + R"(}}]},"finish_reason":null}]})");
            data(head + R"({"tool_calls":[{"index":0,"function":{"arguments":)" + esc(args.substr(half)) +
                 R"(}}]},"finish_reason":null}]})");
        }
        data(head + R"({},"finish_reason":")" + std::string(tool.empty() ? "stop" : "tool_calls") + R"("}]})");
        data(R"({"id":"chatcmpl-test","object":"chat.completion.chunk","model":"test-model","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}})");
        ev.push_back("data: [DONE]\n\n");
        return ev;
    }
    static server_reply stream(std::vector<std::string> events, bool cut_short = false, std::chrono::milliseconds gap = {}) {
        return {server_reply::kind::sse, 200, {}, {}, std::move(events), cut_short, gap};
    }

private:
    using tcp = boost::asio::ip::tcp;

    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if (ec) return;  // closed
            auto sock = std::make_shared<tcp::socket>(std::move(s));
            boost::system::error_code nodelay_ec;
            sock->set_option(tcp::no_delay(true), nodelay_ec);  // SSE chunks go out at once, as real servers do
            {
                std::lock_guard lock(mutex_);
                if (stopped_) return;
                ++connections_;
                std::erase_if(sockets_, [](const auto& w) { return w.expired(); });
                sockets_.push_back(sock);
                for (auto it = threads_.begin(); it != threads_.end();) {  // reap finished connection threads
                    if (it->done->load()) {
                        it->thread.join();
                        it = threads_.erase(it);
                    } else {
                        ++it;
                    }
                }
                auto done = std::make_shared<std::atomic<bool>>(false);
                threads_.push_back({std::thread([this, sock, done] {
                                        serve(sock);
                                        done->store(true);
                                    }),
                                    done});
            }
            accept();
        });
    }

    server_reply next_reply(const std::string& body) {
        {
            std::lock_guard lock(mutex_);
            if (!queue_.empty()) {
                auto r = std::move(queue_.front());
                queue_.pop_front();
                return r;
            }
        }
        return simulate(body);
    }

    // The default behaviour: a deterministic little model.
    static server_reply simulate(const std::string& body) {
        agentkit::json::document d;
        d.Parse(body.c_str(), body.size());
        if (d.HasParseError() || !d.IsObject()) return status(400, "request body is not JSON");
        if (d.HasMember("input")) {  // embeddings
            std::string out = R"({"object":"list","data":[)";
            const auto& in = d["input"];
            for (rapidjson::SizeType i = 0; in.IsArray() && i < in.Size(); ++i) {
                const auto len = in[i].IsString() ? in[i].GetStringLength() : 0;
                out += (i ? "," : "") + std::string(R"({"object":"embedding","index":)") + std::to_string(i) +
                       R"(,"embedding":[)" + std::to_string(len) + ",0.5,-1]}";
            }
            return raw(200, out + R"(],"model":"test-embed","usage":{"prompt_tokens":1,"total_tokens":1}})");
        }
        std::string last_user, last_role;
        if (d.HasMember("messages") && d["messages"].IsArray()) {
            for (const auto& m : d["messages"].GetArray()) {
                if (!m.IsObject() || !m.HasMember("role") || !m["role"].IsString()) continue;
                last_role = m["role"].GetString();
                if (last_role == "user" && m.HasMember("content") && m["content"].IsString()) last_user = m["content"].GetString();
                if (last_role == "tool" && m.HasMember("content") && m["content"].IsString()) last_user = "tool said " + std::string(m["content"].GetString());
            }
        }
        std::string tool, args = "{}";
        if (last_role == "user" && last_user.starts_with("call ")) {
            const auto rest = last_user.substr(5);
            const auto sp = rest.find(' ');
            tool = rest.substr(0, sp);
            if (sp != std::string::npos) args = rest.substr(sp + 1);
        }
        const std::string content = last_role == "tool" ? last_user : "echo: " + last_user;
        const bool streamed = d.HasMember("stream") && d["stream"].IsBool() && d["stream"].GetBool();
        if (streamed) return stream(stream_events(content, tool, args));
        return tool.empty() ? chat(content) : tool_call(tool, args);
    }

    void serve(std::shared_ptr<tcp::socket> sock) {
        if (tls_) {
            boost::asio::ssl::stream<tcp::socket&> stream(*sock, *tls_);
            boost::system::error_code ec;
            stream.handshake(boost::asio::ssl::stream_base::server, ec);
            if (!ec) serve_on(stream);  // no TLS close_notify: the client may be gone; the socket closes below
        } else {
            serve_on(*sock);
        }
        boost::system::error_code ec;
        sock->shutdown(tcp::socket::shutdown_both, ec);
        sock->close(ec);
    }

    template <class Stream>
    void serve_on(Stream& stream) {
        boost::beast::flat_buffer buffer;
        for (;;) {
            bhttp::request<bhttp::string_body> req;
            boost::system::error_code ec;
            bhttp::read(stream, buffer, req, ec);
            if (ec) break;
            ++requests_;
            if (record_) {
                std::lock_guard lock(mutex_);
                bodies_.push_back(req.body());
            }
            server_reply r = next_reply(req.body());
            if (r.what == server_reply::kind::close) break;
            if (r.what == server_reply::kind::hang) {
                std::unique_lock lock(mutex_);
                const auto epoch = release_epoch_;
                released_.wait(lock, [&] { return stopped_ || release_epoch_ != epoch; });
                break;
            }
            if (r.delay.count() && r.what == server_reply::kind::json) std::this_thread::sleep_for(r.delay);
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
                if (r.delay.count()) std::this_thread::sleep_for(r.delay);
                boost::asio::write(stream, bhttp::make_chunk(boost::asio::buffer(e)), ec);
            }
            if (ec || r.cut_short) break;
            boost::asio::write(stream, bhttp::make_chunk_last(), ec);
            if (ec || !req.keep_alive()) break;
        }
    }

    std::unique_ptr<boost::asio::ssl::context> tls_;  // null: plain HTTP
    boost::asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::thread io_thread_;
    mutable std::mutex mutex_;
    std::condition_variable released_;
    std::deque<server_reply> queue_;
    struct worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::list<worker> threads_;
    std::vector<std::weak_ptr<tcp::socket>> sockets_;
    std::vector<std::string> bodies_;
    std::atomic<std::size_t> requests_{0}, connections_{0};
    std::atomic<bool> record_{true};
    std::uint64_t release_epoch_ = 0;
    bool stopped_ = false;
};

}  // namespace agentkit_test
