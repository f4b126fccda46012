#pragma once
// A fallback chain: ordered alternatives (the seeds' fallbackChain / tierFallbacks), tried in turn until
// one succeeds. Each alternative is any callable returning outcome<T>, so each carries its own policies:
//
//   fallback_chain chain(
//       [&] { return primary_breaker.execute([&] { return primary_retry.execute(call_primary, sleeper); }); },
//       [&] { return call_local_model(); });
//   outcome<reply> r = chain.execute();
//
// A failure the predicate says is final (e.g. the request itself is invalid: every alternative would say
// the same) stops the chain. All fail: the last failure is returned. Hooks: on_fallback(index, failure)
// when alternative `index` failed and the next one is tried; on_served(index) on success.
// The async form (async_execute) takes alternatives returning asio::awaitable<outcome<T>>.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/resilience/failure.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::resilience {

// Falls back on every failure.
struct fall_back_always {
    bool operator()(const failure&) const noexcept { return true; }
};
// Falls back unless the request itself was refused as invalid (HTTP 400/404/413/422, errc::invalid_argument).
struct fall_back_unless_invalid_request {
    bool operator()(const failure& f) const noexcept {
        if (f.http_status == 400 || f.http_status == 404 || f.http_status == 413 || f.http_status == 422) return false;
        return f.code != make_error_code(errc::invalid_argument) || f.http_status != 0;
    }
};

namespace detail {
template <class H>
void hook_fallback(H& h, std::size_t i, const failure& f) {
    if constexpr (requires { h.on_fallback(i, f); }) h.on_fallback(i, f);
}
template <class H>
void hook_served(H& h, std::size_t i) {
    if constexpr (requires { h.on_served(i); }) h.on_served(i);
}
}  // namespace detail

template <class... Alternatives>
class fallback_chain {
    static_assert(sizeof...(Alternatives) >= 1, "agentkit::resilience::fallback_chain: give at least one alternative");

public:
    explicit fallback_chain(Alternatives... alternatives) : alternatives_(std::move(alternatives)...) {}
    static constexpr std::size_t size() noexcept { return sizeof...(Alternatives); }

    template <class Predicate = fall_back_always, class Hooks = std::nullptr_t>
    auto execute(Predicate should_fall_back = {}, Hooks hooks = {}) {
        using result = std::invoke_result_t<std::tuple_element_t<0, std::tuple<Alternatives...>>&>;
        static_assert(is_outcome<result>::value,
                      "agentkit::resilience::fallback_chain: alternatives must return outcome<T>");
        std::optional<result> out;
        run<0>(out, should_fall_back, hooks);
        return std::move(*out);
    }

    template <class Predicate = fall_back_always, class Hooks = std::nullptr_t>
    auto async_execute(Predicate should_fall_back = {}, Hooks hooks = {}) -> boost::asio::awaitable<
        typename std::invoke_result_t<std::tuple_element_t<0, std::tuple<Alternatives...>>&>::value_type> {
        using result = typename std::invoke_result_t<std::tuple_element_t<0, std::tuple<Alternatives...>>&>::value_type;
        std::optional<result> out;
        co_await async_run<0, result>(out, should_fall_back, hooks);
        co_return std::move(*out);
    }

private:
    template <std::size_t I, class R, class P, class H>
    void run(std::optional<R>& out, P& should_fall_back, H& hooks) {
        out.emplace(std::get<I>(alternatives_)());
        if (out->has_value()) {
            detail::hook_served(hooks, I);
            return;
        }
        if constexpr (I + 1 < sizeof...(Alternatives)) {
            if (!should_fall_back(out->error())) return;
            detail::hook_fallback(hooks, I, out->error());
            run<I + 1>(out, should_fall_back, hooks);
        }
    }
    template <std::size_t I, class R, class P, class H>
    boost::asio::awaitable<void> async_run(std::optional<R>& out, P& should_fall_back, H& hooks) {
        out.emplace(co_await std::get<I>(alternatives_)());
        if (out->has_value()) {
            detail::hook_served(hooks, I);
            co_return;
        }
        if constexpr (I + 1 < sizeof...(Alternatives)) {
            if (!should_fall_back(out->error())) co_return;
            detail::hook_fallback(hooks, I, out->error());
            co_await async_run<I + 1, R>(out, should_fall_back, hooks);
        }
    }

    std::tuple<Alternatives...> alternatives_;
};

}  // namespace agentkit::resilience
AGENTKIT_COROUTINES_END
