#pragma once
// Byte sizes as the tuning guides write them ("16MB", "64MB", "512KB", "2GB") to and from a byte count. The
// units are binary, as in the servers those guides configure: KB = KiB = 1024 bytes, MB = MiB = 1024 KiB,
// GB = GiB = 1024 MiB; "B" or no unit is bytes. Case-insensitive; overflow-checked: a size that does not fit
// 64 bits is an error naming the field, never a wrap.
#include <agentkit/core/ascii.hpp>
#include <agentkit/core/error.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace agentkit {

// Bytes per unit; 0 for an unknown unit.
constexpr std::uint64_t size_unit_bytes(std::string_view unit) noexcept {
    if (unit.empty() || ascii::iequals(unit, "b")) return 1;
    if (ascii::iequals(unit, "kb") || ascii::iequals(unit, "kib") || ascii::iequals(unit, "k")) return 1ull << 10;
    if (ascii::iequals(unit, "mb") || ascii::iequals(unit, "mib") || ascii::iequals(unit, "m")) return 1ull << 20;
    if (ascii::iequals(unit, "gb") || ascii::iequals(unit, "gib") || ascii::iequals(unit, "g")) return 1ull << 30;
    return 0;
}

// "<digits>[unit]" -> bytes; `field` names the setting in errors.
inline std::uint64_t parse_size(std::string_view text, std::string_view field) {
    std::size_t i = 0;
    std::uint64_t n = 0;
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const auto fail = [&](std::string_view why) {
        throw_invalid_field(std::string(field), std::string("size '").append(text).append("' ").append(why));
    };
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        const auto digit = static_cast<std::uint64_t>(text[i++] - '0');
        if (n > (max - digit) / 10) fail("is too large");
        n = n * 10 + digit;
    }
    if (i == 0) fail("must be a whole number and a unit (B, KB, MB, GB), e.g. \"16MB\"");
    std::string_view unit = text.substr(i);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    const std::uint64_t per = size_unit_bytes(unit);
    if (per == 0) fail("has an unknown unit (B, KB, MB, GB)");
    if (n > max / per) fail("is too large");
    return n * per;
}

// The shortest exact text: 16777216 -> "16MB", 1000 -> "1000B".
inline std::string format_size(std::uint64_t bytes) {
    if (bytes != 0 && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "GB";
    if (bytes != 0 && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "MB";
    if (bytes != 0 && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "KB";
    return std::to_string(bytes) + "B";
}

}  // namespace agentkit
