#pragma once
// A text of at least `total_bytes` bytes made of `piece` repeated: the large and deep inputs of the parser tests.
#include <cstddef>
#include <string>
#include <string_view>

namespace agentkit_test {

inline std::string repeat(std::string_view piece, std::size_t total_bytes) {
    std::string s;
    s.reserve(total_bytes + piece.size());
    while (s.size() < total_bytes) s.append(piece);
    return s;
}

}  // namespace agentkit_test
