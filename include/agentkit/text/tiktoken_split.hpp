#pragma once
// Hand-written equivalents of tiktoken's pre-tokenizer (split) patterns; no regex engine is involved.
// Each alternative below is matched with the backtracking semantics of the reference (fancy-regex,
// leftmost-first alternation), which the comments spell out where they are not obvious.
//
// cl100k_base:  (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*
//               |\s*[\r\n]+|\s+(?!\S)|\s+
// o200k_base:   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//               |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//               |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// A split policy has  static std::size_t next(const unsigned char* s, std::size_t n, std::size_t i) noexcept
// returning the end of the piece that starts at i (i < n; the result is > i).
#include <agentkit/text/unicode_class.hpp>

#include <cstddef>
#include <string_view>

namespace agentkit::text {

namespace detail {

constexpr unsigned bit(uclass c) noexcept { return 1u << static_cast<unsigned>(c); }

struct split_base {
    // ASCII inline, the rest out of line: the split loop stays small.
    [[gnu::always_inline]] static uchar at(const unsigned char* s, std::size_t n, std::size_t i) noexcept {
        if (s[i] < 0x80) return {static_cast<uclass>(ascii_class[s[i]]), 1};
        return decode_class(s + i, s + n);
    }
    static constexpr bool is_letter(uclass c) noexcept { return c >= uclass::upper && c <= uclass::other_letter; }
    static constexpr bool is_space(uclass c) noexcept { return c >= uclass::space; }
    // [^\s\p{L}\p{N}]
    static constexpr bool is_symbol(uclass c) noexcept { return c == uclass::other || c == uclass::mark; }
    // [^\r\n\p{L}\p{N}]
    static constexpr bool is_prefix(uclass c) noexcept {
        return c == uclass::other || c == uclass::mark || c == uclass::space;
    }

    // (?i:'s|'t|'re|'ve|'m|'ll|'d) at i; returns its length or 0. Case folding of the reference maps 's'
    // to U+017F (LATIN SMALL LETTER LONG S) too.
    static std::size_t contraction(const unsigned char* s, std::size_t n, std::size_t i) noexcept {
        if (i + 1 >= n || s[i] != '\'') return 0;
        const unsigned a = s[i + 1] | 0x20u;
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
        if (s[i + 1] == 0xC5 && i + 2 < n && s[i + 2] == 0xBF) return 3;  // 'ſ
        if (i + 2 < n) {
            const unsigned b = s[i + 2] | 0x20u;
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
        }
        return 0;
    }
    // Bit masks over uclass values: a character class set is one byte, tested with one shift.
    static constexpr unsigned letters = bit(uclass::upper) | bit(uclass::lower) | bit(uclass::other_letter);
    static constexpr unsigned symbols = bit(uclass::other) | bit(uclass::mark);
    static constexpr unsigned upperish = bit(uclass::upper) | bit(uclass::other_letter) | bit(uclass::mark);
    static constexpr unsigned lowerish = bit(uclass::lower) | bit(uclass::other_letter) | bit(uclass::mark);

