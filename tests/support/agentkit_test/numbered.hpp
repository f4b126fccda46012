#pragma once
// numbered("k", 7) == "k7": distinct keys, lanes and messages for tests that need many. Built with append()
// because g++ 12 at -O3 reports a false -Wstringop-overflow inside `"k" + std::to_string(i)` (operator+
// on a string literal and an rvalue string), which fails the Release build under -Werror.
#include <string>
#include <string_view>

namespace agentkit_test {

inline std::string numbered(std::string_view prefix, long long n) {
    std::string s(prefix);
    s.append(std::to_string(n));
    return s;
}

}  // namespace agentkit_test
