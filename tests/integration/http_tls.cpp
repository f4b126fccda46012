// TLS of the HTTP transport against a real TLS server on 127.0.0.1 with a certificate made for the test
// (EC P-256, self-signed, subjectAltName IP:127.0.0.1): peer verification is on by default and refuses the
// unknown certificate; trusting it through ca_file makes the same request succeed; verify_peer = false is
// the explicit opt-out.
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>
#include <agentkit_test/openai_server.hpp>
#include <agentkit_test/temp_dir.hpp>
#include <agentkit_test/test_certificate.hpp>

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

namespace integration_http_tls_test {
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

using agentkit_test::make_certificate;
using agentkit_test::test_certificate;

// Serves `connections` TLS connections, one request each, then returns.
class tls_server {
public:
    tls_server(const test_certificate& c, int connections)
        : ctx_(net::ssl::context::tls_server), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
        ctx_.use_certificate_chain(net::buffer(c.cert_pem));
        ctx_.use_private_key(net::buffer(c.key_pem), net::ssl::context::pem);
        thread_ = std::thread([this, connections] {
            for (int i = 0; i < connections; ++i) {
                net::ip::tcp::socket s(ioc_);
                boost::system::error_code ec;
                acceptor_.accept(s, ec);
                if (ec) return;
                net::ssl::stream<net::ip::tcp::socket> tls(std::move(s), ctx_);
                tls.handshake(net::ssl::stream_base::server, ec);
                if (ec) continue;  // the client refused our certificate
                boost::beast::flat_buffer buf;
                bhttp::request<bhttp::string_body> req;
                bhttp::read(tls, buf, req, ec);
                if (ec) continue;
                bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
                res.body() = "secure hello";
                res.keep_alive(false);
                res.prepare_payload();
                bhttp::write(tls, res, ec);
                tls.shutdown(ec);
            }
        });
    }
    ~tls_server() { thread_.join(); }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/"; }

private:
    net::io_context ioc_;
    net::ssl::context ctx_;
    net::ip::tcp::acceptor acceptor_;
    std::thread thread_;
};

agentkit::transport::http_request get(const std::string& url) {
    agentkit::transport::http_request r;
    r.method = "GET";
    r.url = url;
    return r;
}
agentkit::transport::http::config quick() {
    agentkit::transport::http::config c;
    c.connect_timeout = std::chrono::milliseconds(5000);
    c.read_timeout = std::chrono::milliseconds(5000);
    return c;
}

TEST(HttpTls, VerifiesThePeerByDefault) {
    const auto cert = make_certificate();
    tls_server server(cert, 3);
    {
        agentkit::transport::http client(quick());  // verify_peer = true, system CAs: our certificate is unknown
        try {
            client.send(get(server.url()));
            FAIL() << "an unverified certificate was accepted";
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.code(), agentkit::errc::unavailable);
            EXPECT_EQ(e.field(), "http.verify_peer");
            EXPECT_NE(std::string(e.what()).find("certificate verify failed"), std::string::npos) << e.what();
        }
    }
    {
        const agentkit_test::temp_dir scratch("agentkit-tls");
        auto c = quick();
        c.ca_file = scratch.write(
            "ca.pem", cert.cert_pem);  // trust exactly this certificate: the host name (IP SAN) is checked too
        agentkit::transport::http client(c);
        auto res = client.send(get(server.url()));
        EXPECT_EQ(res.status, 200);
        EXPECT_EQ(res.body, "secure hello");
    }
    {
        auto c = quick();
        c.verify_peer = false;  // the explicit opt-out
        agentkit::transport::http client(c);
        EXPECT_EQ(client.send(get(server.url())).body, "secure hello");
    }
}

TEST(HttpTls, TheOpenAiProviderKeepsOneTlsConnectionAlive) {
    const auto cert = make_certificate();
    agentkit_test::openai_server server(cert);
    const auto ca = cert.write_cert_file("tls-keepalive");
    auto c = quick();
    c.ca_file = ca;
    agentkit::model::openai_provider<agentkit::transport::http>::config pc;
    pc.base_url = server.base_url();
    agentkit::model::openai_provider<agentkit::transport::http> p(pc, agentkit::transport::http(c));
    agentkit::model::chat_request r;
    r.messages.push_back(agentkit::message::user("over tls"));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(p.complete(r).reply.content(), "echo: over tls");
    std::string streamed;
    p.stream(r, [&](const agentkit::model::chat_delta& d) { streamed += d.content; });
    EXPECT_EQ(streamed, "echo: over tls");
    EXPECT_EQ(server.connections(), 1u);  // one TLS handshake for four requests
    EXPECT_EQ(p.transport().statistics().connections_reused, 3u);
    std::filesystem::remove(ca);
}

}  // namespace integration_http_tls_test