    // The end of the run of characters in `mask` starting at i; ASCII stays in a tight byte loop.
    static std::size_t run_end(const unsigned char* s, std::size_t n, std::size_t i, unsigned mask) noexcept {
        for (;;) {
            while (i < n && s[i] < 0x80 && ((mask >> ascii_class[s[i]]) & 1u)) ++i;
            if (i >= n || s[i] < 0x80) return i;
            const uchar c = at(s, n, i);
            if (!((mask >> static_cast<unsigned>(c.cls)) & 1u)) return i;
            i += c.len;
        }
    }
    // \p{N}{1,3} starting with the number at i (length first_len).
    static std::size_t digits(const unsigned char* s, std::size_t n, std::size_t i, std::size_t first_len) noexcept {
        std::size_t e = i + first_len;
        for (int k = 0; k < 2 && e < n; ++k) {
            const uchar c = at(s, n, e);
            if (c.cls != uclass::number) break;
            e += c.len;
        }
        return e;
    }
    // The whitespace alternatives \s*[\r\n]+ | \s+(?!\S) | \s+ for the whitespace character at i.
    static std::size_t whitespace(const unsigned char* s, std::size_t n, std::size_t i) noexcept {
        std::size_t e = i, last_start = i, after_newline = 0;
        while (e < n) {
            const uchar c = at(s, n, e);
            if (!is_space(c.cls)) break;
            last_start = e;
            e += c.len;
            if (c.cls == uclass::newline) after_newline = e;
        }
        // \s*[\r\n]+: \s* backtracks to the last newline of the run, [\r\n]+ ends right after it.
        if (after_newline != 0) return after_newline;
        // \s+(?!\S): the whole run at the end of the text, else the run minus its last character.
        if (e == n || last_start == i) return e;  // (second case: \s+ on a single character)
        return last_start;
    }
};

}  // namespace detail

struct cl100k_split : detail::split_base {
    static std::size_t next(const unsigned char* s, std::size_t n, std::size_t i) noexcept {
        const unsigned char b = s[i];
        if (b == '\'') {
            if (const std::size_t k = contraction(s, n, i)) return i + k;
        }
        const uchar c = at(s, n, i);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (is_letter(c.cls)) return run_end(s, n, i + c.len, letters);
        if (is_prefix(c.cls) && i + c.len < n && is_letter(at(s, n, i + c.len).cls))
            return run_end(s, n, i + c.len, letters);
        // \p{N}{1,3}
        if (c.cls == uclass::number) return digits(s, n, i, c.len);
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        std::size_t p = i;
        if (b == ' ' && i + 1 < n && is_symbol(at(s, n, i + 1).cls))
            p = i + 1;
        else if (!is_symbol(c.cls))
            return whitespace(s, n, i);
        p = run_end(s, n, p, symbols);
        while (p < n && (s[p] == '\r' || s[p] == '\n')) ++p;
        return p;
    }
};

struct o200k_split : detail::split_base {
    // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    static constexpr bool is_upperish(uclass c) noexcept {
        return c == uclass::upper || c == uclass::other_letter || c == uclass::mark;
    }
    // U*W+ at p with backtracking: U* takes the longest run; if W+ cannot follow, U* gives back up to
    // its last character that is also in W. Returns 0 when there is no match.
    static std::size_t upper_star_lower_plus(const unsigned char* s, std::size_t n, std::size_t p) noexcept {
        std::size_t q = p, last_both_end = 0;
        while (q < n) {
            const uchar c = at(s, n, q);
            if (!is_upperish(c.cls)) {
                if (c.cls == uclass::lower) return run_end(s, n, q + c.len, lowerish);
                break;
            }
            q += c.len;
            if (c.cls != uclass::upper) last_both_end = q;
        }
        return last_both_end;
    }
    // U+W* at p; 0 when there is no match.
    static std::size_t upper_plus_lower_star(const unsigned char* s, std::size_t n, std::size_t p) noexcept {
        if (p >= n || !is_upperish(at(s, n, p).cls)) return 0;
        const std::size_t q = run_end(s, n, p, upperish);
        return run_end(s, n, q, lowerish);
    }
    static std::size_t with_contraction(const unsigned char* s, std::size_t n, std::size_t e) noexcept {
        return e < n && s[e] == '\'' ? e + contraction(s, n, e) : e;
    }

    static std::size_t next(const unsigned char* s, std::size_t n, std::size_t i) noexcept {
        // Fast path for the most common piece, " word": the space is the optional prefix, U* is empty and
        // W+ starts at the lowercase letter.
        if (s[i] == ' ' && i + 1 < n && static_cast<unsigned>(s[i + 1] - 'a') < 26u)
            return with_contraction(s, n, run_end(s, n, i + 2, lowerish));
        const uchar c = at(s, n, i);
        if (c.cls == uclass::lower) {  // W+ directly (a lowercase letter starts no U run)
            return with_contraction(s, n, run_end(s, n, i + c.len, lowerish));
        }
        const bool prefix = is_prefix(c.cls);
        const bool letterish = is_upperish(c.cls);
        if (prefix || letterish) {
            std::size_t e = 0;
            if (prefix && i + c.len < n) e = upper_star_lower_plus(s, n, i + c.len);
            if (e == 0 && letterish) e = upper_star_lower_plus(s, n, i);
            if (e == 0 && prefix && i + c.len < n) e = upper_plus_lower_star(s, n, i + c.len);
            if (e == 0 && letterish) e = upper_plus_lower_star(s, n, i);
            if (e != 0) return with_contraction(s, n, e);
        }
        // \p{N}{1,3}
        if (c.cls == uclass::number) return digits(s, n, i, c.len);
        // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
        std::size_t p = i;
        if (s[i] == ' ' && i + 1 < n && is_symbol(at(s, n, i + 1).cls))
            p = i + 1;
        else if (!is_symbol(c.cls))
            return whitespace(s, n, i);
        p = run_end(s, n, p, symbols);
        while (p < n && (s[p] == '\r' || s[p] == '\n' || s[p] == '/')) ++p;
        return p;
    }
};

// Calls f(begin, end) for every piece of text, in order.
template <class Split, class F>
void for_each_piece(std::string_view text, F&& f) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const std::size_t e = Split::next(s, n, i);
        f(i, e);
        i = e;
    }
}

}  // namespace agentkit::text
