#pragma once
// The standard process_* metrics every Prometheus client exports (and the seeds watch: process_cpu_seconds_total,
// process_resident_memory_bytes), read from Linux /proc at scrape time:
//   process_cpu_seconds_total (counter), process_resident_memory_bytes, process_virtual_memory_bytes,
//   process_start_time_seconds, process_open_fds, process_max_fds (gauges).
//   std::string body = observe::to_prometheus_text(registry);
//   observe::write_process_metrics(body, observe::read_process_stats());
// Reading costs a few system calls (one /proc file each, a directory listing for the fds): call it per scrape,
// not per request. parse_proc_stat is separate (and fuzzed) so a malformed /proc line is an agentkit::error
// (parse_error naming "/proc/self/stat"), never a crash. The /proc files are read with agentkit::read_file, at
// most process_stats_config::max_proc_file_bytes each (capacity_exceeded naming observe.max_proc_file_bytes).
#include <agentkit/core/error.hpp>
#include <agentkit/core/read_file.hpp>
#include <agentkit/observe/prometheus_text.hpp>

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <sys/resource.h>
#include <unistd.h>

namespace agentkit::observe {

struct process_stats {
    double cpu_seconds = 0;         // user + system time
    double resident_bytes = 0;      // RSS
    double virtual_bytes = 0;       // VSZ
    double start_time_seconds = 0;  // Unix time the process started
    double open_fds = 0;
    double max_fds = 0;  // soft RLIMIT_NOFILE
};

// The fields of /proc/<pid>/stat that process_stats needs. `ticks_per_second` (sysconf(_SC_CLK_TCK)),
// `page_size` and `boot_time_seconds` (btime of /proc/stat) convert them. The command name (field 2) may hold
// spaces and parentheses, so fields are counted from the last ')'.
inline process_stats parse_proc_stat(std::string_view stat, double ticks_per_second, double page_size,
                                     double boot_time_seconds) {
    const auto fail = [](const char* what) -> void { throw error(errc::parse_error, what, "/proc/self/stat"); };
    const auto close = stat.rfind(')');
    if (close == std::string_view::npos) fail("no ')' closing the command name");
    if (!(ticks_per_second > 0) || !(page_size > 0)) fail("ticks per second and page size must be positive");
    std::string_view rest = stat.substr(close + 1);
    // Fields after the command name, numbered from 3 (state) as in proc(5).
    std::uint64_t utime = 0, stime = 0, starttime = 0, vsize = 0, rss = 0;
    int field = 2;
    std::size_t i = 0;
    int found = 0;
    while (i < rest.size() && field < 24) {
        while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\n')) ++i;
        if (i == rest.size()) break;
        std::size_t j = i;
        while (j < rest.size() && rest[j] != ' ' && rest[j] != '\n') ++j;
        ++field;
        const std::string_view tok = rest.substr(i, j - i);
        std::uint64_t* target = field == 14 ? &utime
            : field == 15                   ? &stime
            : field == 22                   ? &starttime
            : field == 23                   ? &vsize
            : field == 24                   ? &rss
                                            : nullptr;
        if (target) {
            // rss may be negative on some kernels' accounting races; clamp at 0 rather than fail the scrape.
            std::string_view digits = tok;
            const bool negative = !digits.empty() && digits[0] == '-';
            if (negative) digits.remove_prefix(1);
            const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), *target);
            if (r.ec != std::errc() || r.ptr != digits.data() + digits.size() || digits.empty())
                fail("a numeric field is not a number");
            if (negative) *target = 0;
            ++found;
        }
        i = j;
    }
    if (found != 5) fail("fewer than 24 fields");
    process_stats s;
    s.cpu_seconds = static_cast<double>(utime + stime) / ticks_per_second;
    s.start_time_seconds = boot_time_seconds + static_cast<double>(starttime) / ticks_per_second;
    s.virtual_bytes = static_cast<double>(vsize);
    s.resident_bytes = static_cast<double>(rss) * page_size;
    return s;
}

struct process_stats_config {
    // One /proc file read whole. /proc/self/stat is a few hundred bytes; /proc/stat grows with CPUs and
    // interrupt sources (a few KB on a laptop, some hundred KB on the largest servers).
    std::size_t max_proc_file_bytes = std::size_t{4} << 20;
};

namespace detail {
// A missing or unreadable /proc file is io_error (no /proc: not Linux, or not mounted).
inline std::string read_proc_file(const char* path, std::size_t max_bytes) {
    try {
        return read_file(path, max_bytes, "observe.max_proc_file_bytes");
    } catch (const error& e) {
        if (e.code() == errc::capacity_exceeded || e.code() == errc::io_error) throw;
        throw error(errc::io_error, "cannot open", path);
    }
}
}  // namespace detail

// Reads this process's figures from /proc (Linux). A missing /proc is an agentkit::error (io_error).
inline process_stats read_process_stats(const process_stats_config& c = {}) {
    const std::string stat = detail::read_proc_file("/proc/self/stat", c.max_proc_file_bytes);
    const std::string sys = detail::read_proc_file("/proc/stat", c.max_proc_file_bytes);
    double boot = 0;
    if (const auto at = sys.find("\nbtime "); at != std::string::npos) {
        std::uint64_t v = 0;
        const char* b = sys.data() + at + 7;
        std::from_chars(b, sys.data() + sys.size(), v);
        boot = static_cast<double>(v);
    }
    auto s = parse_proc_stat(stat, static_cast<double>(::sysconf(_SC_CLK_TCK)),
                             static_cast<double>(::sysconf(_SC_PAGESIZE)), boot);
    std::error_code ec;
    std::size_t fds = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++fds;
    s.open_fds = static_cast<double>(fds > 0 ? fds - 1 : 0);  // the listing's own descriptor is not the process's
    rlimit lim{};
    // Unlimited (RLIM_INFINITY) shows as 2^64 - 1, as the Go client shows it.
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0) s.max_fds = static_cast<double>(lim.rlim_cur);
    return s;
}

// Appends the six standard process_* families in the text format 0.0.4.
inline void write_process_metrics(std::string& out, const process_stats& s) {
    const auto family = [&](std::string_view name, std::string_view help, std::string_view type, double v) {
        out += "# HELP ";
        out += name;
        out += ' ';
        out += help;
        out += "\n# TYPE ";
        out += name;
        out += ' ';
        out += type;
        out += '\n';
        out += name;
        out += ' ';
        detail::append_double(out, v);
        out += '\n';
    };
    family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", s.cpu_seconds);
    family("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", s.resident_bytes);
    family("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", s.virtual_bytes);
    family("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge",
           s.start_time_seconds);
    family("process_open_fds", "Number of open file descriptors.", "gauge", s.open_fds);
    family("process_max_fds", "Maximum number of open file descriptors.", "gauge", s.max_fds);
}

}  // namespace agentkit::observe
