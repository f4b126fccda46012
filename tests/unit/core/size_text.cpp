// core/size_text.hpp: byte sizes as the tuning guides write them ("16MB"), binary units, overflow-checked.
#include <agentkit/core/size_text.hpp>

#include <gtest/gtest.h>

#include <string>

namespace size_text_test {

std::string error_of(std::string_view text) {
    try {
        (void)agentkit::parse_size(text, "server.max_request_size");
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.field(), "server.max_request_size");
        return e.what();
    }
    return "(accepted)";
}

TEST(SizeText, ParsesBinaryUnitsCaseInsensitively) {
    EXPECT_EQ(agentkit::parse_size("16MB", "f"), 16u << 20);
    EXPECT_EQ(agentkit::parse_size("64mb", "f"), 64u << 20);
    EXPECT_EQ(agentkit::parse_size("512KiB", "f"), 512u << 10);
    EXPECT_EQ(agentkit::parse_size("2GB", "f"), 2ull << 30);
    EXPECT_EQ(agentkit::parse_size("100", "f"), 100u);
    EXPECT_EQ(agentkit::parse_size("100B", "f"), 100u);
    EXPECT_EQ(agentkit::parse_size("8 MB", "f"), 8u << 20);
}

TEST(SizeText, RefusesWhatIsNotASize) {
    EXPECT_NE(error_of("MB").find("whole number"), std::string::npos);
    EXPECT_NE(error_of("16XB").find("unknown unit"), std::string::npos);
    EXPECT_NE(error_of("-1MB").find("whole number"), std::string::npos);
    EXPECT_NE(error_of("99999999999999999999").find("too large"), std::string::npos);
    EXPECT_NE(error_of("17179869184GB").find("too large"), std::string::npos);
}

TEST(SizeText, FormatsTheShortestExactText) {
    EXPECT_EQ(agentkit::format_size(16u << 20), "16MB");
    EXPECT_EQ(agentkit::format_size(1536), "1536B");
    EXPECT_EQ(agentkit::format_size(2048), "2KB");
    EXPECT_EQ(agentkit::format_size(0), "0B");
    for (std::uint64_t n : {0ull, 1ull, 1024ull, 1500ull, 3ull << 30, 5ull << 20})
        EXPECT_EQ(agentkit::parse_size(agentkit::format_size(n), "f"), n);
}

}  // namespace size_text_test
