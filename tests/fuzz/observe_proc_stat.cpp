// Fuzzes parse_proc_stat (the /proc/self/stat reader behind the process_* metrics): any input ends in
// process_stats or an agentkit::error, never a crash; parsed figures are finite and non-negative.
#include <agentkit/observe/process_metrics.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        const auto s = agentkit::observe::parse_proc_stat(in, 100.0, 4096.0, 1.7e9);
        for (double v : {s.cpu_seconds, s.resident_bytes, s.virtual_bytes, s.start_time_seconds})
            if (!std::isfinite(v) || v < 0) __builtin_trap();
    } catch (const agentkit::error&) {}
    return 0;
}
