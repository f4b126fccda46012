#pragma once
// proactive_compaction<Inner> — a compaction policy that runs proactive_signals before its inner policy:
// warn / checkpoint as the context fills, and at auto_compact_pct it compacts through Inner::compact()
// whatever Inner's own threshold. Fits the agent's compaction slot like Inner does.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/conversation.hpp>
#include <agentkit/memory/compaction_policy.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>
#include <agentkit/memory/proactive_signals.hpp>

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace agentkit::memory {

// A compaction policy that can also compact on demand and report the tokens it counts.
template <class P>
concept forceable_compaction = compaction_policy<P> && requires(P& p, conversation& c) {
    { p.compact(c) } -> std::convertible_to<bool>;
    { p.tokens(c) } -> std::convertible_to<std::size_t>;
};

template <forceable_compaction Inner, class Store = void, clock_policy Clock = steady_clock>
class proactive_compaction {
public:
    using signals_type = proactive_signals<Store, Clock>;

    proactive_compaction() : signals_(proactive_config{}) {}
    proactive_compaction(Inner inner, signals_type signals, std::string session = "default")
        : inner_(std::move(inner)), signals_(std::move(signals)), session_(std::move(session)) {}

    bool maybe_compact(conversation& history, std::size_t context_window) {
        const auto used = inner_.tokens(history);
        if (signals_.observe(session_, history, used, context_window) == signal_action::compact &&
            inner_.compact(history))
            return true;
        return inner_.maybe_compact(history, context_window);
    }

    // The session the signals and checkpoints are keyed by (one policy object per session).
    void set_session(std::string session) { session_ = std::move(session); }
    Inner& inner() noexcept { return inner_; }
    // Compactions are the inner policy's (forced or its own): its series, under its default instance name
    // or `instance`.
    template <observe::registry Registry>
    requires requires(Inner& p, Registry& r) { p.attach_metrics(r); }
    void attach_metrics(Registry& registry) { inner_.attach_metrics(registry); }
    template <observe::registry Registry>
    requires requires(Inner& p, Registry& r, std::string_view s) { p.attach_metrics(r, s); }
    void attach_metrics(Registry& registry, std::string_view instance) { inner_.attach_metrics(registry, instance); }
    const signals_type& signals() const noexcept { return signals_; }

private:
    Inner inner_{};
    signals_type signals_;
    std::string session_ = "default";
};

}  // namespace agentkit::memory
