#pragma once
// tiktoken's rank-file format: "<base64 token> <rank>" per line (blank lines and a trailing \r ignored),
// parsed into the token bytes in rank order. A malformed line is a parse_error naming the file (`origin`)
// and the line; nothing is skipped.
#include <agentkit/core/error.hpp>
#include <agentkit/text/detail/base64.hpp>
#include <agentkit/text/detail/token_id.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::text::detail {

// The tokens of a rank file by rank: rank r is bytes[offsets[r], offsets[r + 1]), empty for a rank the file
// does not name.
struct ranked_tokens {
    std::string bytes;
    std::vector<std::uint32_t> offsets;       // one past the highest rank, plus one
    std::vector<std::uint32_t> line_of_rank;  // the line that named each rank (1-based), 0 for none
    std::size_t count = 0;                    // tokens in the file
    std::size_t max_token_len = 0;
};

[[noreturn]] inline void fail_rank_file(const std::string& origin, std::size_t line, const std::string& what) {
    throw error(errc::parse_error, std::string("line ").append(std::to_string(line)).append(": ").append(what), origin);
}

// max_rank_per_line: the highest rank a line may name, per line of the file (bpe_vocabulary's knob).
inline ranked_tokens parse_rank_file(std::string_view data, const std::string& origin, std::size_t max_rank_per_line) {
    struct entry {
        std::uint32_t rank, off, len, line;
    };
    std::vector<entry> entries;
    std::string raw;
    raw.reserve(data.size() / 2);
    std::size_t line_no = 0;
    std::uint32_t max_rank = 0;
    // The rank tables are sized by the highest rank: bounded by the file's length before any rank is
    // trusted, so a few bytes naming rank 49999999 cannot make them 400 MB.
    const std::size_t rank_bound = max_rank_per_line *
        (static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n')) +
         (data.empty() || data.back() != '\n' ? 1 : 0));
    for (std::size_t pos = 0; pos < data.size();) {
        std::size_t eol = data.find('\n', pos);
        if (eol == std::string_view::npos) eol = data.size();
        std::string_view line = data.substr(pos, eol - pos);
        pos = eol + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        const std::size_t sp = line.find(' ');
        if (sp == std::string_view::npos) fail_rank_file(origin, line_no, "expected '<base64 token> <rank>'");
        const std::size_t off = raw.size();
        if (!decode_base64(line.substr(0, sp), raw)) fail_rank_file(origin, line_no, "the token is not valid base64");
        const std::string_view num = line.substr(sp + 1);
        if (num.empty() || num.size() > 10) fail_rank_file(origin, line_no, "the rank is not a number below 2^32-1");
        std::uint64_t r = 0;
        for (char ch : num) {
            if (ch < '0' || ch > '9') fail_rank_file(origin, line_no, "the rank is not a decimal number");
            r = r * 10 + static_cast<unsigned>(ch - '0');
        }
        if (r >= no_rank || r > 50'000'000 || r >= rank_bound)
            fail_rank_file(origin, line_no,
                           std::string("the rank ")
                               .append(std::to_string(r))
                               .append(" is out of range (a file of ")
                               .append(std::to_string(rank_bound / max_rank_per_line))
                               .append(" lines has ranks below ")
                               .append(std::to_string(rank_bound))
                               .append(": bpe_vocabulary::max_rank_per_line)"));
        const std::size_t len = raw.size() - off;
        if (len > 0xFFFF) fail_rank_file(origin, line_no, "the token is longer than 65535 bytes");
        entries.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(off),
                           static_cast<std::uint32_t>(len), static_cast<std::uint32_t>(line_no)});
        max_rank = std::max(max_rank, static_cast<std::uint32_t>(r));
    }
    if (entries.empty()) throw error(errc::parse_error, "the BPE rank file is empty", origin);

    // Token bytes in rank order, so the bytes of a rank are two loads.
    ranked_tokens out;
    out.offsets.assign(std::size_t{max_rank} + 2, 0);
    // line_of_rank holds each rank's index + 1 into entries first, then (below) its line.
    out.line_of_rank.assign(std::size_t{max_rank} + 1, 0);
    for (std::size_t k = 0; k < entries.size(); ++k) {
        auto& slot = out.line_of_rank[entries[k].rank];
        if (slot != 0)
            fail_rank_file(origin, entries[k].line,
                           std::string("rank ").append(std::to_string(entries[k].rank)).append(" appears twice"));
        slot = static_cast<std::uint32_t>(k + 1);
    }
    out.bytes.reserve(raw.size());
    for (std::size_t r = 0; r <= max_rank; ++r) {
        out.offsets[r] = static_cast<std::uint32_t>(out.bytes.size());
        if (auto& k = out.line_of_rank[r]) {
            const entry& e = entries[k - 1];
            out.bytes.append(raw, e.off, e.len);
            out.max_token_len = std::max<std::size_t>(out.max_token_len, e.len);
            k = e.line;
        }
    }
    out.offsets[std::size_t{max_rank} + 1] = static_cast<std::uint32_t>(out.bytes.size());
    out.count = entries.size();
    return out;
}

}  // namespace agentkit::text::detail
