// Fuzzes the HTTP client's response path end to end: a 127.0.0.1 listener answers each request with the
// input bytes and half-closes, and the real transport reads them through send() and through stream().
// Every outcome is a response within the limits or an agentkit::error; anything else (another exception
// type, a crash, a hang) is a finding. Small limits and short timeouts keep each input fast.
#include <agentkit/transport/http.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr std::size_t max_input = 64 * 1024;

// Serves one connection at a time: reads the request, writes the current reply, half-closes and waits
// (bounded) for the client to close. Lives for the whole process.
class canned_server {
public:
    canned_server() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        ::sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (listener_ < 0 || ::bind(listener_, reinterpret_cast<::sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listener_, 16) != 0)
            std::abort();
        ::socklen_t len = sizeof a;
        ::getsockname(listener_, reinterpret_cast<::sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        std::thread([this] { serve(); }).detach();
    }
    std::uint16_t port() const { return port_; }
    void set_reply(std::string_view r) {
        std::lock_guard lock(m_);
        reply_.assign(r);
    }

private:
    static bool wait_readable(int fd, int ms) {
        ::pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, ms) > 0;
    }
    void serve() {
        for (;;) {
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) continue;
            std::string request;
            char buf[4096];
            std::size_t need = std::string::npos;
            while (request.size() < need && wait_readable(fd, 2000)) {
                const auto n = ::recv(fd, buf, sizeof buf, 0);
                if (n <= 0) break;
                request.append(buf, static_cast<std::size_t>(n));
                if (need == std::string::npos) {
                    const auto end = request.find("\r\n\r\n");
                    if (end == std::string::npos) continue;
                    std::size_t length = 0;
                    if (auto at = request.find("Content-Length: "); at != std::string::npos && at < end)
                        length = std::strtoul(request.c_str() + at + 16, nullptr, 10);
                    need = end + 4 + length;
                }
            }
            std::string reply;
            {
                std::lock_guard lock(m_);
                reply = reply_;
            }
            for (std::size_t sent = 0; sent < reply.size();) {
                const auto n = ::send(fd, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
                if (n <= 0) break;
                sent += static_cast<std::size_t>(n);
            }
            ::shutdown(fd, SHUT_WR);
            while (wait_readable(fd, 2000) && ::recv(fd, buf, sizeof buf, 0) > 0) {}
            ::close(fd);
        }
    }

    int listener_ = -1;
    std::uint16_t port_ = 0;
    std::mutex m_;
    std::string reply_;
};

canned_server& server() {
    static canned_server* s = new canned_server;  // never destroyed: its thread outlives main
    return *s;
}

agentkit::transport::http::config small_limits() {
    agentkit::transport::http::config c;
    c.connect_timeout = std::chrono::milliseconds(1000);
    c.read_timeout = std::chrono::milliseconds(500);
    c.total_timeout = std::chrono::milliseconds(2000);
    c.max_header_bytes = 2048;
    c.max_response_bytes = 16 * 1024;
    c.max_streamed_bytes = 16 * 1024;
    c.max_connections_per_host = 1;
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using agentkit::transport::http;
    auto& s = server();
    s.set_reply(std::string_view(reinterpret_cast<const char*>(data), std::min(size, max_input)));
    agentkit::transport::http_request req;
    req.url = "http://127.0.0.1:" + std::to_string(s.port()) + "/v1/chat/completions";
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = "{}";
    const auto cfg = small_limits();
    for (int mode = 0; mode < 2; ++mode) {
        http client(cfg);  // a fresh pool: each exchange gets its own connection to the canned server
        try {
            if (mode == 0) {
                auto res = client.send(req);
                if (res.status < 200 || res.status > 999 || res.body.size() > cfg.max_response_bytes) std::abort();
            } else {
                std::size_t delivered = 0;
                auto res = client.stream(req, [&](std::string_view piece) {
                    delivered += piece.size();
                    return piece.find("[DONE]") != std::string_view::npos ? agentkit::transport::sink_result::stop
                                                                          : agentkit::transport::sink_result::more;
                });
                if (res.status < 200 || res.status > 999 || delivered > cfg.max_streamed_bytes) std::abort();
                if (res.ok() && !res.body.empty()) std::abort();  // a 2xx body goes to the sink only
            }
        } catch (const agentkit::error&) {}
    }
    return 0;
}
