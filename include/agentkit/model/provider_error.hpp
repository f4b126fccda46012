#pragma once
// A failed model call, classified for the retry machinery: which failures are worth another attempt (429,
// 408, 5xx, timeouts, dropped connections, garbled bodies) and how long the server asked us to wait
// (Retry-After). Everything else (400, 401, 403, 404, ...) fails at once with the server's message.
#include <agentkit/core/error.hpp>

#include <charconv>
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
          status_(http_status), retryable_(retryable), retry_after_(retry_after) {}

    int http_status() const noexcept { return status_; }  // 0 when no HTTP response arrived
    bool retryable() const noexcept { return retryable_; }
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

private:
    int status_;
    bool retryable_;
    std::optional<std::chrono::milliseconds> retry_after_;
};

// Retry-After as delta-seconds ("7", "1.5"); an HTTP-date is treated as absent (the caller's backoff applies).
inline std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.empty()) return std::nullopt;
    double seconds = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
    if (ec != std::errc{} || end != v.data() + v.size() || !(seconds >= 0) || seconds > 86400.0) return std::nullopt;
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

// Maps an HTTP status (and the server's error text) to a provider_error.
inline provider_error error_from_status(int status, std::string message,
                                        std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
    std::string detail = "HTTP " + std::to_string(status) + (message.empty() ? "" : ": " + message);
    if (status == 429) return {errc::rate_limited, std::move(detail), status, true, retry_after};
    if (status == 408) return {errc::timeout, std::move(detail), status, true, retry_after};
    if (status >= 500) return {errc::unavailable, std::move(detail), status, true, retry_after};
    if (status == 404) return {errc::not_found, std::move(detail), status, false};
    return {errc::invalid_argument, std::move(detail), status, false};
}

// Whether an exception from a model call deserves another attempt.
inline bool is_retryable(const std::exception& e) noexcept {
    if (auto* p = dynamic_cast<const provider_error*>(&e)) return p->retryable();
    if (auto* a = dynamic_cast<const error*>(&e)) {
        auto c = static_cast<errc>(a->code().value());
        return c == errc::timeout || c == errc::unavailable || c == errc::rate_limited;
    }
    return false;
}

}  // namespace agentkit::model
