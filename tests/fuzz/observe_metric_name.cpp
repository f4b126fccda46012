// Fuzzes the observe layer's text handling: Prometheus name validation (checked against a plain restatement
// of the rules), label-value escaping (must round-trip through unescape and never leave a raw newline or an
// unescaped quote), unescaping of arbitrary input (string or agentkit::error, never a crash), and a registry
// fed the input as a label value (rejected with an error unless valid UTF-8; then one exposition line each).
#include <agentkit/observe/prometheus_text.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {
bool reference_metric_name(std::string_view s) {
    if (s.empty()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) return false;
    }
    return true;
}
bool reference_label_name(std::string_view s) {
    if (s.empty() || s.substr(0, 2) == "__") return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) return false;
    }
    return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace obs = agentkit::observe;
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (obs::is_valid_metric_name(in) != reference_metric_name(in)) __builtin_trap();
    if (obs::is_valid_label_name(in) != reference_label_name(in)) __builtin_trap();

    std::string escaped;
    obs::append_escaped_label_value(escaped, in);
    if (escaped.find('\n') != std::string::npos) __builtin_trap();
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        if (escaped[i] == '\\') {
            ++i;  // skip the escaped character
        } else if (escaped[i] == '"') {
            __builtin_trap();
        }
    }
    if (obs::unescape_label_value(escaped) != in) __builtin_trap();
    try {
        (void)obs::unescape_label_value(in);
    } catch (const agentkit::error&) {}

    obs::metric_registry reg;
    auto& c = reg.add_counter("fuzz_inputs", "fuzzed label values", {"value"});
    try {
        c.with({in}).increment();
    } catch (const agentkit::error&) {
        if (obs::is_valid_utf8(in)) __builtin_trap();
        return 0;
    }
    const std::string text = obs::to_prometheus_text(reg);
    std::size_t lines = 0;
    for (char ch : text) lines += ch == '\n';
    if (lines != 3) __builtin_trap();
    return 0;
}
