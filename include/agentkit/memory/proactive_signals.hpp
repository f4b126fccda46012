#pragma once
// Proactive compaction signals (Flynn's compaction.proactive block): as a session's context fills, emit
// warn (warn_pct), checkpoint (checkpoint_pct) and auto-compact (auto_compact_pct) events. Each is counted
// and passed to an optional sink. A checkpoint snapshots the conversation into the key-value namespace
// memory_namespace ("session/checkpoints", key = session id) at most once per checkpoint_cooldown per
// session. warn fires once per crossing (again only after the fill drops below warn_pct); checkpoint and
// auto-compact fire whenever the level holds (checkpoint subject to the cooldown), so a caller that did
// not compact hears about it again.
#include <agentkit/core/clock.hpp>
#include <agentkit/core/conversation.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/storage/kv_store.hpp>
#include <agentkit/storage/message_codec.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace agentkit::memory {

struct proactive_config {
    bool enabled = true;
    double warn_pct = 75;
    double checkpoint_pct = 85;
    double auto_compact_pct = 95;
    std::chrono::milliseconds checkpoint_cooldown{300000};
    std::string memory_namespace = "session/checkpoints";

    void validate() const {
        if (!(warn_pct > 0 && warn_pct <= checkpoint_pct && checkpoint_pct <= auto_compact_pct &&
              auto_compact_pct <= 100))
            throw_invalid_field("compaction.proactive",
                                "needs 0 < warn_pct <= checkpoint_pct <= auto_compact_pct <= 100");
        if (checkpoint_cooldown.count() < 0)
            throw_invalid_field("compaction.proactive.checkpoint_cooldown", "is negative");
        if (memory_namespace.empty()) throw_invalid_field("compaction.proactive.memory_namespace", "is empty");
    }
};

enum class signal_kind { warn, checkpoint, checkpoint_skipped, auto_compact };

struct signal_event {
    signal_kind kind;
    std::string_view session;
    std::size_t used_tokens;
    std::size_t context_window;
    double fill_pct;
};

struct signal_counts {
    std::size_t warn = 0;
    std::size_t checkpoint = 0;
    std::size_t checkpoint_skipped = 0;  // inside the cooldown
    std::size_t auto_compact = 0;
};

// What the caller should do after observe().
enum class signal_action { none, compact };

// Store: a storage::kv_store (storage::memory, storage::sqlite, any backend with key-value namespaces); void for none.
template <class Store, clock_policy Clock = steady_clock>
requires std::is_void_v<Store> || storage::kv_store<Store>
class proactive_signals {
public:
    using config = proactive_config;
    using sink = std::function<void(const signal_event&)>;

    explicit proactive_signals(config cfg, Store* store = nullptr, Clock clock = Clock{}, sink on_signal = {})
        : cfg_(std::move(cfg)), store_(store), clock_(std::move(clock)), sink_(std::move(on_signal)) {
        cfg_.validate();
    }

    signal_action observe(std::string_view session, const conversation& history, std::size_t used_tokens,
                          std::size_t context_window) {
        if (!cfg_.enabled || context_window == 0) return signal_action::none;
        const double pct = 100.0 * static_cast<double>(used_tokens) / static_cast<double>(context_window);
        auto& st = state_[std::string(session)];
        if (pct < cfg_.warn_pct) {
            st.warned = false;
            return signal_action::none;
        }
        if (!st.warned) {
            st.warned = true;
            emit(signal_kind::warn, session, used_tokens, context_window, pct);
        }
        if (pct >= cfg_.checkpoint_pct) {
            const auto now = clock_.now();
            if (!st.checkpointed || now - st.last_checkpoint >= cfg_.checkpoint_cooldown) {
                if constexpr (!std::is_void_v<Store>)
                    if (store_)
                        store_->put(cfg_.memory_namespace, session,
                                    storage::codec::encode_messages(history.messages()));
                st.checkpointed = true;
                st.last_checkpoint = now;
                emit(signal_kind::checkpoint, session, used_tokens, context_window, pct);
            } else {
                emit(signal_kind::checkpoint_skipped, session, used_tokens, context_window, pct);
            }
        }
        if (pct >= cfg_.auto_compact_pct) {
            emit(signal_kind::auto_compact, session, used_tokens, context_window, pct);
            return signal_action::compact;
        }
        return signal_action::none;
    }

    // The last checkpoint of a session, decoded (empty when there is none).
    std::vector<message> restore(std::string_view session) const requires(!std::is_void_v<Store>) {
        if (!store_) return {};
        auto blob = store_->get(cfg_.memory_namespace, session);
        return blob ? storage::codec::decode_messages(*blob) : std::vector<message>{};
    }

    const signal_counts& counts() const noexcept { return counts_; }
    void forget(std::string_view session) { state_.erase(std::string(session)); }

private:
    struct session_state {
        bool warned = false;
        bool checkpointed = false;
        typename Clock::time_point last_checkpoint{};
    };
    void emit(signal_kind k, std::string_view session, std::size_t used, std::size_t window, double pct) {
        switch (k) {
            case signal_kind::warn: ++counts_.warn; break;
            case signal_kind::checkpoint: ++counts_.checkpoint; break;
            case signal_kind::checkpoint_skipped: ++counts_.checkpoint_skipped; break;
            case signal_kind::auto_compact: ++counts_.auto_compact; break;
        }
        if (sink_) sink_(signal_event{k, session, used, window, pct});
    }

    config cfg_;
    Store* store_;
    Clock clock_;
    sink sink_;
    std::unordered_map<std::string, session_state> state_;
    signal_counts counts_{};
};

}  // namespace agentkit::memory
