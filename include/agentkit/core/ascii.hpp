#pragma once
// ASCII case folding, independent of the C locale (std::tolower also folds bytes >= 0x80 under some
// locales, and takes a lock-free but out-of-line locale lookup per call): for protocol tokens (HTTP header
// names), configuration words and keys, where only A-Z and a-z are letters.
#include <cstddef>
#include <string>
#include <string_view>

namespace agentkit::ascii {

constexpr char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

// Equal but for the case of ASCII letters.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

}  // namespace agentkit::ascii
