// agentkit chunk: cuts a document into chunks and prints one JSON object per chunk.
//
//   agentkit chunk [--max N] [--overlap N] [--min N] [--by chars|bytes|utf16|tokens]
//                  [--encoding cl100k_base|o200k_base] [--strategy recursive|fixed|markdown]
//                  [--preset default|fast-indexing|precise-search] [--keep-separator start|end|none]
//                  [--no-strip] [--text] [FILE|-]
//
// Each line: {"begin":B,"end":E,"size":S} (byte offsets into the input, size in the --by unit), plus
// "oversized":true for a single unit larger than --max and "text" with --text. Defaults are the seeds':
// --max 512 --overlap 50 --min 128. --by tokens encodes the document once with the exact BPE (vocabulary
// from $AGENTKIT_DATA_DIR/tiktoken, see scripts/bootstrap) and cuts on separators measured in its tokens.
#include "command.hpp"

#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/text/chunk_token_boundaries.hpp>
#include <agentkit/text/chunk_view.hpp>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace tx = agentkit::text;

constexpr const char* usage_text =
    "usage: agentkit chunk [--max N] [--overlap N] [--min N] [--by chars|bytes|utf16|tokens]\n"
    "                      [--encoding cl100k_base|o200k_base] [--strategy recursive|fixed|markdown]\n"
    "                      [--preset default|fast-indexing|precise-search] [--keep-separator start|end|none]\n"
    "                      [--no-strip] [--text] [FILE|-]\n"
    "Prints one JSON object per chunk: begin and end (byte offsets), size (in the --by unit).\n"
    "Defaults: --max 512 --overlap 50 --min 128 (a quarter of --max when that is smaller) --by chars\n"
    "--strategy recursive. --by tokens uses the exact BPE of --encoding (default cl100k_base).\n";

std::size_t number(std::string_view text, const std::string& field) {
    std::size_t v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size())
        throw agentkit::error(agentkit::errc::invalid_argument, "expected a non-negative integer, got '" + std::string(text) + "'", field);
    return v;
}

void json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += ch;  // UTF-8 passes through (invalid bytes too: the offsets are what matters)
                }
        }
    }
    out += '"';
}

struct options {
    tx::chunk_config cfg;
    std::string by = "chars", encoding = "cl100k_base", strategy = "recursive";
    bool text = false;
};

template <class Strategy, class Sizer>
void print(std::string_view doc, const options& o, const Sizer& sizer) {
    std::string line;
    for (const auto& c : tx::chunk_view<Strategy, Sizer>(doc, o.cfg, sizer)) {
        line.clear();
        line += "{\"begin\":" + std::to_string(c.begin) + ",\"end\":" + std::to_string(c.end) + ",\"size\":" + std::to_string(c.size);
        if (c.oversized) line += ",\"oversized\":true";
        if (o.text) {
            line += ",\"text\":";
            json_string(line, c.text);
        }
        line += "}\n";
        std::fwrite(line.data(), 1, line.size(), stdout);
    }
}

template <class Sizer>
void by_strategy(std::string_view doc, const options& o, const Sizer& sizer) {
    if (o.strategy == "recursive") return print<tx::recursive>(doc, o, sizer);
    if (o.strategy == "fixed") return print<tx::fixed_window>(doc, o, sizer);
    if (o.strategy == "markdown") return print<tx::markdown>(doc, o, sizer);
    throw agentkit::error(agentkit::errc::invalid_argument, "expected recursive, fixed or markdown, got '" + o.strategy + "'", "--strategy");
}

