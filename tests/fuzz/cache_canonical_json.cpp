// Fuzzes canonical_json (the tool-result cache's key normaliser): any input ends in a string or an
// agentkit::error; a canonical form must be a fixed point (canonicalising it again changes nothing).
#include <agentkit/cache/canonical_json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string once;
    try {
        once = agentkit::cache::canonical_json(in);
    } catch (const agentkit::error&) {
        return 0;
    }
    if (agentkit::cache::canonical_json(once) != once) __builtin_trap();
    return 0;
}
