// Fuzzes the deployment loader: any bytes give a deployment or an agentkit::error, never a crash, a hang or
// another exception; an accepted deployment dumps to JSON that loads back to the same dump. Budget: inputs
// past 256 KiB are skipped (the loader itself takes up to config::max_file_bytes; the fuzzer wants speed).
#include <agentkit/config/load.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 256 * 1024) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto mode : {agentkit::config::unknown_keys::error, agentkit::config::unknown_keys::warn}) {
        std::vector<std::string> warnings;
        try {
            const auto d = agentkit::config::load_deployment(text, {.unknown = mode}, &warnings);
            const std::string dumped = agentkit::config::to_json(d);
            if (agentkit::config::to_json(agentkit::config::load_deployment(dumped)) != dumped) std::abort();
        } catch (const agentkit::error&) {}
    }
    return 0;
}
