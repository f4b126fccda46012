#include <agentkit/observe/process_metrics.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace observe_process_metrics_test {

namespace obs = agentkit::observe;

// A real /proc/<pid>/stat line whose command name holds spaces and parentheses.
constexpr const char* sample =
    "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 1200 0 3 0 250 150 0 0 20 0 7 0 1000 104857600 2560 "
    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessStatParse, ReadsTheRightFieldsPastACommandWithParentheses) {
    const auto s = obs::parse_proc_stat(sample, 100.0, 4096.0, 1'700'000'000.0);
    EXPECT_DOUBLE_EQ(s.cpu_seconds, 4.0);                     // (250 + 150) ticks / 100
    EXPECT_DOUBLE_EQ(s.start_time_seconds, 1'700'000'010.0);  // btime + 1000 / 100
    EXPECT_DOUBLE_EQ(s.virtual_bytes, 104857600.0);
    EXPECT_DOUBLE_EQ(s.resident_bytes, 2560.0 * 4096.0);
}

TEST(ProcessStatParse, MalformedLinesNameTheFile) {
    for (const char* bad :
         {"", "4242 no paren 1 2 3", "1 (x) S 1 2", "1 (x) S 1 2 3 4 5 6 7 8 9 10 abc 1 2 3 4 5 6 7 8 9 10 11 12"}) {
        try {
            (void)obs::parse_proc_stat(bad, 100.0, 4096.0, 0.0);
            FAIL() << "accepted: " << bad;
        } catch (const agentkit::error& e) {
            EXPECT_EQ(e.code(), agentkit::errc::parse_error);
            EXPECT_EQ(e.field(), "/proc/self/stat");
        }
    }
    EXPECT_THROW((void)obs::parse_proc_stat(sample, 0.0, 4096.0, 0.0), agentkit::error);
}

TEST(ProcessStatRead, ThisProcessHasPlausibleFigures) {
    const auto s = obs::read_process_stats();
    EXPECT_GE(s.cpu_seconds, 0.0);
    EXPECT_GT(s.resident_bytes, 1024.0 * 1024.0);  // a gtest binary is over 1 MiB resident
    EXPECT_GE(s.virtual_bytes, s.resident_bytes);
    EXPECT_GT(s.start_time_seconds, 1.5e9);
    EXPECT_GE(s.open_fds, 3.0);  // stdin, stdout, stderr
    EXPECT_GE(s.max_fds, s.open_fds);
}

TEST(ProcessStatRead, AProcFileOverTheLimitNamesTheKnob) {
    EXPECT_EQ(obs::process_stats_config{}.max_proc_file_bytes, std::size_t{4} << 20);
    try {
        (void)obs::read_process_stats({.max_proc_file_bytes = 16});  // /proc/self/stat is longer than 16 bytes
        FAIL() << "read past the limit";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::capacity_exceeded);
        EXPECT_EQ(e.field(), "observe.max_proc_file_bytes");
    }
}

TEST(ProcessStatRead, AMissingProcFileIsAnIoErrorNamingIt) {
    try {
        (void)obs::detail::read_proc_file("/proc/self/no-such-file", 4096);
        FAIL() << "read a missing file";
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::errc::io_error);
        EXPECT_EQ(e.field(), "/proc/self/no-such-file");
    }
}

TEST(ProcessStatExposition, SixStandardFamilies) {
    std::string out;
    obs::process_stats s{4.0, 1048576.0, 2097152.0, 1.7e9, 12.0, 1024.0};
    obs::write_process_metrics(out, s);
    std::vector<std::string> samples;
    std::size_t start = 0;
    for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1)
        if (out[start] != '#') samples.push_back(out.substr(start, nl - start));
    EXPECT_EQ(samples,
              (std::vector<std::string>{"process_cpu_seconds_total 4", "process_resident_memory_bytes 1048576",
                                        "process_virtual_memory_bytes 2097152", "process_start_time_seconds 1700000000",
                                        "process_open_fds 12", "process_max_fds 1024"}));
    EXPECT_NE(out.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
    EXPECT_NE(out.find("# TYPE process_open_fds gauge\n"), std::string::npos);
}

}  // namespace observe_process_metrics_test
