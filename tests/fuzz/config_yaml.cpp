// Fuzzes the YAML reader of deployment files: any bytes give JSON text or an agentkit::error, never a crash,
// a hang, a blow-up or another exception (yaml-cpp's own exceptions included); the JSON text is always valid
// JSON, and whatever the loader accepts dumps to JSON that loads back to the same dump. Inputs past 64 KiB are
// skipped (the reader takes up to config::max_file_bytes; the fuzzer wants speed).
#include <agentkit/config/yaml.hpp>
#include <agentkit/json/document.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 64 * 1024) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // A small expansion budget keeps alias bombs fast while still reaching the limit.
    const agentkit::config::yaml_limits limits{.max_json_bytes = 1u << 20};
    std::string json;
    try {
        json = agentkit::config::yaml_to_json(text, "fuzz.yaml", limits);
    } catch (const agentkit::error&) {
        return 0;
    }
    if (!agentkit::json::is_valid(json)) std::abort();
    try {
        const auto d = agentkit::config::load_deployment(json, {.unknown = agentkit::config::unknown_keys::warn});
        const std::string dumped = agentkit::config::to_json(d);
        if (agentkit::config::to_json(agentkit::config::load_deployment(dumped)) != dumped) std::abort();
    } catch (const agentkit::error&) {}
    return 0;
}
