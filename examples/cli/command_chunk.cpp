// agentkit chunk: cuts a document into chunks and prints one JSON object per chunk.
//
//   agentkit chunk [--max N] [--overlap N] [--min N] [--by chars|bytes|utf16|tokens]
//                  [--encoding cl100k_base|o200k_base] [--strategy recursive|fixed|markdown]
//                  [--preset default|fast-indexing|precise-search] [--keep-separator start|end|none]
//                  [--no-strip] [--text] [--max-bytes N] [--] [FILE|-]
//
// Each line: {"begin":B,"end":E,"size":S} (byte offsets into the input, size in the --by unit), plus
// "oversized":true for a single unit larger than --max and "text" with --text. Defaults are the seeds':
// --max 512 --overlap 50 --min 128. --by tokens encodes the document once with the exact BPE (vocabulary
// from $AGENTKIT_DATA_DIR/tiktoken, see scripts/bootstrap) and cuts on separators measured in its tokens.
// The document (FILE, or stdin) is read whole, at most --max-bytes (default 1 GiB); a larger one is an
// error naming --max-bytes, exit status 1.
#include "command.hpp"

#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/core/read_file.hpp>
#include <agentkit/json/escape.hpp>
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/chunk.hpp>
#include <agentkit/text/chunk_token_boundaries.hpp>
#include <agentkit/text/chunk_view.hpp>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace tx = agentkit::text;
namespace cli = agentkit::cli;

// The largest document read without --max-bytes: far above any document one chunks in one go.
constexpr std::size_t default_max_bytes = std::size_t{1} << 30;

constexpr const char* usage_text =
    "usage: agentkit chunk [--max N] [--overlap N] [--min N] [--by chars|bytes|utf16|tokens]\n"
    "                      [--encoding cl100k_base|o200k_base] [--strategy recursive|fixed|markdown]\n"
    "                      [--preset default|fast-indexing|precise-search] [--keep-separator start|end|none]\n"
    "                      [--no-strip] [--text] [--max-bytes N] [--] [FILE|-]\n"
    "Prints one JSON object per chunk: begin and end (byte offsets), size (in the --by unit).\n"
    "Defaults: --max 512 --overlap 50 --min 128 (a quarter of --max when that is smaller) --by chars\n"
    "--strategy recursive. --by tokens uses the exact BPE of --encoding (default cl100k_base).\n"
    "The document (FILE, or stdin without one) is read whole: at most --max-bytes N bytes (default 1 GiB).\n";

std::size_t number(std::string_view text, const std::string& field) {
    return cli::whole_number<std::size_t>(text, field);
}

// The JSON lines go out through one buffer written in large blocks: a line's fixed fields are formatted in
// place (to_chars), with no string temporary and no stdio call per chunk. A failed write (a full disk) is an
// error, not a silent exit 0.
class chunk_writer {
public:
    void line(const tx::chunk& c, bool with_text) {
        if (block - used_ < fields_max) flush();
        char* p = buf_.get() + used_;
        p = put(p, "{\"begin\":");
        p = std::to_chars(p, p + digits_max, c.begin).ptr;
        p = put(p, ",\"end\":");
        p = std::to_chars(p, p + digits_max, c.end).ptr;
        p = put(p, ",\"size\":");
        p = std::to_chars(p, p + digits_max, c.size).ptr;
        if (c.oversized) p = put(p, ",\"oversized\":true");
        if (!with_text) p = put(p, "}\n");
        used_ = static_cast<std::size_t>(p - buf_.get());
        if (with_text) {
            text_.assign(",\"text\":");
            // Byte ranges next to their offsets: a chunk cut inside a UTF-8 sequence keeps its bytes as they are.
            agentkit::json::append_string(text_, c.text, agentkit::json::invalid_utf8::pass_through);
            text_ += "}\n";
            append(text_.data(), text_.size());
        }
    }
    void finish() {
        flush();
        if (std::fflush(stdout) != 0) fail();
    }

private:
    static constexpr std::size_t block = std::size_t{1} << 20;
    static constexpr std::size_t digits_max = 20;  // a std::size_t in decimal
    // A line without text: 43 bytes of keys and punctuation (with "oversized") and three numbers.
    static constexpr std::size_t fields_max = 43 + 3 * digits_max;

    template <std::size_t N>
    static char* put(char* p, const char (&literal)[N]) noexcept {
        std::memcpy(p, literal, N - 1);
        return p + (N - 1);
    }
    void append(const char* s, std::size_t n) {
        if (block - used_ < n) {
            flush();
            if (n >= block) return write(s, n);  // a text larger than the buffer goes out as it is
        }
        std::memcpy(buf_.get() + used_, s, n);
        used_ += n;
    }
    void flush() {
        write(buf_.get(), used_);
        used_ = 0;
    }
    static void write(const char* s, std::size_t n) {
        if (n != 0 && std::fwrite(s, 1, n, stdout) != n) fail();
    }
    [[noreturn]] static void fail() {
        throw agentkit::error(agentkit::errc::io_error, std::string("cannot write the chunks: ") + std::strerror(errno),
                              "(stdout)");
    }

    std::unique_ptr<char[]> buf_ = std::make_unique_for_overwrite<char[]>(block);
    std::size_t used_ = 0;
    std::string text_;  // one chunk's ",\"text\":...}\n" (--text)
};

struct options {
    tx::chunk_config cfg;
    std::string by = "chars", encoding = "cl100k_base", strategy = "recursive";
    bool text = false;
};

