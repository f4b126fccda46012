#pragma once
// Prometheus naming rules and text-format escaping (exposition format 0.0.4):
//   metric names  [a-zA-Z_:][a-zA-Z0-9_:]*
//   label names   [a-zA-Z_][a-zA-Z0-9_]*, and names starting with "__" are reserved for Prometheus itself
//   label values  any UTF-8; in the text format \ " and newline are escaped as \\ \" \n
//   HELP text     any UTF-8; \ and newline are escaped (quotes are not)
// A bad name is an agentkit::error naming the field ("metric.name", "metric.labels[1]"), never a scrape
// that Prometheus rejects later.
#include <agentkit/core/error.hpp>
#include <agentkit/core/utf8.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace agentkit::observe {

namespace detail {
constexpr bool is_name_start(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
constexpr bool is_name_char(char c) noexcept { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Joins message parts with append() (g++ 12 -O3 reports a false -Wrestrict on chains of operator+).
inline std::string concat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto p : parts) out.append(p);
    return out;
}
}  // namespace detail

constexpr bool is_valid_metric_name(std::string_view s) noexcept {
    if (s.empty() || !(detail::is_name_start(s[0]) || s[0] == ':')) return false;
    for (char c : s)
        if (!(detail::is_name_char(c) || c == ':')) return false;
    return true;
}

constexpr bool is_valid_label_name(std::string_view s) noexcept {
    if (s.empty() || !detail::is_name_start(s[0])) return false;
    if (s.size() >= 2 && s[0] == '_' && s[1] == '_') return false;
    for (char c : s)
        if (!detail::is_name_char(c)) return false;
    return true;
}

// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF): the text format requires it.
constexpr bool is_valid_utf8(std::string_view s) noexcept { return utf8::is_valid(s); }

inline void validate_metric_name(std::string_view name, std::string_view field = "metric.name") {
    if (!is_valid_metric_name(name))
        throw_invalid_field(
            std::string(field),
            detail::concat({"'", name, "' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)"}));
}

inline void validate_label_name(std::string_view name, std::string_view field = "metric.label") {
    if (!is_valid_label_name(name))
        throw_invalid_field(std::string(field),
                            detail::concat({"'", name,
                                            "' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, "
                                            "not starting with __)"}));
}

inline void validate_label_value(std::string_view value, std::string_view field = "metric.label_value") {
    if (!is_valid_utf8(value)) throw_invalid_field(std::string(field), "label values must be valid UTF-8");
}

// Appends `value` escaped for a label value: \ -> \\, " -> \", newline -> \n.
inline void append_escaped_label_value(std::string& out, std::string_view value) {
    for (char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
}

// Appends HELP text escaped: \ -> \\, newline -> \n.
inline void append_escaped_help(std::string& out, std::string_view help) {
    for (char c : help) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
}

// The inverse of append_escaped_label_value (for tests, fuzzing and scrapers); a dangling or unknown escape
// is a parse_error naming "label_value".
inline std::string unescape_label_value(std::string_view escaped) {
    std::string out;
    out.reserve(escaped.size());
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        if (escaped[i] != '\\') {
            out += escaped[i];
            continue;
        }
        if (++i == escaped.size()) throw error(errc::parse_error, "dangling backslash", "label_value");
        switch (escaped[i]) {
            case '\\': out += '\\'; break;
            case '"': out += '"'; break;
            case 'n': out += '\n'; break;
            default:
                throw error(errc::parse_error, detail::concat({"unknown escape \\", escaped.substr(i, 1)}),
                            "label_value");
        }
    }
    return out;
}

}  // namespace agentkit::observe
