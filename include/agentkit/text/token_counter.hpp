#pragma once
// The token-counter concept: anything that counts the tokens of a text. Heuristic estimators and exact
// BPE encodings are its policies; compaction, chunking and budgets take it as a template parameter.
#include <concepts>
#include <cstddef>
#include <string_view>

namespace agentkit::text {

template <class C>
concept token_counter = requires(const C& counter, std::string_view text) {
    { counter.count(text) } -> std::convertible_to<std::size_t>;
};

}  // namespace agentkit::text
