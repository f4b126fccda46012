#pragma once
// Durations as the seeds write them ("7d", "1h", "5m", "30s", "50ms") to and from std::chrono::milliseconds.
// Shared by everything that reads such a setting (sessions.ttl, deployment files). Overflow-checked for
// every unit: a value whose millisecond count does not fit int64 is an error naming the field, never a wrap.
#include <agentkit/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace agentkit {

// Milliseconds per unit suffix; 0 for an unknown suffix.
constexpr std::int64_t duration_unit_ms(std::string_view unit) noexcept {
    if (unit == "ms") return 1;
    if (unit == "s") return 1000;
    if (unit == "m") return 60'000;
    if (unit == "h") return 3'600'000;
    if (unit == "d") return 86'400'000;
    return 0;
}

// "<digits><unit>" -> milliseconds; `field` names the setting in errors.
inline std::chrono::milliseconds parse_duration(std::string_view text, std::string_view field) {
    std::size_t i = 0;
    std::int64_t n = 0;
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        const int digit = text[i++] - '0';
        if (n > (max - digit) / 10)
            throw_invalid_field(std::string(field), std::string("duration '").append(text).append("' is too large"));
        n = n * 10 + digit;
    }
    if (i == 0)
        throw_invalid_field(std::string(field),
                            std::string("duration '")
                                .append(text)
                                .append("' must be a whole number and a unit (ms, s, m, h, d), e.g. \"30s\""));
    const std::int64_t per = duration_unit_ms(text.substr(i));
    if (per == 0)
        throw_invalid_field(std::string(field),
                            std::string("duration '").append(text).append("' needs a unit: ms, s, m, h or d"));
    if (n > max / per)
        throw_invalid_field(std::string(field), std::string("duration '").append(text).append("' is too large"));
    return std::chrono::milliseconds(n * per);
}

// The shortest exact text of a duration: 604800000 ms -> "7d", 50 ms -> "50ms", 90000 ms -> "90s".
inline std::string format_duration(std::chrono::milliseconds d) {
    const std::int64_t ms = d.count();
    if (ms == 0) return "0s";
    struct unit {
        std::int64_t per;
        const char* suffix;
    };
    constexpr unit units[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
    for (const auto& u : units)
        if (ms % u.per == 0) return std::to_string(ms / u.per) + u.suffix;
    return std::to_string(ms) + "ms";
}

}  // namespace agentkit
