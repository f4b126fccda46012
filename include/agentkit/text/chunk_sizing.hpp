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

#include <algorithm>
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

// Moving by a number of units over code-point boundaries (fixed windows, overlap, the recursive fast path).
namespace detail {

// Largest code-point boundary p in [pos, end] with measure(doc[pos, p)) <= units.
template <class Sizer>
std::size_t advance_units(const Sizer& sizer, std::string_view doc, std::size_t pos, std::size_t end,
                          std::size_t units) {
    if constexpr (std::is_same_v<Sizer, by_chars>) {
        std::size_t left = units;
        const std::size_t p = utf8::advance_code_points(doc.substr(0, end), pos, left);
        return p;
    } else if constexpr (std::is_same_v<Sizer, by_bytes>) {
        std::size_t p = pos + units < end ? pos + units : end;
        while (p > pos && !utf8::is_boundary(doc, p)) --p;
        return p;
    } else {
        auto fits = [&](std::size_t p) { return sizer.measure(doc.substr(pos, p - pos)) <= units; };
        auto snap = [&](std::size_t p) {
            while (p > pos && !utf8::is_boundary(doc, p)) --p;
            return p;
        };
        auto next_cp = [&](std::size_t p) { return p >= end ? end : std::min(utf8::next_boundary(doc, p), end); };
        // Gallop to a probe that does not fit (invariant: fits(lo)), then bisect between lo and it.
        std::size_t lo = pos, hi = end, step = units > 0 ? units : 1;
        for (;;) {
            std::size_t probe = lo + step >= end ? end : snap(lo + step);
            if (probe <= lo) probe = next_cp(lo);
            if (!fits(probe)) {
                hi = probe;
                break;
            }
            lo = probe;
            if (lo >= end) return end;
            step *= 2;
        }
        for (;;) {
            std::size_t mid = snap(lo + (hi - lo) / 2);
            if (mid <= lo) mid = next_cp(lo);
            if (mid >= hi) break;
            if (fits(mid))
                lo = mid;
            else
                hi = mid;
        }
        return lo;
    }
}

// Smallest code-point boundary p in [floor, end] with measure(doc[p, end)) <= units.
template <class Sizer>
std::size_t retreat_units(const Sizer& sizer, std::string_view doc, std::size_t floor, std::size_t end,
                          std::size_t units) {
    if constexpr (std::is_same_v<Sizer, by_chars>) {
        return utf8::retreat_code_points(doc, floor, end, units);
    } else if constexpr (std::is_same_v<Sizer, by_bytes>) {
        std::size_t p = end - floor > units ? end - units : floor;
        while (p < end && !utf8::is_boundary(doc, p)) ++p;
        return p;
    } else {
        while (floor < end && !utf8::is_boundary(doc, floor)) ++floor;
        std::size_t lo = floor, hi = end;  // measure(hi..end) fits; find the smallest that fits
        if (sizer.measure(doc.substr(lo, end - lo)) <= units) return lo;
        // Invariant: lo does not fit, hi fits. Bisect over the code-point boundaries strictly between them.
        while (hi - lo > 1) {
            const std::size_t half = lo + (hi - lo) / 2;
            std::size_t mid = half;
            while (mid < hi && !utf8::is_boundary(doc, mid)) ++mid;
            if (mid >= hi) {
                mid = half;
                while (mid > lo && !utf8::is_boundary(doc, mid)) --mid;
                if (mid <= lo) break;  // no boundary between lo and hi
            }
            if (sizer.measure(doc.substr(mid, end - mid)) <= units)
                hi = mid;
            else
                lo = mid;
        }
        return hi;
    }
}

}  // namespace detail

}  // namespace agentkit::text
