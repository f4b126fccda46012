#pragma once
// What a guarded call reports when it fails, and the outcome type retry, breaker and fallback chain pass
// around: a value or a failure. A failure carries what a classifier needs to decide: an error code
// (agentkit::errc or a system error), the HTTP status when the call was HTTP, the provider's error message
// (matched against non-retryable patterns) and the server's Retry-After, already parsed.
#include <agentkit/core/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace agentkit::resilience {

struct failure {
    std::error_code code{};
    int http_status = 0;  // 0 when the call was not HTTP or no response arrived
    std::string message{};
    std::optional<std::chrono::nanoseconds> retry_after{};

    static failure from_code(std::error_code c, std::string message = {}) {
        return failure{c, 0, std::move(message), std::nullopt};
    }
    static failure from_errc(errc e, std::string message = {}) {
        return from_code(make_error_code(e), std::move(message));
    }
    static failure from_http(int status, std::string message = {},
                             std::optional<std::chrono::nanoseconds> retry_after = std::nullopt) {
        return failure{status == 429 ? make_error_code(errc::rate_limited)
                                     : (status >= 500 ? make_error_code(errc::unavailable)
                                                      : make_error_code(errc::invalid_argument)),
                       status, std::move(message), retry_after};
    }
};

// A value of T or a failure. outcome<void> holds std::monostate on success.
template <class T>
class outcome {
public:
    using value_type = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

    // An empty failure: what co_spawn's completion handler receives when the coroutine threw.
    outcome() : v_(std::in_place_index<1>) {}
    outcome(value_type v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT: implicit by design
    outcome(failure f) : v_(std::in_place_index<1>, std::move(f)) {}     // NOLINT
    static outcome success() requires std::is_void_v<T> { return outcome(std::monostate{}); }

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }
    value_type& value() & {
        if (!has_value()) throw agentkit::error(errc::invalid_argument, "outcome holds a failure: " + error().message);
        return std::get<0>(v_);
    }
    const value_type& value() const& {
        if (!has_value()) throw agentkit::error(errc::invalid_argument, "outcome holds a failure: " + error().message);
        return std::get<0>(v_);
    }
    value_type&& value() && { return std::move(value()); }
    const failure& error() const& { return std::get<1>(v_); }
    failure& error() & { return std::get<1>(v_); }

private:
    std::variant<value_type, failure> v_;
};

template <class O>
struct is_outcome : std::false_type {};
template <class T>
struct is_outcome<outcome<T>> : std::true_type {};

}  // namespace agentkit::resilience
