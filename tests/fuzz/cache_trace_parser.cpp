// Fuzzes the trace parser of `agentkit cache-sim` in every format: the first byte picks the format and
// the chunk size, the rest is fed in chunks. Any input must end in keys or an agentkit::error, never a
// crash, hang or unbounded expansion. Budget: inputs past 64 KiB are skipped, and the parser runs with
// small trace_limits so one input expands to at most 2^20 keys.
#include <agentkit/sim/trace_reader.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr std::size_t max_input = 64 * 1024;
    constexpr agentkit::cache::trace_limits limits{.max_requests = std::uint64_t{1} << 20,
                                                   .max_input_bytes = max_input};
    if (size == 0 || size > max_input) return 0;
    using agentkit::cache::trace_format;
    constexpr trace_format formats[] = {trace_format::keys, trace_format::lirs, trace_format::arc,
                                        trace_format::cache2k, trace_format::u64};
    const auto format = formats[data[0] % 5];
    const std::size_t chunk = 1 + (data[0] >> 3);
    std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    agentkit::cache::trace_parser parser(format, limits);
    std::uint64_t count = 0, sum = 0;
    auto sink = [&](std::uint64_t k) {
        ++count;
        sum += k;
    };
    try {
        while (!in.empty()) {
            parser.feed(in.substr(0, chunk), sink);
            in.remove_prefix(std::min(chunk, in.size()));
        }
        parser.finish(sink);
    } catch (const agentkit::error&) {}
    if (count > limits.max_requests || count != parser.requests()) __builtin_trap();
    return static_cast<int>(sum & 0);
}
