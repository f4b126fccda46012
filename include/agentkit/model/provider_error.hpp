#pragma once
// A failed model call, classified for the retry machinery: which failures are worth another attempt (429,
// 408, 5xx, timeouts, dropped connections, garbled bodies) and how long the server asked us to wait
// (Retry-After). Everything else (400, 401, 403, 404, ...) fails at once with the server's message.
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/failure.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit::model {

class provider_error : public error {
public:
    provider_error(errc code, std::string detail, int http_status = 0, bool retryable = false,
                   std::optional<std::chrono::milliseconds> retry_after = std::nullopt, std::string field = "provider")
        : error(code, std::move(detail), std::move(field)),
          status_(http_status),
          retryable_(retryable),
          retry_after_(retry_after) {}

    int http_status() const noexcept { return status_; }  // 0 when no HTTP response arrived
    bool retryable() const noexcept { return retryable_; }
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

private:
    int status_;
    bool retryable_;
    std::optional<std::chrono::milliseconds> retry_after_;
};

// Maps an HTTP status (and the server's error text) to a provider_error.
inline provider_error error_from_status(int status, std::string message,
                                        std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
    std::string detail =
        std::string("HTTP ").append(std::to_string(status)).append(message.empty() ? "" : ": " + message);
    if (status == 429) return {errc::rate_limited, std::move(detail), status, true, retry_after};
    if (status == 408) return {errc::timeout, std::move(detail), status, true, retry_after};
    if (status >= 500) return {errc::unavailable, std::move(detail), status, true, retry_after};
    if (status == 404) return {errc::not_found, std::move(detail), status, false};
    return {errc::invalid_argument, std::move(detail), status, false};
}

// An error's text without the "agentkit: <field>: " prefix, to re-wrap it without repeating that prefix.
inline std::string detail_of(const error& e) {
    std::string_view w = e.what();
    if (w.starts_with("agentkit: ")) w.remove_prefix(10);
    if (!e.field().empty() && w.starts_with(e.field()) && w.substr(e.field().size()).starts_with(": "))
        w.remove_prefix(e.field().size() + 2);
    return std::string(w);
}

// The resilience layer's view of a provider failure (for retry<...>, circuit breakers, fallback chains).
// Only an error status (>= 400) is passed as http_status; a garbled 2xx body that the provider deems worth
// another attempt (malformed JSON or SSE, a stream cut short) is reported as errc::unavailable, which the
// default classifier retries, with the provider's message kept.
inline resilience::failure to_failure(const provider_error& e) {
    const int status = e.http_status() >= 400 ? e.http_status() : 0;
    std::error_code code = e.code();
    if (status == 0 && e.retryable() && code == make_error_code(errc::parse_error))
        code = make_error_code(errc::unavailable);
    resilience::failure f{code, status, e.what(), std::nullopt};
    if (e.retry_after()) f.retry_after = *e.retry_after();
    return f;
}

}  // namespace agentkit::model
