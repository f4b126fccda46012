#pragma once
// The markdown-aware strategy: every ATX heading ("# " .. "###### ", outside code fences) starts a new
// chunk, and each section between headings is cut by the recursive strategy with one more rule: no cut falls
// inside a fenced code block (``` or ~~~) that fits in max_chunk_size. A fence larger than the max is cut
// like any other text. Sections are found lazily, one line scan ahead of the chunks; the only memory is the
// list of fences of the current section, reused from section to section.
#include <agentkit/text/chunk.hpp>
#include <agentkit/text/chunk_config.hpp>
#include <agentkit/text/chunk_sizing.hpp>
#include <agentkit/text/recursive_splitter.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace agentkit::text {

namespace markdown_syntax {

// Indentation of up to three spaces, as CommonMark allows before headings and fences.
constexpr std::size_t skip_indent(std::string_view line) noexcept {
    std::size_t i = 0;
    while (i < 3 && i < line.size() && line[i] == ' ') ++i;
    return i;
}

// "# Title" .. "###### Title" (or a bare "#").
constexpr bool is_heading(std::string_view line) noexcept {
    std::size_t i = skip_indent(line), hashes = 0;
    while (i < line.size() && line[i] == '#') ++i, ++hashes;
    if (hashes == 0 || hashes > 6) return false;
    return i == line.size() || line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
}

// Length of the fence run (``` or ~~~, at least 3) that opens or closes a code block, 0 when none.
constexpr std::size_t fence_run(std::string_view line, char& marker) noexcept {
    std::size_t i = skip_indent(line);
    if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return 0;
    const char c = line[i];
    std::size_t n = 0;
    while (i < line.size() && line[i] == c) ++i, ++n;
    if (n < 3) return 0;
    marker = c;
    return n;
}

}  // namespace markdown_syntax

template <chunk_sizer Sizer>
class markdown_producer {
public:
    markdown_producer() = default;
    markdown_producer(std::string_view doc, const chunk_config* cfg, const Sizer* sizer)
        : doc_(doc), cfg_(cfg), sizer_(sizer), inner_(doc, cfg, sizer) {
        inner_.start(0, 0);
    }
    // The fence list is per cursor; a copy must point its inner producer at its own list.
    markdown_producer(const markdown_producer& o)
        : doc_(o.doc_), cfg_(o.cfg_), sizer_(o.sizer_), inner_(o.inner_), fences_(o.fences_), pos_(o.pos_) {
        inner_.set_protected(fences_);
    }
    markdown_producer& operator=(const markdown_producer& o) {
        if (this != &o) {
            doc_ = o.doc_, cfg_ = o.cfg_, sizer_ = o.sizer_, inner_ = o.inner_, fences_ = o.fences_, pos_ = o.pos_;
            inner_.set_protected(fences_);
        }
        return *this;
    }

    bool next(chunk& out) {
        for (;;) {
            if (inner_.next(out)) return true;
            if (pos_ >= doc_.size()) return false;
            const std::size_t begin = pos_;
            pos_ = scan_section(begin);
            inner_.set_protected(fences_);
            inner_.start(begin, pos_);
        }
    }

private:
    // Finds the end of the section starting at begin (the next heading outside a fence, or the end) and
    // collects the fences inside it that fit in one chunk.
    std::size_t scan_section(std::size_t begin) {
        fences_.clear();
        bool in_fence = false;
        char marker = 0;
        std::size_t fence_len = 0, fence_begin = 0;
        std::size_t line = begin;
        while (line < doc_.size()) {
            std::size_t eol = doc_.find('\n', line);
            if (eol == std::string_view::npos) eol = doc_.size();
            const std::string_view text = doc_.substr(line, eol - line);
            char m = 0;
            const std::size_t run = markdown_syntax::fence_run(text, m);
            if (!in_fence) {
                if (line != begin && markdown_syntax::is_heading(text)) return line;
                if (run != 0) in_fence = true, marker = m, fence_len = run, fence_begin = line;
            } else if (run >= fence_len && m == marker &&
                       text.find_first_not_of(" \t\r", text.find_first_not_of(' ') + run) == std::string_view::npos) {
                in_fence = false;
                protect(fence_begin, eol);
            }
            line = eol + 1;
        }
        if (in_fence) protect(fence_begin, doc_.size());
        return doc_.size();
    }
    void protect(std::size_t b, std::size_t e) {
        if (sizer_->measure(doc_.substr(b, e - b)) < cfg_->max_chunk_size) fences_.push_back({b, e});
    }

    std::string_view doc_;
    const chunk_config* cfg_ = nullptr;
    const Sizer* sizer_ = nullptr;
    recursive_producer<Sizer> inner_;
    std::vector<byte_range> fences_;
    std::size_t pos_ = 0;
};

// Strategy tag: markdown-aware (headings start chunks, code fences stay whole).
struct markdown {
    template <class Sizer>
    using producer = markdown_producer<Sizer>;
};

}  // namespace agentkit::text
