#pragma once
// The token-counter concept: anything that counts the tokens of a text. Heuristic estimators and exact
// BPE encodings are its policies; compaction, chunking and budgets take it as a template parameter.
//
//   count_tokens<C>(text)   a default-constructed C's count, for any policy (chars_per_token<4>,
//                           calibrated_estimator<cl100k>, cl100k, o200k, bpe_counter<o200k>, ...)
//   token_tally<C>          the incremental form: append text as it streams in, ask for the total.
#include <cstddef>
#include <concepts>
#include <string>
#include <string_view>
#include <utility>

namespace agentkit::text {

/// @brief The token-counting slot of an agent (`with_tokens<C>`): how many tokens a text holds.
/// @details `counter.count(text)` returns the count as a `std::size_t`. Heuristic estimators
/// (`chars_per_token<N>`, `calibrated_estimator<E>`) and the exact BPE encodings (`cl100k`, `o200k`,
/// `bpe_counter<E>`) model it. Default when an agent names no counter: `chars_per_token<4>`.
/// @tparam C the counter policy; it is const-callable and default-constructible for `count_tokens<C>`.
template <class C>
concept token_counter = requires(const C& counter, std::string_view text) {
    { counter.count(text) } -> std::convertible_to<std::size_t>;
};

// A counter whose count is a function of a running state that appended text updates in O(appended):
// measure(text, state) then finish(state). Estimators model it; token_tally uses it when present.
template <class C>
concept streaming_token_counter = token_counter<C> && requires(const C& c, std::string_view text, typename C::state s) {
    c.measure(text, s);
    { c.finish(s) } -> std::convertible_to<std::size_t>;
};

template <class C>
std::size_t count_tokens(std::string_view text) {
    static_assert(
        token_counter<C>,
        "agentkit::text::count_tokens<C>: C is not a token counter (needs count(std::string_view) -> std::size_t)");
    static_assert(std::default_initializable<C>, "agentkit::text::count_tokens<C>: C must be default-constructible");
    return static_cast<std::size_t>(C{}.count(text));
}

// The incremental form for appended text (a streamed reply, a growing transcript). total() equals
// count(all text appended so far):
//  - streaming counters: kept as a running state, O(appended) per append, O(1) per total();
//  - other counters (exact BPE): the text before the last line start that begins with an ASCII letter
//    is counted once and dropped (no BPE piece crosses such a point); only the text after it is kept
//    and recounted by total(). A stream without such line starts keeps growing that tail.
template <class C>
class token_tally {
    static_assert(token_counter<C>, "agentkit::text::token_tally<C>: C is not a token counter");

public:
    token_tally() = default;
    explicit token_tally(C counter) : counter_(std::move(counter)) {}

    void append(std::string_view more) {
        if constexpr (streaming_token_counter<C>) {
            counter_.measure(more, state_);
        } else {
            tail_.append(more);
            std::size_t cut = 0;
            for (std::size_t i = tail_.size(); i-- > 1;) {
                const char c = tail_[i];
                if (tail_[i - 1] == '\n' && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                    cut = i;
                    break;
                }
            }
            if (cut != 0) {
                committed_ += static_cast<std::size_t>(counter_.count(std::string_view(tail_).substr(0, cut)));
                tail_.erase(0, cut);
            }
        }
    }
    std::size_t total() const {
        if constexpr (streaming_token_counter<C>)
            return static_cast<std::size_t>(counter_.finish(state_));
        else
            return committed_ + static_cast<std::size_t>(counter_.count(tail_));
    }
    void clear() {
        state_ = {};
        tail_.clear();
        committed_ = 0;
    }
    const C& counter() const noexcept { return counter_; }

private:
    struct no_state {};
    template <class X>
    struct state_of {
        using type = no_state;
    };
    template <streaming_token_counter X>
    struct state_of<X> {
        using type = typename X::state;
    };

    [[no_unique_address]] C counter_{};
    typename state_of<C>::type state_{};
    std::string tail_;
    std::size_t committed_ = 0;
};

}  // namespace agentkit::text
