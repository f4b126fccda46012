// read_file / read_stream: the limit is checked before anything large is allocated, devices and pipes are
// read in pieces up to the same limit, and every error names the knob or the (escaped) path.
#include <agentkit/core/read_file.hpp>

#include <agentkit_test/error_of.hpp>
#include <agentkit_test/temp_dir.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

// Everything in one namespace named after the file (the layer may be built as one unity executable).
namespace core_read_file_test {

namespace {
using agentkit_test::error_of;

struct temp_dir : agentkit_test::temp_dir {
    temp_dir() : agentkit_test::temp_dir("agentkit_read_file") {}
};
}  // namespace

TEST(ReadFile, ReadsWholeFilesUpToTheLimit) {
    temp_dir dir;
    const auto p = dir.write("a.txt", "hello\nworld");
    EXPECT_EQ(agentkit::read_file(p, 11, "test.max_bytes"), "hello\nworld");
    EXPECT_EQ(agentkit::read_file(dir.write("empty", ""), 0, "test.max_bytes"), "");
    const std::string binary("a\0b\xff", 4);
    EXPECT_EQ(agentkit::read_file(dir.write("bin", binary), 100, "test.max_bytes"), binary);
}

TEST(ReadFile, OverTheLimitNamesTheKnob) {
    temp_dir dir;
    const auto p = dir.write("a.txt", std::string(12, 'x'));
    const auto e = error_of([&] { agentkit::read_file(p, 11, "tokens.max_bytes"); });
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "tokens.max_bytes");
    EXPECT_NE(std::string(e.what()).find("larger than 11 bytes"), std::string::npos) << e.what();
}

TEST(ReadFile, DevZeroHitsTheLimitInsteadOfMemory) {
    const auto e = error_of([] { agentkit::read_file("/dev/zero", 1 << 20, "test.max_bytes"); });
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "test.max_bytes");
    EXPECT_EQ(agentkit::read_file("/dev/null", 10, "test.max_bytes"), "");
}

TEST(ReadStream, PipesAreReadInPiecesUpToTheLimit) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::string payload(300 * 1024, 'p');  // more than one 64 KiB piece and more than the pipe buffer
    std::thread writer([&] {
        std::size_t off = 0;
        while (off < payload.size()) {
            const ssize_t n = ::write(fds[1], payload.data() + off, payload.size() - off);
            if (n <= 0) break;
            off += static_cast<std::size_t>(n);
        }
        ::close(fds[1]);
    });
    EXPECT_EQ(agentkit::read_stream(fds[0], payload.size(), "test.max_bytes", "(pipe)"), payload);
    writer.join();
    ::close(fds[0]);

    ASSERT_EQ(::pipe(fds), 0);
    const auto old_handler = std::signal(SIGPIPE, SIG_IGN);
    std::thread big([&] {
        // The reader gives up at the limit; the next write then fails with EPIPE.
        const std::string chunk(4096, 'q');
        for (int i = 0; i < 64; ++i)
            if (::write(fds[1], chunk.data(), chunk.size()) <= 0) break;
        ::close(fds[1]);
    });
    const auto e = error_of([&] { agentkit::read_stream(fds[0], 10000, "config.max_file_bytes", "(stdin)"); });
    ::close(fds[0]);
    big.join();
    std::signal(SIGPIPE, old_handler);
    EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
    EXPECT_EQ(e.field(), "config.max_file_bytes");
    EXPECT_NE(std::string(e.what()).find("(stdin) is larger than 10000 bytes"), std::string::npos) << e.what();
}

TEST(ReadFile, MissingFileAndDirectory) {
    temp_dir dir;
    auto e = error_of([&] { agentkit::read_file((dir.path / "nope").string(), 100, "test.max_bytes"); });
    EXPECT_EQ(e.code(), agentkit::errc::not_found);
    EXPECT_EQ(e.field(), (dir.path / "nope").string());
    e = error_of([&] { agentkit::read_file((dir.path / "nope" / "deeper").string(), 100, "test.max_bytes"); });
    EXPECT_EQ(e.code(), agentkit::errc::not_found);
    e = error_of([&] { agentkit::read_file(dir.path.string(), 100, "test.max_bytes"); });
    EXPECT_EQ(e.code(), agentkit::errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("directory"), std::string::npos) << e.what();
}

TEST(ReadFile, PathsInErrorsHaveControlBytesEscaped) {
    temp_dir dir;
    const std::string hostile = (dir.path / "a\x1b]0;title\x07\x1b[2Jb\n").string();
    const auto e = error_of([&] { agentkit::read_file(hostile, 100, "test.max_bytes"); });
    const std::string what = e.what();
    EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
    EXPECT_EQ(what.find('\x07'), std::string::npos) << what;
    EXPECT_NE(what.find("a\\x1b]0;title\\x07\\x1b[2Jb\\x0a"), std::string::npos) << what;
    EXPECT_EQ(e.field().find('\x1b'), std::string::npos);
}

TEST(Printable, EscapesControlsAndBrokenUtf8KeepsTheRest) {
    using agentkit::printable;
    EXPECT_EQ(printable("plain text / 123"), "plain text / 123");
    EXPECT_EQ(printable(std::string("\0\t\x7f", 3)), "\\x00\\x09\\x7f");
    EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
              "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");  // valid UTF-8 stays
    EXPECT_EQ(printable("\x9b"
                        "31m"),
              "\\x9b31m");  // a raw 8-bit CSI
    EXPECT_EQ(printable("\xc2\x9b"
                        "31m"),
              "\\xc2\\x9b31m");                               // the same, UTF-8 encoded (U+009B)
    EXPECT_EQ(printable("\xff\xc3"), "\\xff\\xc3");           // invalid lead, truncated sequence
    EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");           // overlong
    EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
    EXPECT_EQ(agentkit::printable("x\x1by"), "x\\x1by");
}

}  // namespace core_read_file_test
