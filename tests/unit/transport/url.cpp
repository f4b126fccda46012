#include <agentkit/transport/url.hpp>

#include <gtest/gtest.h>

using agentkit::transport::parse_url;

TEST(Url, SplitsHttpAndHttps) {
    auto a = parse_url("https://api.openai.com/v1/chat/completions");
    EXPECT_TRUE(a.tls);
    EXPECT_EQ(a.host, "api.openai.com");
    EXPECT_EQ(a.port, 443);
    EXPECT_EQ(a.target, "/v1/chat/completions");
    EXPECT_EQ(a.origin(), "https://api.openai.com:443");
    auto b = parse_url("http://127.0.0.1:8080");
    EXPECT_EQ(b.port, 8080);
    EXPECT_EQ(b.target, "/");
    auto c = parse_url("http://[::1]:9000/x?y=1#frag");
    EXPECT_EQ(c.host, "::1");
    EXPECT_EQ(c.target, "/x?y=1");
    EXPECT_EQ(parse_url("http://h?q").target, "/?q");
    auto d = parse_url("http://[::1]:8080/x");
    EXPECT_EQ(d.host, "::1");
    EXPECT_EQ(d.port, 8080);
    EXPECT_EQ(d.target, "/x");
}

TEST(Url, HostHeaderCarriesANonDefaultPortAndBracketsIpv6) {
    EXPECT_EQ(parse_url("http://[::1]:8080/x").host_header(), "[::1]:8080");
    EXPECT_EQ(parse_url("http://[::1]:8080/x").origin(), "http://[::1]:8080");
    EXPECT_EQ(parse_url("http://[::1]/").host_header(), "[::1]");
    EXPECT_EQ(parse_url("http://127.0.0.1:8080/").host_header(), "127.0.0.1:8080");
    EXPECT_EQ(parse_url("http://example.com:80/").host_header(), "example.com");
    EXPECT_EQ(parse_url("https://example.com/").host_header(), "example.com");
    EXPECT_EQ(parse_url("https://example.com:80/").host_header(), "example.com:80");
    EXPECT_EQ(parse_url("http://example.com:443/").host_header(), "example.com:443");
}

TEST(Url, RejectsWhatIsNotAnHttpUrl) {
    for (const char* bad : {"ftp://x/", "http://", "http://:80/", "http://h:0/", "http://h:65536/", "http://h:8a/",
                            "http://user@h/", "http://[::1/", "http://h/a b", "localhost:8080", "http://::1:80/",
                            "http://h/a\x7f", "http://[::1]]:80/", "http://h\r\nX: y/"}) {
        try {
            parse_url(bad, "base_url");
            ADD_FAILURE() << bad;
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.field(), "base_url") << bad;
        }
    }
}
