// Fuzzes the chunk views: the first bytes pick the knobs, the rest is the document (any bytes). Every
// strategy and sizing unit must hand out in-range views on code-point boundaries, sizes equal to the unit's
// measure, nothing above the max but a single code point, and overlaps within chunk_overlap; the positional
// fast merge (chars, UTF-16, bytes) must give the chunks of the piece-by-piece merge. Aborts otherwise.
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/chunk_view.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

namespace {
namespace tx = agentkit::text;

void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "chunk_view invariant violated: %s\n", what);
        std::abort();
    }
}

template <class Strategy, class Sizer>
void check(std::string_view doc, const tx::chunk_config& cfg) {
    const Sizer sizer{};
    std::size_t prev_begin = 0, prev_end = 0, n = 0;
    for (const auto& c : tx::chunk_view<Strategy, Sizer>(doc, cfg, sizer)) {
        require(c.begin < c.end && c.end <= doc.size(), "range");
        require(c.text.data() == doc.data() + c.begin && c.text.size() == c.end - c.begin, "view");
        require(c.begin == 0 || tx::utf8::is_boundary(doc, c.begin), "begin on a boundary");
        require(tx::utf8::is_boundary(doc, c.end), "end on a boundary");
        require(c.size == sizer.measure(c.text), "size");
        require(!c.oversized || tx::utf8::next_boundary(doc, c.begin) == c.end, "oversized only for one code point");
        require(c.oversized == (c.size > cfg.max_chunk_size), "oversized flag");
        if (n > 0) {
            require(prev_begin <= c.begin && prev_end <= c.end, "order");
            if (c.begin < prev_end)
                require(sizer.measure(doc.substr(c.begin, prev_end - c.begin)) <= cfg.chunk_overlap, "overlap");
        }
        prev_begin = c.begin, prev_end = c.end, ++n;
    }
}

// The same units as counters: by_tokens<> always takes the piece-by-piece merge.
struct code_points {
    std::size_t count(std::string_view t) const noexcept { return tx::utf8::count_code_points(t); }
};
struct utf16_units {
    std::size_t count(std::string_view t) const noexcept { return tx::utf8::count_utf16_units(t); }
};
struct bytes {
    std::size_t count(std::string_view t) const noexcept { return t.size(); }
};

template <class Fast, class Counter>
void same_as_piece_by_piece(std::string_view doc, const tx::chunk_config& cfg) {
    const tx::chunk_view<tx::recursive, Fast> fast(doc, cfg);
    const tx::chunk_view<tx::recursive, tx::by_tokens<Counter>> slow(doc, cfg);
    auto a = fast.begin();
    auto b = slow.begin();
    for (; a != fast.end() && b != slow.end(); ++a, ++b) require(*a == *b, "fast merge == piece-by-piece merge");
    require(a == fast.end() && b == slow.end(), "fast merge == piece-by-piece merge (count)");
}

template <class Sizer>
void all_strategies(std::string_view doc, const tx::chunk_config& cfg) {
    check<tx::recursive, Sizer>(doc, cfg);
    check<tx::fixed_window, Sizer>(doc, cfg);
    check<tx::markdown, Sizer>(doc, cfg);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return 0;
    tx::chunk_config cfg;
    cfg.max_chunk_size = 1 + data[0] % 64;
    cfg.chunk_overlap = data[1] % cfg.max_chunk_size;
    cfg.min_chunk_size = (data[2] & 1) ? data[2] % (cfg.max_chunk_size + 1) : 0;
    cfg.keep = static_cast<tx::keep_separator>((data[3] & 3) % 3);
    cfg.strip_whitespace = (data[3] & 4) == 0;
    cfg.separators = (data[3] & 8) ? std::span<const std::string_view>(tx::sentence_separators)
                                   : std::span<const std::string_view>(tx::langchain_separators);
    const std::string_view doc(reinterpret_cast<const char*>(data + 4), size - 4);
    all_strategies<tx::by_chars>(doc, cfg);
    all_strategies<tx::by_bytes>(doc, cfg);
    all_strategies<tx::by_utf16>(doc, cfg);
    all_strategies<tx::by_tokens<tx::chars_per_token<4>>>(doc, cfg);
    switch (data[2] % 3) {  // one unit per input keeps the replay test short
        case 0: same_as_piece_by_piece<tx::by_chars, code_points>(doc, cfg); break;
        case 1: same_as_piece_by_piece<tx::by_utf16, utf16_units>(doc, cfg); break;
        default: same_as_piece_by_piece<tx::by_bytes, bytes>(doc, cfg); break;
    }
    return 0;
}
