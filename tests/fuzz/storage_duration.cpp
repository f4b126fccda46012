// Fuzzes the seeds' duration strings ("7d", "1h", "250ms") and context-depth names: any input either parses
// or throws agentkit::error naming the field; a parsed duration is never negative.
#include <agentkit/memory/context_depth.hpp>
#include <agentkit/storage/session_pruner.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        if (agentkit::storage::parse_duration(in, "sessions.ttl").count() < 0) std::abort();
    } catch (const agentkit::error& e) {
        if (e.field() != "sessions.ttl") std::abort();
    }
    try {
        (void)agentkit::memory::parse_context_depth(in);
    } catch (const agentkit::error& e) {
        if (e.field() != "prompt.contextDepth") std::abort();
    }
    return 0;
}
