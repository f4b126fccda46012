#pragma once
// One chunk of a document: a view into the caller's buffer (never a copy), its byte offsets, and its size
// in the sizing unit the chunker was asked for (characters, UTF-16 units, bytes or tokens).
#include <cstddef>
#include <string_view>

namespace agentkit::text {

struct chunk {
    std::string_view text;  // == document.substr(begin, end - begin)
    std::size_t begin = 0;  // byte offset of the first byte in the document
    std::size_t end = 0;    // byte offset one past the last byte
    std::size_t size = 0;   // size in the sizing unit (chars, utf16 units, bytes or tokens)
    // True when size > max_chunk_size: only a single unit the strategy may not split (one code point
    // larger than the max, a piece with no configured separator left, a merged tail) can be that large.
    bool oversized = false;

    friend constexpr bool operator==(const chunk& a, const chunk& b) noexcept {
        return a.begin == b.begin && a.end == b.end && a.size == b.size && a.oversized == b.oversized;
    }
};

}  // namespace agentkit::text
