#pragma once
// Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. All three date forms a recipient
// must accept are parsed: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form
// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"). Also OpenAI's
// `retry-after-ms` (milliseconds, possibly fractional). Malformed input gives nullopt, never a throw, and
// huge numbers saturate instead of overflowing. No allocation, no regex.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace agentkit::resilience {

namespace detail {
struct cursor {
    std::string_view s;
    std::size_t i = 0;

    bool done() const noexcept { return i >= s.size(); }
    char peek() const noexcept { return done() ? '\0' : s[i]; }
    bool eat(char c) noexcept {
        if (peek() != c) return false;
        ++i;
        return true;
    }
    bool eat(std::string_view word) noexcept {
        if (s.substr(i, word.size()) != word) return false;
        i += word.size();
        return true;
    }
    // Exactly n digits (n <= 9).
    bool digits(int n, int& out) noexcept {
        int v = 0;
        for (int k = 0; k < n; ++k) {
            const char c = peek();
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
            ++i;
        }
        out = v;
        return true;
    }
    // 1 or 2 digits, or a space then 1 digit (asctime pads the day with a space).
    bool day(int& out) noexcept {
        if (eat(' ')) return digits(1, out);
        if (!digits(1, out)) return false;
        const char c = peek();
        if (c >= '0' && c <= '9') {
            out = out * 10 + (c - '0');
            ++i;
        }
        return true;
    }
};

inline bool parse_month(cursor& c, unsigned& month) noexcept {
    static constexpr std::string_view names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (unsigned m = 0; m < 12; ++m)
        if (c.eat(names[m])) {
            month = m + 1;
            return true;
        }
    return false;
}

// "Mon".."Sun" (short) or "Monday".."Sunday" (long, RFC 850).
inline bool parse_day_name(cursor& c, bool long_form) noexcept {
    static constexpr std::string_view shorts[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr std::string_view longs[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                 "Friday", "Saturday", "Sunday"};
    for (int d = 0; d < 7; ++d)
        if (c.eat(long_form ? longs[d] : shorts[d])) return true;
    return false;
}

inline bool parse_time(cursor& c, int& h, int& m, int& s) noexcept {
    return c.digits(2, h) && c.eat(':') && c.digits(2, m) && c.eat(':') && c.digits(2, s) && h <= 23 && m <= 59 &&
        s <= 60;  // 60: a leap second, as RFC 5322 allows
}

inline std::optional<std::chrono::sys_seconds> make_time(int year, unsigned month, int day, int h, int m,
                                                         int s) noexcept {
    using namespace std::chrono;
    const year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                             std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok()) return std::nullopt;
    return sys_days(ymd) + hours(h) + minutes(m) + seconds(s);
}

inline std::string_view trim(std::string_view v) noexcept {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}
}  // namespace detail

// An HTTP-date in any of its three forms; nullopt when malformed (including an impossible date).
inline std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) noexcept {
    detail::cursor c{detail::trim(text)};
    int day = 0, year = 0, h = 0, m = 0, s = 0;
    unsigned month = 0;
    const std::size_t comma = c.s.find(',');
    if (comma == 3) {  // IMF-fixdate
        if (!detail::parse_day_name(c, false) || !c.eat(", ") || !c.digits(2, day) || !c.eat(' ') ||
            !detail::parse_month(c, month) || !c.eat(' ') || !c.digits(4, year) || !c.eat(' ') ||
            !detail::parse_time(c, h, m, s) || !c.eat(" GMT") || !c.done())
            return std::nullopt;
    } else if (comma != std::string_view::npos) {  // RFC 850
        if (!detail::parse_day_name(c, true) || !c.eat(", ") || !c.digits(2, day) || !c.eat('-') ||
            !detail::parse_month(c, month) || !c.eat('-') || !c.digits(2, year) || !c.eat(' ') ||
            !detail::parse_time(c, h, m, s) || !c.eat(" GMT") || !c.done())
            return std::nullopt;
        year += year < 70 ? 2000 : 1900;  // two-digit years: the nearest plausible century
    } else {                              // asctime
        if (!detail::parse_day_name(c, false) || !c.eat(' ') || !detail::parse_month(c, month) || !c.eat(' ') ||
            !c.day(day) || !c.eat(' ') || !detail::parse_time(c, h, m, s) || !c.eat(' ') || !c.digits(4, year) ||
            !c.done())
            return std::nullopt;
    }
    if (s == 60) s = 59;
    return detail::make_time(year, month, day, h, m, s);
}

// The wait a Retry-After value asks for, measured from `now` for an HTTP-date (a date in the past means
// "retry now": zero). Delay-seconds larger than any sane wait saturate at ~292 years instead of wrapping.
inline std::optional<std::chrono::nanoseconds> parse_retry_after(std::string_view value,
                                                                 std::chrono::system_clock::time_point now) noexcept {
    using namespace std::chrono;
    const auto v = detail::trim(value);
    if (v.empty()) return std::nullopt;
    if (v.front() >= '0' && v.front() <= '9') {
        std::int64_t secs = 0;
        for (const char ch : v) {
            if (ch < '0' || ch > '9') return std::nullopt;
            if (secs < 9'000'000'000) secs = secs * 10 + (ch - '0');  // beyond that: saturated
        }
        if (secs > 9'000'000'000) secs = 9'000'000'000;
        return duration_cast<nanoseconds>(seconds(secs));
    }
    const auto date = parse_http_date(v);
    if (!date) return std::nullopt;
    // In seconds first: a date a few centuries away (years 0000-9999 parse) is past int64 nanoseconds.
    const auto now_s = floor<seconds>(now);
    const seconds whole = *date - now_s;
    if (whole <= seconds(0)) return nanoseconds(0);
    if (whole > seconds(9'000'000'000)) return duration_cast<nanoseconds>(seconds(9'000'000'000));  // saturated
    const nanoseconds wait = duration_cast<nanoseconds>(whole) - (now - now_s);
    return wait > nanoseconds(0) ? wait : nanoseconds(0);
}

// OpenAI's `retry-after-ms`: a non-negative decimal number of milliseconds ("1500", "12.5").
inline std::optional<std::chrono::nanoseconds> parse_retry_after_ms(std::string_view value) noexcept {
    const auto v = detail::trim(value);
    if (v.empty()) return std::nullopt;
    std::int64_t whole = 0, frac_ns = 0, scale = 100'000;  // first fractional digit is 100 us
    bool dot = false, any = false;
    for (const char ch : v) {
        if (ch == '.' && !dot) {
            dot = true;
            continue;
        }
        if (ch < '0' || ch > '9') return std::nullopt;
        any = true;
        if (!dot) {
            if (whole < 9'000'000'000'000) whole = whole * 10 + (ch - '0');
        } else if (scale > 0) {
            frac_ns += (ch - '0') * scale;
            scale /= 10;
        }
    }
    if (!any) return std::nullopt;
    if (whole > 9'000'000'000'000) whole = 9'000'000'000'000;
    return std::chrono::nanoseconds(whole * 1'000'000 + frac_ns);
}

}  // namespace agentkit::resilience
