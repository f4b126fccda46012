#pragma once
// The fixed-window strategy: windows of max_chunk_size units, each starting chunk_overlap units before the
// previous one ended. Cuts land on code-point boundaries only; windows are never trimmed, so they cover the
// document exactly. With a non-additive sizer (tokens through count()) window ends are found by galloping +
// binary search over code-point boundaries.
#include <agentkit/text/chunk.hpp>
#include <agentkit/text/chunk_config.hpp>
#include <agentkit/text/chunk_sizing.hpp>
#include <agentkit/text/chunk_utf8.hpp>

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace agentkit::text {

template <chunk_sizer Sizer>
class fixed_window_producer {
public:
    fixed_window_producer() = default;
    fixed_window_producer(std::string_view doc, const chunk_config* cfg, const Sizer* sizer)
        : doc_(doc), cfg_(cfg), sizer_(sizer), end_(doc.size()) {}

    bool next(chunk& out) {
        if (pos_ >= end_) return false;
        std::size_t e = detail::advance_units(*sizer_, doc_, pos_, end_, cfg_->max_chunk_size);
        if (e <= pos_) e = utf8::next_boundary(doc_, pos_);  // one unit larger than the max
        const std::size_t size = sizer_->measure(doc_.substr(pos_, e - pos_));
        out = chunk{doc_.substr(pos_, e - pos_), pos_, e, size, size > cfg_->max_chunk_size};
        if (e >= end_) {
            pos_ = end_;
        } else {
            const std::size_t back =
                cfg_->chunk_overlap == 0 ? e : detail::retreat_units(*sizer_, doc_, pos_ + 1, e, cfg_->chunk_overlap);
            pos_ = back > pos_ ? back : e;
        }
        return true;
    }

private:
    std::string_view doc_;
    const chunk_config* cfg_ = nullptr;
    const Sizer* sizer_ = nullptr;
    std::size_t pos_ = 0, end_ = 0;
};

// Strategy tag: fixed windows with overlap.
struct fixed_window {
    template <class Sizer>
    using producer = fixed_window_producer<Sizer>;
};

}  // namespace agentkit::text
