#pragma once
// Sizing units of the chunkers, as policies: by_chars (code points), by_utf16 (UTF-16 code units, i.e.
// JavaScript's String.length, for exact LangChain parity on emoji), by_bytes, and by_tokens<Counter> over any
// text::token_counter (heuristic or exact BPE). The unit is a template parameter of the chunk view, so each
// path compiles to its own loop with no branch on the unit.
//
// `additive` says measure(a + b) == measure(a) + measure(b) for texts cut at code-point boundaries; chunkers use
// it to derive a chunk's size from its pieces instead of measuring it again.
#include <agentkit/text/chunk_utf8.hpp>
#include <agentkit/text/token_counter.hpp>

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

namespace agentkit::text {

template <class S>
concept chunk_sizer = std::copy_constructible<S> && requires(const S& sizer, std::string_view text) {
    { sizer.measure(text) } -> std::convertible_to<std::size_t>;
    { S::additive } -> std::convertible_to<bool>;
};

struct by_chars {
    static constexpr bool additive = true;
    static constexpr std::string_view name = "chars";
    std::size_t measure(std::string_view text) const noexcept { return utf8::count_code_points(text); }
};

struct by_utf16 {
    static constexpr bool additive = true;
    static constexpr std::string_view name = "utf16";
    std::size_t measure(std::string_view text) const noexcept { return utf8::count_utf16_units(text); }
};

struct by_bytes {
    static constexpr bool additive = true;
    static constexpr std::string_view name = "bytes";
    std::size_t measure(std::string_view text) const noexcept { return text.size(); }
};

// Tokens as counted by Counter. Counter is held by value: pass a cheap handle (an estimator, or a counter
// that refers to a shared vocabulary). Pieces are measured with count(); see the policies doc for cost.
template <token_counter Counter>
struct by_tokens {
    static constexpr bool additive = false;
    static constexpr std::string_view name = "tokens";
    [[no_unique_address]] Counter counter{};
    std::size_t measure(std::string_view text) const { return static_cast<std::size_t>(counter.count(text)); }
};

template <class Counter>
by_tokens(Counter) -> by_tokens<Counter>;

}  // namespace agentkit::text
