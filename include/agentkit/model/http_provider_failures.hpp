#pragma once
// How a provider over HTTP turns what went wrong into provider_errors the retry layer can classify; shared by
// every HTTP provider (openai_provider, anthropic_provider), which differ only in their wire format.
//   - unusable_answer: an answer that could not be read. Garbled (parse_error) is retryable: the next attempt
//     usually succeeds. Past a limit (capacity_exceeded naming the knob) is not: it would bring the same answer.
//   - guard_transport / guard_transport_async / transport_failure: a transport failure (timeout, refused or
//     dropped connection) becomes a provider_error, retryable when transient.
//   - retry_after_of: the wait an error response asks for, from `retry-after-ms` or `Retry-After`.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/resilience/retry_after.hpp>
#include <agentkit/transport/http_message.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit::model {

inline provider_error unusable_answer(const error& e, std::string_view what, int status) {
    const bool over_limit = static_cast<errc>(e.code().value()) == errc::capacity_exceeded;
    return provider_error(over_limit ? errc::capacity_exceeded : errc::parse_error,
                          std::string(what).append(detail_of(e)), status, !over_limit, std::nullopt, e.field());
}

// A transport's failure as a provider_error (a cancelled exchange stays errc::cancelled, not retryable).
inline provider_error transport_failure(const error& e) {
    const auto c = static_cast<errc>(e.code().value());
    const bool transient = c == errc::timeout || c == errc::unavailable || c == errc::io_error;
    return provider_error(c, detail_of(e), 0, transient, std::nullopt, e.field().empty() ? "provider" : e.field());
}

template <class F>
transport::http_response guard_transport(F&& f) {
    try {
        return f();
    } catch (const provider_error&) {
        throw;
    } catch (const error& e) {
        throw transport_failure(e);
    }
}

AGENTKIT_COROUTINES_BEGIN
// The same for an exchange that is a coroutine: co_await guard_transport_async(transport_.async_send(req)).
inline boost::asio::awaitable<transport::http_response> guard_transport_async(
    boost::asio::awaitable<transport::http_response> exchange) {
    try {
        co_return co_await std::move(exchange);
    } catch (const provider_error&) {
        throw;
    } catch (const error& e) {
        throw transport_failure(e);
    }
}
AGENTKIT_COROUTINES_END

inline std::optional<std::chrono::milliseconds> retry_after_of(const transport::http_response& res) {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    if (auto ms = res.header("retry-after-ms")) {
        if (auto d = resilience::parse_retry_after_ms(*ms)) return duration_cast<milliseconds>(*d);
    } else if (auto s = res.header("retry-after")) {
        if (auto d = resilience::parse_retry_after(*s, std::chrono::system_clock::now()))
            return duration_cast<milliseconds>(*d);
    }
    return std::nullopt;
}

}  // namespace agentkit::model
