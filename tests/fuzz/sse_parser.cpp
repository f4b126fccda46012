// Fuzzes the incremental SSE parser: any bytes, split at fuzzer-chosen points, must give exactly the events
// of the same bytes fed at once, and hit the size limit (max_event_bytes, small here) at the same event
// whatever the split. Budgets: inputs past max_input are cut; the parser's memory is bounded by the limit.
#include <agentkit/transport/sse_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {
constexpr std::size_t max_input = 1u << 20;
constexpr std::size_t max_event_bytes = 256;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    if (size > max_input) size = max_input;
    const std::size_t step = 1 + data[0] % 17;
    std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto run = [&](std::size_t piece, std::vector<std::string>& out) {
        agentkit::transport::sse_parser p(agentkit::transport::sse_parser::config{.max_event_bytes = max_event_bytes});
        try {
            for (std::size_t i = 0; i < body.size(); i += piece)
                p.feed(body.substr(i, piece), [&](const agentkit::transport::sse_event& e) {
                    // What the parser held for the event; "message" is the default type, not held.
                    const std::size_t type_bytes = e.type == "message" ? 0 : e.type.size();
                    if (e.data.size() + type_bytes + e.id.size() > max_event_bytes) std::abort();
                    out.emplace_back(std::string(e.type) + '|' + std::string(e.id) + '|' + std::string(e.data));
                });
        } catch (const agentkit::error& e) {
            if (e.code() != agentkit::errc::capacity_exceeded || e.field() != "sse.max_event_bytes") std::abort();
            out.emplace_back("<capacity>");
        }
    };
    std::vector<std::string> whole, pieces;
    run(body.size() ? body.size() : 1, whole);
    run(step, pieces);
    if (whole != pieces) std::abort();
    return 0;
}
