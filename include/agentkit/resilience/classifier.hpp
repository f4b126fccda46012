#pragma once
// Retry classifiers decide whether a failure is worth another attempt. The default one follows what LLM
// providers do: HTTP 429 and 5xx retry, other 4xx do not; transient error codes (timeouts, unavailable,
// rate limited, connection reset/refused, ...) retry, the rest do not; and a provider message containing a
// non-retryable pattern (`invalid_api_key`, `permission_denied`, ...) never retries, whatever the status.
#include <agentkit/core/error.hpp>
#include <agentkit/resilience/failure.hpp>
#include <agentkit/resilience/pattern_set.hpp>

#include <bitset>
#include <cstdint>
#include <concepts>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace agentkit::resilience {

enum class verdict { retry, stop };

template <class C>
concept retry_classifier = requires(const C& c, const failure& f) {
    { c.classify(f) } -> std::same_as<verdict>;
};

class default_classifier {
public:
    struct config {
        // Substrings of the provider's error message that must never be retried (case-sensitive: they are
        // machine-readable error codes). The seeds' knob nonRetryablePatterns.
        std::vector<std::string> non_retryable_patterns{"invalid_api_key", "permission_denied"};
        // HTTP statuses that retry; empty means the standard set: 429 and 500-599.
        std::vector<int> retryable_statuses{};
    };

    default_classifier() : default_classifier(config{}) {}
    explicit default_classifier(config c) : cfg_(std::move(c)) {
        patterns_ = pattern_set(cfg_.non_retryable_patterns, "retry.non_retryable_patterns");
        if (cfg_.retryable_statuses.empty()) {
            statuses_.set(429);
            for (int s = 500; s < 600; ++s) statuses_.set(static_cast<std::size_t>(s));
        } else {
            for (int s : cfg_.retryable_statuses) {
                if (s < 100 || s > 599)
                    throw_invalid_field("retry.retryable_statuses",
                                        std::string("not an HTTP status: ").append(std::to_string(s)));
                statuses_.set(static_cast<std::size_t>(s));
            }
        }
    }

    const config& configuration() const noexcept { return cfg_; }

    verdict classify(const failure& f) const noexcept {
        if (!f.message.empty() && matches_pattern(f.message)) return verdict::stop;
        if (f.http_status != 0)
            return (f.http_status > 0 && f.http_status < 600 && statuses_.test(static_cast<std::size_t>(f.http_status)))
                ? verdict::retry
                : verdict::stop;
        return transient(f.code) ? verdict::retry : verdict::stop;
    }

    // No regex, no allocation: a vectorised rare-byte-pair scan per pattern (pattern_set.hpp).
    bool matches_pattern(std::string_view message) const noexcept { return patterns_.found_in(message); }

    // Error codes worth another try: the dependency may answer next time.
    static bool transient(const std::error_code& code) noexcept {
        if (!code) return false;
        if (&code.category() == &agentkit::error_category()) {
            switch (static_cast<errc>(code.value())) {
                case errc::timeout:
                case errc::unavailable:
                case errc::rate_limited:
                case errc::io_error: return true;
                default: return false;
            }
        }
        const auto cond = code.default_error_condition();
        if (cond.category() != std::generic_category()) return false;
        switch (static_cast<std::errc>(cond.value())) {
            case std::errc::timed_out:
            case std::errc::connection_refused:
            case std::errc::connection_reset:
            case std::errc::connection_aborted:
            case std::errc::network_down:
            case std::errc::network_unreachable:
            case std::errc::network_reset:
            case std::errc::host_unreachable:
            case std::errc::broken_pipe:
            case std::errc::resource_unavailable_try_again:
            case std::errc::interrupted: return true;
            default: return false;
        }
    }

private:
    config cfg_;
    pattern_set patterns_;
    std::bitset<600> statuses_;
};

// Retries every failure (tests, idempotent internal calls).
struct retry_everything {
    verdict classify(const failure&) const noexcept { return verdict::retry; }
};

static_assert(retry_classifier<default_classifier> && retry_classifier<retry_everything>);

}  // namespace agentkit::resilience
