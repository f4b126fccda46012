#pragma once
// The rule-based baseline estimator: one token per R characters (Unicode code points), rounded up.
// Fast and allocation-free, and on English prose near enough for budgets with headroom; on code, JSON or
// CJK it can be far off (see docs/policies.md#token-counting for the measured error).
#include <agentkit/core/utf8.hpp>
#include <agentkit/text/token_counter.hpp>

#include <cstddef>
#include <string_view>

namespace agentkit::text {

template <std::size_t R = 4>
struct chars_per_token {
    static_assert(R > 0, "agentkit::text::chars_per_token<R>: R must be at least 1");

    // Code points = bytes that are not UTF-8 continuation bytes (10xxxxxx).
    static constexpr std::size_t code_points(std::string_view text) noexcept {
        std::size_t n = 0;
        for (unsigned char c : text) n += !utf8::is_continuation(c);
        return n;
    }
    constexpr std::size_t count(std::string_view text) const noexcept { return (code_points(text) + R - 1) / R; }

    // Streaming form (token_tally): the running state is the code-point count.
    using state = std::size_t;
    constexpr void measure(std::string_view text, state& s) const noexcept { s += code_points(text); }
    constexpr std::size_t finish(state s) const noexcept { return (s + R - 1) / R; }
};

static_assert(token_counter<chars_per_token<>> && streaming_token_counter<chars_per_token<>>);

}  // namespace agentkit::text