template <class Strategy, class Sizer>
void print(std::string_view doc, const options& o, const Sizer& sizer) {
    chunk_writer out;
    for (const auto& c : tx::chunk_view<Strategy, Sizer>(doc, o.cfg, sizer)) out.line(c, o.text);
    out.finish();
}

template <class Sizer>
void by_strategy(std::string_view doc, const options& o, const Sizer& sizer) {
    if (o.strategy == "recursive") return print<tx::recursive>(doc, o, sizer);
    if (o.strategy == "fixed") return print<tx::fixed_window>(doc, o, sizer);
    if (o.strategy == "markdown") return print<tx::markdown>(doc, o, sizer);
    throw cli::usage_error("--strategy",
                           "expected recursive, fixed or markdown, got '" + agentkit::printable(o.strategy) + "'");
}

int run_chunk(const std::vector<std::string_view>& args) {
    options o;
    std::string path = "-";
    bool have_path = false, operands_only = false;
    bool have_max = false, have_overlap = false, have_min = false;
    std::size_t max = 0, overlap = 0, min = 0, max_bytes = default_max_bytes;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string a(args[i]);
        auto value = [&] { return cli::option_value(args, i); };
        if (operands_only || !cli::looks_like_option(a)) {
            if (have_path) throw cli::usage_error("FILE", "only one input file");
            path = a, have_path = true;
        } else if (a == "--") {
            operands_only = true;
        } else if (cli::is_help(a)) {
            std::fputs(usage_text, stdout);
            return cli::exit_ok;
        } else if (a == "--max") {
            max = number(value(), a), have_max = true;
        } else if (a == "--overlap") {
            overlap = number(value(), a), have_overlap = true;
        } else if (a == "--min") {
            min = number(value(), a), have_min = true;
        } else if (a == "--max-bytes") {
            max_bytes = number(value(), a);
        } else if (a == "--by") {
            o.by = value();
        } else if (a == "--encoding") {
            o.encoding = value();
        } else if (a == "--strategy") {
            o.strategy = value();
        } else if (a == "--preset") {
            const auto p = value();
            if (p == "default")
                o.cfg = tx::chunk_config::defaults();
            else if (p == "fast-indexing")
                o.cfg = tx::chunk_config::fast_indexing();
            else if (p == "precise-search")
                o.cfg = tx::chunk_config::precise_search();
            else
                throw cli::usage_error(a, "expected default, fast-indexing or precise-search");
        } else if (a == "--keep-separator") {
            const auto k = value();
            if (k == "start")
                o.cfg.keep = tx::keep_separator::start;
            else if (k == "end")
                o.cfg.keep = tx::keep_separator::end;
            else if (k == "none")
                o.cfg.keep = tx::keep_separator::none;
            else
                throw cli::usage_error(a, "expected start, end or none");
        } else if (a == "--no-strip") {
            o.cfg.strip_whitespace = false;
        } else if (a == "--text") {
            o.text = true;
        } else {
            throw cli::usage_error(a, "unknown option");
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
        throw cli::usage_error(flag, "expected " + list + ", got '" + agentkit::printable(v) + "'");
    };
    one_of(o.by, {"chars", "bytes", "utf16", "tokens"}, "--by");
    one_of(o.strategy, {"recursive", "fixed", "markdown"}, "--strategy");
    one_of(o.encoding, {"cl100k_base", "o200k_base"}, "--encoding");
    // Name the command-line flag rather than the config field when a value is out of range.
    try {
        o.cfg.validate();
    } catch (const agentkit::error& e) {
        const std::string flag = e.field() == "max_chunk_size" ? "--max"
            : e.field() == "chunk_overlap"                     ? "--overlap"
                                                               : "--min";
        std::string detail = e.what();
        const std::string prefix = "agentkit: " + e.field() + ": ";
        if (detail.rfind(prefix, 0) == 0) detail.erase(0, prefix.size());
        throw cli::usage_error(flag, detail);
    }

    // A file is mapped, not copied: the chunker scans it once (docs/benchmarks.md, "End to end").
    const auto input = path == "-" ? agentkit::input_bytes::stream(0, max_bytes, "--max-bytes", "(stdin)")
                                   : agentkit::input_bytes::file(path, max_bytes, "--max-bytes");
    const std::string_view doc = input.view();

    if (o.by == "chars")
        by_strategy(doc, o, tx::by_chars{});
    else if (o.by == "bytes")
        by_strategy(doc, o, tx::by_bytes{});
    else if (o.by == "utf16")
        by_strategy(doc, o, tx::by_utf16{});
    else if (o.by == "tokens") {
        if (o.encoding == "cl100k_base") {
            const tx::token_boundaries bounds(doc, tx::bpe_encoding_of<tx::cl100k>());
            by_strategy(doc, o, tx::by_token_ends{&bounds});
        } else if (o.encoding == "o200k_base") {
            const tx::token_boundaries bounds(doc, tx::bpe_encoding_of<tx::o200k>());
            by_strategy(doc, o, tx::by_token_ends{&bounds});
        } else {
            throw cli::usage_error("--encoding",
                                   "expected cl100k_base or o200k_base, got '" + agentkit::printable(o.encoding) + "'");
        }
    } else {
        throw cli::usage_error("--by",
                               "expected chars, bytes, utf16 or tokens, got '" + agentkit::printable(o.by) + "'");
    }
    return 0;
}

const agentkit::cli::registration reg{"chunk", "cut a document into chunks (JSON lines: begin, end, size)", &run_chunk};

}  // namespace
