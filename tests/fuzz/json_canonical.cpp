// Fuzzes json::canonical (the tool-result cache's key normaliser): any input ends in a string or an
// agentkit::error; a canonical form must be a fixed point (canonicalising it again changes nothing).
#include <agentkit/json/canonical.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string once;
    try {
        once = agentkit::json::canonical(in, "arguments");
    } catch (const agentkit::error&) {
        return 0;
    }
    if (agentkit::json::canonical(once, "arguments") != once) __builtin_trap();
    return 0;
}
