#pragma once
// printable: untrusted bytes made safe to show in an error message or on a terminal.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit {

// Untrusted bytes (a path, a line of a trace, a key name) as they may be shown in an error message or on a
// terminal: C0 controls, DEL, C1 controls (raw or UTF-8 encoded) and bytes that are not well-formed UTF-8
// become \xNN, so hostile input cannot drive the terminal. Printable ASCII and valid UTF-8 pass through.
inline std::string printable(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    auto escape = [&](unsigned char c) {
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
    };
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) escape(c);
            else out += static_cast<char>(c);
            ++i;
            continue;
        }
        // The length of a well-formed UTF-8 sequence starting here (RFC 3629: no overlongs, no surrogates,
        // nothing past U+10FFFF), or 0.
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf) n = 2, cp = c & 0x1fu;
        else if (c >= 0xe0 && c <= 0xef) n = 3, cp = c & 0x0fu;
        else if (c >= 0xf0 && c <= 0xf4) n = 4, cp = c & 0x07u;
        if (n == 0 || i + n > s.size()) n = 0;
        for (std::size_t k = 1; k < n; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xc0) != 0x80) {
                n = 0;
                break;
            }
            cp = (cp << 6) | (b & 0x3fu);
        }
        if (n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) n = 0;
        if (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) n = 0;
        if (n == 0 || (cp >= 0x80 && cp <= 0x9f)) {
            // Not UTF-8, or a C1 control: escape the lead byte (an encoded C1 control: both bytes).
            escape(c);
            if (n == 2) escape(static_cast<unsigned char>(s[i + 1])), ++i;
            ++i;
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

}  // namespace agentkit
