#pragma once
// Glob matching for invalidation patterns ("*authentication*", "tool:search:?"): `*` matches any run of
// characters, `?` one character, everything else itself. Iterative with one backtrack point, so it is
// linear in practice and never recursive (no stack blow-up on hostile patterns).
#include <cstddef>
#include <string_view>

namespace agentkit::cache {

constexpr bool glob_match(std::string_view pattern, std::string_view text) noexcept {
    std::size_t p = 0, t = 0;
    std::size_t star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

}  // namespace agentkit::cache
