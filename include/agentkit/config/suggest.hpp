#pragma once
// "did you mean maxAttempts?": the closest known key to a misspelt one (case-insensitive edit distance,
// at most a third of the key's length), so a typo in a deployment file is named and corrected.
#include <agentkit/core/ascii.hpp>

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::config {

inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            const bool same = ascii::to_lower(a[i - 1]) == ascii::to_lower(b[j - 1]);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0u : 1u)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// The known key nearest to `key`, or empty when none is close enough to be a plausible typo.
inline std::string_view closest_key(std::string_view key, std::span<const std::string_view> known) {
    if (key.size() > 256) return {};  // keys are short; do not spend quadratic time on garbage
    std::string_view best;
    std::size_t best_distance = std::max<std::size_t>(1, std::max(key.size(), std::size_t{3}) / 3) + 1;
    for (auto k : known) {
        const auto d = edit_distance(key, k);
        if (d < best_distance) best = k, best_distance = d;
    }
    return best;
}

}  // namespace agentkit::config
