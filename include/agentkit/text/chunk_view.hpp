#pragma once
// Chunk views: `text | agentkit::views::chunk(cfg)` is a lazy range-v3 view of text::chunk (string_views into
// the caller's buffer), composable with any other range-v3 view. The strategy (recursive, fixed_window,
// markdown) and the sizing unit (by_chars, by_utf16, by_bytes, by_tokens<Counter>) are template parameters:
//
//   for (const auto& c : doc | agentkit::views::chunk(agentkit::text::chunk_config::precise_search())) ...
//   auto v = doc | agentkit::views::chunk<agentkit::text::markdown>(cfg, agentkit::text::by_tokens{counter});
//
// minChunkSize: a document smaller than min_chunk_size is one chunk (trimmed). When the last chunk is smaller
// than min_chunk_size it merges into the chunk before it; if the merged chunk would exceed max_chunk_size the
// boundary between the two moves back instead, so the tail gets min_chunk_size units (cut after whitespace when
// there is some close by) and the chunk before it shrinks. Either way no chunk exceeds the max and the overlap
// does not grow. The merge happens once: a tail merged into a neighbour that was short too can stay
// below min_chunk_size. This needs a lookahead of two chunks, held in the iterator (no allocation).
#include <agentkit/text/chunk.hpp>
#include <agentkit/text/chunk_config.hpp>
#include <agentkit/text/chunk_sizing.hpp>
#include <agentkit/text/chunk_utf8.hpp>
#include <agentkit/text/fixed_window_splitter.hpp>
#include <agentkit/text/markdown_splitter.hpp>
#include <agentkit/text/recursive_splitter.hpp>

#include <range/v3/view/facade.hpp>
#include <range/v3/view/view.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

namespace agentkit::text {

template <class Strategy, class Sizer>
concept chunk_strategy = requires(typename Strategy::template producer<Sizer> p, chunk& c) {
    { p.next(c) } -> std::same_as<bool>;
};

template <class Strategy = recursive, class Sizer = by_chars>
class chunk_view : public ranges::view_facade<chunk_view<Strategy, Sizer>, ranges::finite> {
    static_assert(chunk_sizer<Sizer>,
                  "agentkit::text::chunk_view<Strategy, Sizer>: Sizer must be a sizing unit (by_chars, by_utf16, "
                  "by_bytes, by_tokens<Counter>): measure(std::string_view) -> size_t and a static `additive`");
    static_assert(!chunk_sizer<Sizer> || chunk_strategy<Strategy, Sizer>,
                  "agentkit::text::chunk_view<Strategy, Sizer>: Strategy must be a chunking strategy "
                  "(text::recursive, text::fixed_window, text::markdown)");

public:
    using config = chunk_config;
    chunk_view() = default;
    chunk_view(std::string_view text, chunk_config cfg, Sizer sizer = {})
        : text_(text), cfg_(cfg), sizer_(std::move(sizer)) {
        cfg_.validate();
    }
    std::string_view text() const noexcept { return text_; }
    const chunk_config& configuration() const noexcept { return cfg_; }

private:
    friend ranges::range_access;
    // (by_chars stands in for a wrong Sizer so the static_assert above is the only error.)
    using producer_type = typename Strategy::template producer<std::conditional_t<chunk_sizer<Sizer>, Sizer, by_chars>>;

    class cursor {
    public:
        cursor() = default;
        explicit cursor(const chunk_view* view) : view_(view) {
            const std::string_view doc = view->text_;
            if (doc.empty()) return;
            const chunk_config& cfg = view->cfg_;
            if (cfg.min_chunk_size > 0 && smaller_than(doc, cfg.min_chunk_size)) {
                std::size_t b = 0, e = doc.size();
                if (trims(cfg)) utf8::trim(doc, b, e);
                if (b < e) {
                    const std::size_t size = measure(b, e);
                    buf_[0] = chunk{doc.substr(b, e - b), b, e, size, size > cfg.max_chunk_size};
                    n_ = 1;
                }
                return;
            }
            producer_ = producer_type(doc, &cfg, &view->sizer_);
            more_ = true;
            fill();
        }

        chunk read() const noexcept { return buf_[0]; }
        void next() {
            last_end_ = buf_[0].end;
            for (std::size_t i = 1; i < n_; ++i) buf_[i - 1] = buf_[i];
            --n_;
            ++index_;
            fill();
        }
        bool equal(ranges::default_sentinel_t) const noexcept { return n_ == 0; }
        bool equal(const cursor& other) const noexcept {
            return (n_ == 0 && other.n_ == 0) || (n_ != 0 && other.n_ != 0 && index_ == other.index_);
        }

    private:
        // Fixed windows are never trimmed: they cover the document exactly.
        static bool trims(const chunk_config& cfg) noexcept {
            return cfg.strip_whitespace && !std::is_same_v<Strategy, fixed_window>;
        }
        std::size_t measure(std::size_t b, std::size_t e) const {
            return view_->sizer_.measure(view_->text_.substr(b, e - b));
        }

        bool smaller_than(std::string_view doc, std::size_t min) const {
            if constexpr (std::is_same_v<Sizer, by_chars> || std::is_same_v<Sizer, by_utf16>) {
                if (doc.size() >= 4 * min) return false;  // at most 4 bytes per code point
            } else if constexpr (std::is_same_v<Sizer, by_bytes>) {
                return doc.size() < min;
            }
            return view_->sizer_.measure(doc) < min;
        }

