// Fuzzes the incremental SSE parser: any bytes, split at fuzzer-chosen points, must give exactly the events
// of the same bytes fed at once (no crash, no unbounded growth: max_event_bytes is small here).
#include <agentkit/transport/sse_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t step = 1 + data[0] % 17;
    std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto run = [&](std::size_t piece, std::vector<std::string>& out) {
        agentkit::transport::sse_parser p(agentkit::transport::sse_parser::config{.max_event_bytes = 4096});
        try {
            for (std::size_t i = 0; i < body.size(); i += piece)
                p.feed(body.substr(i, piece), [&](const agentkit::transport::sse_event& e) {
                    out.emplace_back(std::string(e.type) + '|' + std::string(e.id) + '|' + std::string(e.data));
                });
        } catch (const agentkit::error&) {
            out.emplace_back("<capacity>");
        }
    };
    std::vector<std::string> whole, pieces;
    run(body.size() ? body.size() : 1, whole);
    run(step, pieces);
    // The capacity error may fire at a different event boundary depending on split; compare only clean runs.
    if ((whole.empty() || whole.back() != "<capacity>") && (pieces.empty() || pieces.back() != "<capacity>") && whole != pieces)
        std::abort();
    return 0;
}
