#pragma once
// Errors: one exception type carrying an error code and, when the fault is in some input, the name of
// the offending field ("messages[3].tool_call_id", "cache.max_entries"), so a user never has to guess.
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace agentkit {

enum class errc {
    invalid_argument = 1,  // a value is out of range or malformed
    parse_error,           // a document (JSON, HTTP, SSE, config, vocabulary) could not be parsed
    not_found,             // a session, key, file or tool does not exist
    io_error,              // the operating system or a database refused
    timeout,               // a deadline passed
    unavailable,           // a dependency is down (circuit open, upstream 5xx)
    rate_limited,          // a rate limiter or upstream 429 said no
    cancelled,             // the caller gave up
    capacity_exceeded,     // a bounded structure is full (queue depth, max size)
};

namespace detail {
class error_category final : public std::error_category {
public:
    const char* name() const noexcept override { return "agentkit"; }
    std::string message(int code) const override {
        switch (static_cast<errc>(code)) {
            case errc::invalid_argument: return "invalid argument";
            case errc::parse_error: return "parse error";
            case errc::not_found: return "not found";
            case errc::io_error: return "I/O error";
            case errc::timeout: return "timed out";
            case errc::unavailable: return "unavailable";
            case errc::rate_limited: return "rate limited";
            case errc::cancelled: return "cancelled";
            case errc::capacity_exceeded: return "capacity exceeded";
        }
        return "unknown agentkit error";
    }
};
}  // namespace detail

inline const std::error_category& error_category() noexcept {
    static const detail::error_category category;
    return category;
}

inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

// The exception agentkit throws. what() reads "agentkit: <field>: <detail>" when a field is known.
class error : public std::runtime_error {
public:
    error(errc code, std::string detail, std::string field = {})
        : std::runtime_error(format(field, detail)), code_(make_error_code(code)), field_(std::move(field)) {}

    const std::error_code& code() const noexcept { return code_; }
    // The input field at fault, empty when the error is not about one field.
    const std::string& field() const noexcept { return field_; }

private:
    static std::string format(std::string_view field, std::string_view detail) {
        std::string s = "agentkit: ";
        if (!field.empty()) s.append(field).append(": ");
        s.append(detail);
        return s;
    }
    std::error_code code_;
    std::string field_;
};

// Shorthand for the common case: a bad value in a named field.
[[noreturn]] inline void throw_invalid_field(std::string field, std::string detail) {
    throw error(errc::invalid_argument, std::move(detail), std::move(field));
}

}  // namespace agentkit

template <>
struct std::is_error_code_enum<agentkit::errc> : std::true_type {};
