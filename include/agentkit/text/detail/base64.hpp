#pragma once
// Standard base64 (RFC 4648 alphabet, '=' padding required), the encoding of the tokens in a rank file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit::text::detail {

// The value of one base64 digit, or -1.
constexpr int base64_digit(unsigned char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

// Decodes `in` and appends the bytes to out. False when malformed (then out holds a partial decode).
inline bool decode_base64(std::string_view in, std::string& out) {
    if (in.empty() || in.size() % 4 != 0) return false;
    for (std::size_t i = 0; i < in.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const unsigned char c = static_cast<unsigned char>(in[i + k]);
            if (c == '=') {
                if (i + 4 != in.size() || k < 2) return false;
                v[k] = 0;
                ++pad;
            } else {
                if (pad != 0) return false;
                v[k] = base64_digit(c);
                if (v[k] < 0) return false;
            }
        }
        const std::uint32_t w = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) | (std::uint32_t(v[2]) << 6) |
            std::uint32_t(v[3]);
        out.push_back(static_cast<char>(w >> 16));
        if (pad < 2) out.push_back(static_cast<char>((w >> 8) & 0xFF));
        if (pad < 1) out.push_back(static_cast<char>(w & 0xFF));
    }
    return true;
}

}  // namespace agentkit::text::detail
