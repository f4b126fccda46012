#pragma once
// Standard base64 (with '=' padding), as tiktoken rank files write their tokens: the tests' way to build rank
// files, independent of the decoder under test (text/detail/base64.hpp).
#include <string>
#include <string_view>

namespace agentkit_test {

inline std::string base64(std::string_view in) {
    static constexpr const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(in[k])); };
    for (; i + 3 <= in.size(); i += 3) {
        const unsigned w = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += {t[w >> 18], t[(w >> 12) & 63], t[(w >> 6) & 63], t[w & 63]};
    }
    if (in.size() - i == 1) {
        const unsigned w = byte(i) << 16;
        out += {t[w >> 18], t[(w >> 12) & 63], '=', '='};
    } else if (in.size() - i == 2) {
        const unsigned w = byte(i) << 16 | byte(i + 1) << 8;
        out += {t[w >> 18], t[(w >> 12) & 63], t[(w >> 6) & 63], '='};
    }
    return out;
}

}  // namespace agentkit_test