int run_chunk(const std::vector<std::string_view>& args) {
    options o;
    std::string path = "-";
    bool have_max = false, have_overlap = false, have_min = false;
    std::size_t max = 0, overlap = 0, min = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string a(args[i]);
        auto value = [&]() -> std::string_view {
            if (i + 1 >= args.size()) throw agentkit::error(agentkit::errc::invalid_argument, "needs a value", a);
            return args[++i];
        };
        if (a == "-h" || a == "--help") {
            std::fputs(usage_text, stdout);
            return 0;
        } else if (a == "--max") {
            max = number(value(), a), have_max = true;
        } else if (a == "--overlap") {
            overlap = number(value(), a), have_overlap = true;
        } else if (a == "--min") {
            min = number(value(), a), have_min = true;
        } else if (a == "--by") {
            o.by = value();
        } else if (a == "--encoding") {
            o.encoding = value();
        } else if (a == "--strategy") {
            o.strategy = value();
        } else if (a == "--preset") {
            const auto p = value();
            if (p == "default") o.cfg = tx::chunk_config::defaults();
            else if (p == "fast-indexing") o.cfg = tx::chunk_config::fast_indexing();
            else if (p == "precise-search") o.cfg = tx::chunk_config::precise_search();
            else throw agentkit::error(agentkit::errc::invalid_argument, "expected default, fast-indexing or precise-search", a);
        } else if (a == "--keep-separator") {
            const auto k = value();
            if (k == "start") o.cfg.keep = tx::keep_separator::start;
            else if (k == "end") o.cfg.keep = tx::keep_separator::end;
            else if (k == "none") o.cfg.keep = tx::keep_separator::none;
            else throw agentkit::error(agentkit::errc::invalid_argument, "expected start, end or none", a);
        } else if (a == "--no-strip") {
            o.cfg.strip_whitespace = false;
        } else if (a == "--text") {
            o.text = true;
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "agentkit chunk: unknown option '%s'\n%s", a.c_str(), usage_text);
            return 2;
        } else {
            path = a;
        }
    }
    if (have_max) o.cfg.max_chunk_size = max;
    if (have_overlap) o.cfg.chunk_overlap = overlap;
    if (have_min) o.cfg.min_chunk_size = min;
    // A --max below the seed's minChunkSize (128) without --min: keep a quarter of the max as the minimum.
    if (!have_min && o.cfg.min_chunk_size > o.cfg.max_chunk_size) o.cfg.min_chunk_size = o.cfg.max_chunk_size / 4;
    auto one_of = [](const std::string& v, std::initializer_list<const char*> allowed, const char* flag) {
        std::string list;
        for (const char* x : allowed) {
            if (v == x) return;
            list += (list.empty() ? "" : ", ") + std::string(x);
        }
        throw agentkit::error(agentkit::errc::invalid_argument, "expected " + list + ", got '" + v + "'", flag);
    };
    one_of(o.by, {"chars", "bytes", "utf16", "tokens"}, "--by");
    one_of(o.strategy, {"recursive", "fixed", "markdown"}, "--strategy");
    one_of(o.encoding, {"cl100k_base", "o200k_base"}, "--encoding");
    // Name the command-line flag rather than the config field when a value is out of range.
    try {
        o.cfg.validate();
    } catch (const agentkit::error& e) {
        const std::string flag = e.field() == "max_chunk_size" ? "--max" : e.field() == "chunk_overlap" ? "--overlap" : "--min";
        std::string detail = e.what();
        const std::string prefix = "agentkit: " + e.field() + ": ";
        if (detail.rfind(prefix, 0) == 0) detail.erase(0, prefix.size());
        throw agentkit::error(agentkit::errc::invalid_argument, detail, flag);
    }

    std::string doc;
    if (path == "-") {
        doc.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw agentkit::error(agentkit::errc::not_found, "cannot open", path);
        doc.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

    if (o.by == "chars") by_strategy(doc, o, tx::by_chars{});
    else if (o.by == "bytes") by_strategy(doc, o, tx::by_bytes{});
    else if (o.by == "utf16") by_strategy(doc, o, tx::by_utf16{});
    else if (o.by == "tokens") {
        if (o.encoding == "cl100k_base") {
            const tx::token_boundaries bounds(doc, tx::bpe_encoding_of<tx::cl100k>());
            by_strategy(doc, o, tx::by_token_ends{&bounds});
        } else if (o.encoding == "o200k_base") {
            const tx::token_boundaries bounds(doc, tx::bpe_encoding_of<tx::o200k>());
            by_strategy(doc, o, tx::by_token_ends{&bounds});
        } else {
            throw agentkit::error(agentkit::errc::invalid_argument, "expected cl100k_base or o200k_base, got '" + o.encoding + "'", "--encoding");
        }
    } else {
        throw agentkit::error(agentkit::errc::invalid_argument, "expected chars, bytes, utf16 or tokens, got '" + o.by + "'", "--by");
    }
    return 0;
}

const agentkit::cli::registration reg{"chunk", "cut a document into chunks (JSON lines: begin, end, size)", &run_chunk};

}  // namespace
