// TLS of the HTTP transport against a real TLS server on 127.0.0.1 with a certificate made for the test
// (EC P-256, self-signed, subjectAltName IP:127.0.0.1): peer verification is on by default and refuses the
// unknown certificate; trusting it through ca_file makes the same request succeed; verify_peer = false is
// the explicit opt-out.
#include <agentkit/transport/http.hpp>

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

namespace {
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

struct test_certificate {
    std::string cert_pem, key_pem;
};

test_certificate make_certificate() {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
    X509_set_pubkey(x.get(), key.get());
    X509_NAME* name = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("agentkit-test"), -1, -1, 0);
    X509_set_issuer_name(x.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        X509_add_ext(x.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(x.get(), key.get(), EVP_sha256());
    auto to_pem = [](auto write) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
        write(bio.get());
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    return {to_pem([&](BIO* b) { PEM_write_bio_X509(b, x.get()); }),
            to_pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); })};
}

// Serves `connections` TLS connections, one request each, then returns.
class tls_server {
public:
    tls_server(const test_certificate& c, int connections) : ctx_(net::ssl::context::tls_server), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
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
    c.connect_timeout_ms = 5000;
    c.read_timeout_ms = 5000;
    return c;
}
}  // namespace

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
        const auto path = std::filesystem::temp_directory_path() / ("agentkit-tls-" + std::to_string(::getpid()) + ".pem");
        std::ofstream(path) << cert.cert_pem;
        auto c = quick();
        c.ca_file = path.string();  // trust exactly this certificate: the host name (IP SAN) is checked too
        agentkit::transport::http client(c);
        auto res = client.send(get(server.url()));
        std::filesystem::remove(path);
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
