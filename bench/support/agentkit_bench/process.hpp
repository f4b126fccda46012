#pragma once
// What the simulation programs (bench/sim) read of their own process and of their command line: VmRSS /
// VmHWM, CPU time, the descriptor limit, a numeric flag.
#include <sys/resource.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace agentkit_bench {

// A "<key>: <n> kB" line of /proc/self/status (VmRSS, VmHWM), in KiB; -1 when absent.
inline long status_kb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(key);
    while (std::getline(in, line))
        if (line.compare(0, n, key) == 0) return std::strtol(line.c_str() + n + 1, nullptr, 10);
    return -1;
}

// User + system CPU time of the process so far.
inline double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
        static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Thousands of connections need as many descriptors: the soft limit is raised to the hard one.
inline void raise_descriptor_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

// The value of a numeric flag; `program: flag needs a (positive) number` and exit status 2 when it is
// missing, not a whole number, or 0 where `positive` asks for more.
inline unsigned long flag_number(const char* program, const char* flag, const char* value, bool positive) {
    char* end = nullptr;
    const unsigned long v = value ? std::strtoul(value, &end, 10) : 0;
    if (!value || *value == '\0' || *end != '\0' || (positive && v == 0)) {
        std::fprintf(stderr, "%s: %s needs a %snumber\n", program, flag, positive ? "positive " : "");
        std::exit(2);
    }
    return v;
}

}  // namespace agentkit_bench
