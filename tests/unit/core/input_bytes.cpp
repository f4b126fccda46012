// input_bytes: a regular file is mapped (same bytes as read_file, no copy), anything else is read; the limit
// and the errors are read_file's.
#include <agentkit/core/read_file.hpp>

#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace core_input_bytes_test {

using agentkit_test::temp_dir;

TEST(InputBytes, RegularFilesAreMappedWithTheSameBytes) {
    temp_dir dir("agentkit_input_bytes");
    std::string text(3 * 4096 + 17, 'a');
    text[5000] = '\0';
    text.back() = '\xff';
    const auto p = dir.write("a.bin", text);
    const auto in = agentkit::input_bytes::file(p, text.size(), "test.max_bytes");
    EXPECT_TRUE(in.mapped());
    EXPECT_EQ(in.view(), text);
    EXPECT_EQ(in.view(), agentkit::read_file(p, text.size(), "test.max_bytes"));
}

TEST(InputBytes, EmptyFileIsAnEmptyView) {
    temp_dir dir("agentkit_input_bytes");
    const auto in = agentkit::input_bytes::file(dir.write("empty", ""), 0, "test.max_bytes");
    EXPECT_TRUE(in.view().empty());
}

TEST(InputBytes, MovedFromLeavesOneOwnerOfTheMapping) {
    temp_dir dir("agentkit_input_bytes");
    const auto p = dir.write("a.txt", "hello mapping");
    auto a = agentkit::input_bytes::file(p, 100, "test.max_bytes");
    auto b = std::move(a);
    EXPECT_EQ(b.view(), "hello mapping");
    auto c = agentkit::input_bytes::file(p, 100, "test.max_bytes");
    c = std::move(b);  // c's own mapping is released, b's moves in
    EXPECT_EQ(c.view(), "hello mapping");
}

TEST(InputBytes, OverTheLimitNamesTheKnobBeforeMapping) {
    temp_dir dir("agentkit_input_bytes");
    const auto p = dir.write("a.txt", std::string(12, 'x'));
    try {
        (void)agentkit::input_bytes::file(p, 11, "--max-bytes");
        ADD_FAILURE() << "no error over the limit";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "--max-bytes");
    }
}

TEST(InputBytes, MissingFileDirectoryAndDevice) {
    temp_dir dir("agentkit_input_bytes");
    try {
        (void)agentkit::input_bytes::file((dir.path / "nope").string(), 10, "k");
        ADD_FAILURE();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::not_found);
    }
    try {
        (void)agentkit::input_bytes::file(dir.path.string(), 10, "k");
        ADD_FAILURE();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::invalid_argument);
    }
    // A device is read, not mapped, and stops at the limit.
    try {
        (void)agentkit::input_bytes::file("/dev/zero", 1000, "k.max");
        ADD_FAILURE();
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "k.max");
    }
}

TEST(InputBytes, StreamsAreRead) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    ASSERT_EQ(::write(fds[1], "piped", 5), 5);
    ::close(fds[1]);
    const auto in = agentkit::input_bytes::stream(fds[0], 100, "k", "(pipe)");
    ::close(fds[0]);
    EXPECT_FALSE(in.mapped());
    EXPECT_EQ(in.view(), "piped");
}

}  // namespace core_input_bytes_test
