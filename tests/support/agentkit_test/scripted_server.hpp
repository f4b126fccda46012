#pragma once
// scripted_server: the HTTP/1.1 server under openai_server and anthropic_server, on 127.0.0.1 (an ephemeral
// port). Real sockets, keep-alive, Content-Length bodies and chunked SSE streams, HTTPS when given a
// test_certificate. Each request is answered by the next queued reply (push()), or, when none is queued, by
// the API's own simulation that the server was built with.
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
#include <cstdint>
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
    std::string body;                    // kind::json (any content type really)
    std::vector<std::string> events;     // kind::sse: each written as one chunk, verbatim ("data: ...\n\n")
    bool cut_short = false;              // kind::sse: close the connection after the events, without the last chunk
    std::chrono::milliseconds delay{0};  // before the response (json) or between events (sse)
};

// What the simulated models read in a user's text "call <tool> <json-args>": the tool (empty when the text
// asks for none) and its arguments.
struct scripted_call {
    std::string tool, args = "{}";
};
inline scripted_call scripted_call_in(const std::string& text) {
    scripted_call c;
    if (!text.starts_with("call ")) return c;
    const auto rest = text.substr(5);
    const auto sp = rest.find(' ');
    c.tool = rest.substr(0, sp);
    if (sp != std::string::npos) c.args = rest.substr(sp + 1);
    return c;
}

class scripted_server {
public:
    using request = bhttp::request<bhttp::string_body>;
    using header_list = std::vector<std::pair<std::string, std::string>>;
    // The answer to a request when no reply is queued.
    using simulation = server_reply (*)(const request&);

    // Plain HTTP, or HTTPS with `tls` (clients trust it through its ca_file).
    explicit scripted_server(simulation simulate, const test_certificate* tls = nullptr)
        : simulate_(simulate), acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        if (tls) {
            tls_ = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
            tls_->use_certificate_chain(boost::asio::buffer(tls->cert_pem));
            tls_->use_private_key(boost::asio::buffer(tls->key_pem), boost::asio::ssl::context::pem);
        }
        port_ = acceptor_.local_endpoint().port();
        accept();
        io_thread_ = std::thread([this] { ioc_.run(); });
    }
    scripted_server(const scripted_server&) = delete;
    scripted_server& operator=(const scripted_server&) = delete;
    ~scripted_server() { stop(); }

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
        std::vector<std::shared_ptr<tcp::socket>> open;  // wake threads blocked in reads
        {
            std::lock_guard lock(mutex_);
            for (auto& w : sockets_)
                if (auto s = w.lock()) open.push_back(s);
        }
        for (auto& s : open) {
            boost::system::error_code ec;
            s->shutdown(tcp::socket::shutdown_both, ec);
        }
        std::list<worker> threads;
        {
            std::lock_guard lock(mutex_);
            threads.swap(threads_);
        }
        for (auto& t : threads) t.thread.join();
    }

    std::uint16_t port() const noexcept { return port_; }
    bool secure() const noexcept { return tls_ != nullptr; }

    void push(server_reply r) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(r));
    }
    std::size_t requests() const { return requests_.load(); }
    std::size_t connections() const { return connections_.load(); }
    // The bodies and headers of the requests, in order (while recording is on).
    std::vector<std::string> bodies() const {
        std::lock_guard lock(mutex_);
        return bodies_;
    }
    std::vector<header_list> headers() const {
        std::lock_guard lock(mutex_);
        return headers_;
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

    server_reply next_reply(const request& req) {
        {
            std::lock_guard lock(mutex_);
            if (!queue_.empty()) {
                auto r = std::move(queue_.front());
                queue_.pop_front();
                return r;
            }
        }
        return simulate_(req);
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
            request req;
            boost::system::error_code ec;
            bhttp::read(stream, buffer, req, ec);
            if (ec) break;
            ++requests_;
            if (record_) {
                std::lock_guard lock(mutex_);
                bodies_.push_back(req.body());
                header_list h;
                for (const auto& f : req) h.emplace_back(std::string(f.name_string()), std::string(f.value()));
                headers_.push_back(std::move(h));
            }
            server_reply r = next_reply(req);
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

    simulation simulate_;
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
    std::vector<header_list> headers_;
    std::atomic<std::size_t> requests_{0}, connections_{0};
    std::atomic<bool> record_{true};
    std::uint64_t release_epoch_ = 0;
    bool stopped_ = false;
};

}  // namespace agentkit_test
