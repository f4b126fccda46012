#pragma once
// Token sizing that encodes once: the document is encoded a single time (any encoding with
// token_ends(text, std::vector<std::uint32_t>&), e.g. bpe_encoding_of<cl100k>()), and every piece the chunker
// considers is then measured by counting token ends inside it (two binary searches), instead of encoding
// each candidate piece again. Chunks are still cut only at separators and code-point boundaries; with
// cl100k/o200k a word separator (" ") is nearly always a token boundary too, since their tokens carry the
// leading space.
//
//   const auto bounds = agentkit::text::token_boundaries(doc, agentkit::text::bpe_encoding_of<agentkit::text::cl100k>());
//   for (const auto& c : doc | agentkit::views::chunk(cfg, agentkit::text::by_token_ends{&bounds})) ...
//
// A piece's or chunk's size is the number of the document's tokens that share a byte with it: a token cut by
// an edge (trimmed whitespace after ".", a cut with no token boundary) counts on both sides. That errs on the
// safe side: the merge never under-counts, and a chunk's own encoding is within a token or two of its size
// (measured in tests/unit/text/chunk_tokens.cpp). Not additive, so chunk sizes are measured on the chunk.
#include <agentkit/core/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace agentkit::text {

class token_boundaries {
public:
    token_boundaries() = default;
    template <class Encoding>
    token_boundaries(std::string_view doc, const Encoding& encoding) : doc_(doc) {
        ends_.reserve(doc.size() / 3 + 16);
        encoding.token_ends(doc, ends_);
    }

    std::string_view document() const noexcept { return doc_; }
    std::size_t tokens() const noexcept { return ends_.size(); }
    const std::vector<std::uint32_t>& ends() const noexcept { return ends_; }
    std::size_t resident_bytes() const noexcept { return sizeof(*this) + ends_.capacity() * sizeof(std::uint32_t); }

    // Tokens that share at least one byte with [begin, end): the ones inside, plus a token cut by either edge.
    std::size_t tokens_in(std::size_t begin, std::size_t end) const noexcept {
        if (begin >= end) return 0;
        const auto first = std::upper_bound(ends_.begin(), ends_.end(), static_cast<std::uint32_t>(begin));
        const auto last = std::lower_bound(first, ends_.end(), static_cast<std::uint32_t>(end));
        return static_cast<std::size_t>(last - first) + (last != ends_.end() ? 1 : 0);
    }

    // Tokens in a view of the document (a piece or a chunk): located by its address.
    std::size_t tokens_in(std::string_view piece) const {
        const auto begin = static_cast<std::size_t>(piece.data() - doc_.data());
        if (piece.data() < doc_.data() || begin + piece.size() > doc_.size())
            throw_invalid_field("text", "by_token_ends measures only views into the document it was encoded from");
        return tokens_in(begin, begin + piece.size());
    }

private:
    std::string_view doc_;
    std::vector<std::uint32_t> ends_;
};

// Sizing unit: tokens of an encode-once token_boundaries (which must outlive the chunk view).
struct by_token_ends {
    static constexpr bool additive = false;  // edge tokens count on both sides
    static constexpr std::string_view name = "tokens";
    const token_boundaries* boundaries = nullptr;
    std::size_t measure(std::string_view text) const {
        if (text.empty()) return 0;
        return boundaries->tokens_in(text);
    }
};

}  // namespace agentkit::text
