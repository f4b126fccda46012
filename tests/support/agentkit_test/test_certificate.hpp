#pragma once
// A certificate made for a test or benchmark: EC P-256, self-signed, valid for an hour, subjectAltName
// IP:127.0.0.1 (so host-name verification of https://127.0.0.1 passes when a client trusts it). Shared by
// the TLS integration test and the transport benchmark (TLS handshake cost against our own test server).
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

#include <unistd.h>

namespace agentkit_test {

struct test_certificate {
    std::string cert_pem, key_pem;

    // Writes the certificate to a temporary file (what ca_file / NODE_EXTRA_CA_CERTS take); returns its path.
    std::string write_cert_file(const std::string& tag = "cert") const {
        const auto path =
            std::filesystem::temp_directory_path() / ("agentkit-" + tag + "-" + std::to_string(::getpid()) + ".pem");
        std::ofstream(path) << cert_pem;
        return path.string();
    }
};

inline test_certificate make_certificate() {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
    X509_set_pubkey(x.get(), key.get());
    X509_NAME* name = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("agentkit-test"), -1,
                               -1, 0);
    X509_set_issuer_name(x.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
    for (auto [nid, value] :
         {std::pair{NID_subject_alt_name, "IP:127.0.0.1"}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
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

}  // namespace agentkit_test