        // Keeps enough chunks buffered to know whether the last one is a short tail.
        void fill() {
            const std::size_t want = view_->cfg_.min_chunk_size > 0 ? buf_.size() : 1;
            while (more_ && n_ < want) {
                if (producer_.next(buf_[n_]))
                    ++n_;
                else
                    more_ = false;
            }
            if (!more_ && n_ >= 2 && buf_[n_ - 1].size < view_->cfg_.min_chunk_size) merge_tail();
        }

        std::size_t trimmed_size(std::size_t b, std::size_t e) const {
            if (trims(view_->cfg_)) utf8::trim(view_->text_, b, e);
            return b < e ? measure(b, e) : 0;
        }

        // The tail merges into the chunk before it when the result fits; otherwise the boundary moves back.
        void merge_tail() {
            const std::string_view doc = view_->text_;
            const chunk_config& cfg = view_->cfg_;
            chunk& prev = buf_[n_ - 2];
            chunk& tail = buf_[n_ - 1];
            const std::size_t merged = measure(prev.begin, tail.end);
            if (merged <= cfg.max_chunk_size) {
                prev = chunk{doc.substr(prev.begin, tail.end - prev.begin), prev.begin, tail.end, merged, false};
                --n_;
                return;
            }
            // The new boundary stays after the chunk before prev, so ends keep growing and overlap cannot grow.
            const std::size_t before_prev = n_ >= 3 ? buf_[n_ - 3].end : last_end_;
            const std::size_t lower = before_prev > prev.begin ? before_prev : prev.begin;
            const std::size_t te = tail.end;
            std::size_t cut = detail::retreat_units(view_->sizer_, doc, lower, te, cfg.min_chunk_size);
            while (cut > lower && trimmed_size(cut, te) < cfg.min_chunk_size) {
                cut = utf8::prev_boundary(doc, cut);
                while (cut > lower && utf8::whitespace_at(doc, utf8::prev_boundary(doc, cut)) != 0)
                    cut = utf8::prev_boundary(doc, cut);  // whitespace adds nothing after trimming
            }
            // Prefer to cut at whitespace, looking back up to min_chunk_size code points while the tail fits.
            std::size_t probe = cut;
            for (std::size_t steps = 0; probe > lower && steps < cfg.min_chunk_size; ++steps) {
                probe = utf8::prev_boundary(doc, probe);
                if (probe < lower) break;
                if (utf8::whitespace_at(doc, probe) != 0) {
                    if (trimmed_size(probe, te) <= cfg.max_chunk_size) cut = probe;
                    break;
                }
            }
            // prev only ever shrinks: when separators dropped between prev and the tail (keep_separator::none)
            // give the tail its minimum, the cut lands past prev's end and prev keeps its own end.
            std::size_t pb = prev.begin, pe = cut < prev.end ? cut : prev.end, tb = cut;
            std::size_t tt = te;
            if (trims(cfg)) {
                utf8::trim(doc, pb, pe);
                utf8::trim(doc, tb, tt);
            }
            const std::size_t ts = measure(tb, tt);
            if (ts > cfg.max_chunk_size)
                return;  // no room before the chunk before prev: the max wins, tail stays short
            const chunk new_tail{doc.substr(tb, tt - tb), tb, tt, ts, false};
            if (pb < pe && pe > before_prev) {
                const std::size_t ps = measure(pb, pe);
                prev = chunk{doc.substr(pb, pe - pb), pb, pe, ps, ps > cfg.max_chunk_size};
                tail = new_tail;
            } else {  // what is left of prev is inside the chunk before it
                prev = new_tail;
                --n_;
            }
        }

        const chunk_view* view_ = nullptr;
        producer_type producer_{};
        std::array<chunk, 3> buf_{};  // lookahead: the current chunk, its successor, and one more
        std::size_t last_end_ = 0;    // end of the last chunk handed out
        std::size_t n_ = 0;
        std::size_t index_ = 0;
        bool more_ = false;
    };

    cursor begin_cursor() const { return cursor{this}; }
    // An exhausted cursor as the end makes the view a common range: ranges::to and std algorithms take
    // its iterators directly. Without it they wrap them in ranges::common_iterator, whose variant reads an
    // uninitialised index if copying our cursor throws, and g++ 12 -O3 rejects that under -Werror
    // (-Wmaybe-uninitialized in range/v3/detail/variant.hpp).
    cursor end_cursor() const noexcept { return cursor{}; }

    std::string_view text_;
    chunk_config cfg_{};
    [[no_unique_address]] Sizer sizer_{};
};

#if defined(AGENTKIT_SEPARATE_COMPILATION)
// The three strategies by characters, the common case, are compiled once (src/agentkit.cpp).
extern template class chunk_view<recursive, by_chars>;
extern template class chunk_view<fixed_window, by_chars>;
extern template class chunk_view<markdown, by_chars>;
extern template class recursive_producer<by_chars>;
extern template class fixed_window_producer<by_chars>;
extern template class markdown_producer<by_chars>;
#endif

}  // namespace agentkit::text

namespace agentkit::views {

// `text | agentkit::views::chunk<Strategy>(cfg, sizer)`: validates cfg once (agentkit::error naming the field),
// then views any contiguous char range that outlives the view (std::string lvalue, std::string_view, ...).
template <class Strategy = text::recursive, class Sizer = text::by_chars>
auto chunk(text::chunk_config cfg = {}, Sizer sizer = {}) {
    cfg.validate();
    return ranges::make_view_closure(
        [cfg, sizer](std::string_view text) { return text::chunk_view<Strategy, Sizer>(text, cfg, sizer); });
}

}  // namespace agentkit::views
