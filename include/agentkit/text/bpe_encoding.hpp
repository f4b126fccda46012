#pragma once
// Exact, tiktoken-compatible byte-pair encodings: cl100k_base and o200k_base (or any tiktoken rank file
// with one of their split patterns). Token-for-token identical to tiktoken on valid UTF-8.
//
//   agentkit::text::count_tokens<agentkit::text::cl100k>(text)          // exact count, no token vector
//   agentkit::agent<agentkit::with_tokens<agentkit::text::bpe_counter<agentkit::text::o200k>>> a;
//   const auto& enc = agentkit::text::bpe_encoding_of<agentkit::text::cl100k>();
//   enc.encode_ordinary(text); enc.encode(text, special_tokens::all()); enc.decode(ids);
//   enc.for_each_token(text, [](token_id id, std::size_t begin, std::size_t end) { ... });  // boundaries
//
// The vocabulary is loaded once per process on first use (thread-safe), then shared read-only by every
// thread. Where it is looked up: $AGENTKIT_TIKTOKEN_DIR, else $AGENTKIT_DATA_DIR/tiktoken, else
// <prefix>/share/agentkit/tiktoken beside the running program's <prefix>/bin (where `cmake --install` puts
// them), else the compile-time AGENTKIT_DEFAULT_DATA_DIR (or AGENTKIT_DATA_DIR) macro + /tiktoken (the
// installed package defines it for its consumers; scripts/bootstrap fills the source tree's data/). A
// missing or corrupt file throws agentkit::error naming the file.
//
// A piece the pre-tokenizer does not break (a run of letters, spaces or punctuation) longer than
// bpe_vocabulary::max_piece_bytes() (default 1 MiB) makes encode, count and for_each_token throw
// agentkit::error(capacity_exceeded, field "text.max_piece_bytes"): it is never cut, which would change
// the tokens. Rank files over 64 MiB are refused (bpe_vocabulary::load's max_file_bytes).
//
// Invalid UTF-8: each byte that is not part of a valid sequence is split as one character of class
// "other" (like the U+FFFD a lossy conversion would put there), and BPE runs on the bytes as they are, so
// decode(encode(x)) == x for any bytes. tiktoken cannot take such input at all (its encode takes a str).
#include <agentkit/core/error.hpp>
#include <agentkit/text/bpe_vocabulary.hpp>
#include <agentkit/text/tiktoken_split.hpp>
#include <agentkit/text/token_counter.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace agentkit::text {

struct special_token {
    std::string text;
    token_id id;
};

// Which special tokens a call treats as special: none, all, or the listed ones (tiktoken's
// allowed_special / disallowed_special).
class special_tokens {
public:
    static special_tokens none() { return special_tokens{false, {}}; }
    static special_tokens all() { return special_tokens{true, {}}; }
    static special_tokens only(std::vector<std::string> names) { return special_tokens{false, std::move(names)}; }
    bool contains(std::string_view name) const {
        return all_ || std::find(names_.begin(), names_.end(), name) != names_.end();
    }

private:
    special_tokens(bool all, std::vector<std::string> names) : all_(all), names_(std::move(names)) {}
    bool all_;
    std::vector<std::string> names_;
};

template <class Split>
class basic_bpe_encoding {
public:
    basic_bpe_encoding(std::string name, std::shared_ptr<const bpe_vocabulary> vocab,
                       std::vector<special_token> specials)
        : name_(std::move(name)), vocab_(std::move(vocab)), specials_(std::move(specials)) {
        if (!vocab_) throw_invalid_field("vocabulary", "is null");
        for (const auto& s : specials_) {
            if (s.text.empty()) throw_invalid_field("special_tokens", "a special token has empty text");
            if (s.id < vocab_->rank_limit() && !vocab_->bytes_of(s.id).empty())
                throw_invalid_field("special_tokens",
                                    std::string("id ")
                                        .append(std::to_string(s.id))
                                        .append(" of ")
                                        .append(s.text)
                                        .append(" is an ordinary rank"));
        }
    }

    const std::string& name() const noexcept { return name_; }
    const bpe_vocabulary& vocabulary() const noexcept { return *vocab_; }
    const std::vector<special_token>& specials() const noexcept { return specials_; }
    // Ordinary ranks plus special tokens.
    std::size_t n_vocab() const noexcept { return vocab_->size() + specials_.size(); }
    std::size_t resident_bytes() const noexcept {
        std::size_t b = sizeof(*this) + vocab_->resident_bytes();
        for (const auto& s : specials_) b += sizeof(s) + s.text.capacity();
        return b;
    }

    // ---- boundaries: one pass, no vector -------------------------------------------------------------
    // Calls f(token_id id, std::size_t begin, std::size_t end) for each token of the ordinary encoding
    // (special-token text is encoded as plain text), with [begin, end) the token's bytes in `text`.
    // Tokens are contiguous: the first begins at 0, each begins where the previous ended.
    template <class F>
    void for_each_token(std::string_view text, F&& f) const {
        for_each_piece_batch<true>(
            text,
            [&](const bpe_vocabulary::piece_reader& r, const unsigned char* s, std::size_t b, std::size_t e,
                std::uint32_t hint) {
                r.encode(s + b, e - b, hint, [&](token_id id, std::size_t x, std::size_t y) { f(id, b + x, b + y); });
            });
    }
    // Appends the end offset of every token of `text` to `ends` (what a chunker needs to cut on tokens).
    void token_ends(std::string_view text, std::vector<std::uint32_t>& ends) const {
        if (text.size() > 0xFFFFFFFFu) throw_invalid_field("text", "longer than 4 GiB; use for_each_token");
        for_each_token(
            text, [&ends](token_id, std::size_t, std::size_t e) { ends.push_back(static_cast<std::uint32_t>(e)); });
    }

    // ---- counting --------------------------------------------------------------------------------------
    // The number of tokens of encode_ordinary(text), without building the token vector.
    std::size_t count(std::string_view text) const {
        std::size_t tokens = 0;
        for_each_piece_batch<false>(text,
                                    [&](const bpe_vocabulary::piece_reader& r, const unsigned char* s, std::size_t b,
                                        std::size_t e, std::uint32_t hint) { tokens += r.count(s + b, e - b, hint); });
        return tokens;
    }
    // count() on `threads` threads (0 = hardware concurrency). The text is cut only where a piece always
    // ends (after a newline, before an ASCII letter), so the sum is exact; texts under min_chunk stay on
    // the calling thread. Throws what count() throws, from whichever thread met it.
    std::size_t count_parallel(std::string_view text, unsigned threads = 0, std::size_t min_chunk = 1u << 20) const {
        if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
        if (threads == 1 || text.size() < 2 * min_chunk) return count(text);
        const std::size_t chunks = std::min<std::size_t>(threads, text.size() / min_chunk);
        std::vector<std::size_t> cuts{0};
        for (std::size_t k = 1; k < chunks; ++k) {
            const std::size_t c = safe_cut(text, text.size() * k / chunks, text.size() * (k + 1) / chunks);
            if (c != std::string_view::npos && c > cuts.back()) cuts.push_back(c);
        }
        cuts.push_back(text.size());
        std::vector<std::size_t> partial(cuts.size() - 1, 0);
        // A worker's error (a piece over max_piece_bytes) is rethrown here: escaping its thread would terminate.
        std::vector<std::exception_ptr> failed(cuts.size() - 1);
        {
            std::vector<std::jthread> pool;
            for (std::size_t k = 1; k + 1 < cuts.size(); ++k)
                pool.emplace_back([&, k] {
                    try {
                        bpe_vocabulary::reserve_thread_memo();  // a new thread: its memo at full size from the start
                        partial[k] = count(text.substr(cuts[k], cuts[k + 1] - cuts[k]));
                    } catch (...) {
                        failed[k] = std::current_exception();
                    }
                });
            partial[0] = count(text.substr(0, cuts[1]));
        }
        for (const auto& f : failed)
            if (f) std::rethrow_exception(f);
        std::size_t total = 0;
        for (auto p : partial) total += p;
        return total;
    }
    // The first position in [from, limit) where a piece always begins whatever precedes it (just after a
    // '\n', on an ASCII letter), or npos when there is none. token_tally cuts here too.
    static std::size_t safe_cut(std::string_view text, std::size_t from, std::size_t limit) noexcept {
        limit = std::min(limit, text.size());
        for (std::size_t i = std::max<std::size_t>(from, 1); i < limit; ++i) {
            if (text[i - 1] == '\n') {
                const char c = text[i];
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return i;
            }
        }
        return std::string_view::npos;
    }

    // ---- encoding --------------------------------------------------------------------------------------
    void encode_ordinary(std::string_view text, std::vector<token_id>& out) const {
        out.reserve(out.size() + text.size() / 3);
        for_each_token(text, [&out](token_id id, std::size_t, std::size_t) { out.push_back(id); });
    }
    std::vector<token_id> encode_ordinary(std::string_view text) const {
        std::vector<token_id> out;
        encode_ordinary(text, out);
        return out;
    }
    // tiktoken's encode(text, allowed_special, disallowed_special): allowed special tokens become their
    // ids, a disallowed one anywhere in the text throws agentkit::error (field "text"), the others are
    // plain text. The default is tiktoken's: none allowed, all disallowed.
    std::vector<token_id> encode(std::string_view text, const special_tokens& allowed = special_tokens::none(),
                                 const special_tokens& disallowed = special_tokens::all()) const {
        for (const auto& s : specials_) {
            if (!allowed.contains(s.text) && disallowed.contains(s.text) && text.find(s.text) != std::string_view::npos)
                throw error(
                    errc::invalid_argument,
                    "contains the special token " + s.text + ", which is disallowed (allow it, or encode it as text)",
                    "text");
        }
        std::vector<token_id> out;
        out.reserve(text.size() / 3);
        std::size_t pos = 0;
        for (;;) {
            // The earliest allowed special token at or after pos (longest on a tie, like a regex alternation
            // of the sorted names would give for names that are prefixes of each other).
            std::size_t best = std::string_view::npos;
            const special_token* hit = nullptr;
            for (const auto& s : specials_) {
                if (!allowed.contains(s.text)) continue;
                const std::size_t at = text.find(s.text, pos);
                if (at < best || (at == best && at != std::string_view::npos && s.text.size() > hit->text.size())) {
                    best = at;
                    hit = &s;
                }
            }
            encode_ordinary(text.substr(pos, best == std::string_view::npos ? std::string_view::npos : best - pos),
                            out);
            if (!hit) break;
            out.push_back(hit->id);
            pos = best + hit->text.size();
        }
        return out;
    }

    // ---- decoding --------------------------------------------------------------------------------------
    // The bytes of the tokens (not necessarily valid UTF-8 when a multi-byte character is split). An id
    // that is neither a rank nor a special token throws agentkit::error (field "tokens[i]").
    void decode(std::span<const token_id> ids, std::string& out) const {
        for (std::size_t k = 0; k < ids.size(); ++k) {
            const std::string_view b = vocab_->bytes_of(ids[k]);
            if (!b.empty()) {
                out.append(b);
                continue;
            }
            const special_token* s = special_by_id(ids[k]);
            if (!s)
                throw error(errc::invalid_argument, std::string("unknown token id ").append(std::to_string(ids[k])),
                            std::string("tokens[").append(std::to_string(k)).append("]"));
            out.append(s->text);
        }
    }
    std::string decode(std::span<const token_id> ids) const {
        std::string out;
        decode(ids, out);
        return out;
    }

private:
    // Splits a batch of pieces ahead and starts loading each one's memo entry (or hash slot) before
    // g(reader, s, begin, end, hint) looks it up, so the memory latency of the lookups overlaps with
    // splitting (WithIds: the token ids too, for encoding); between batches the thread's memo may grow.
    template <bool WithIds, class G>
    void for_each_piece_batch(std::string_view text, G&& g) const {
        constexpr std::size_t batch = 16;
        const auto* s = reinterpret_cast<const unsigned char*>(text.data());
        const std::size_t n = text.size();
        const bpe_vocabulary::piece_reader r(*vocab_);
        std::size_t bounds[batch + 1];
        std::uint32_t hint[batch];
        for (std::size_t i = 0; i < n;) {
            std::size_t m = 0;
            bounds[0] = i;
            while (m < batch && i < n) {
                i = Split::next(s, n, i);
                hint[m] = r.prefetch(s + bounds[m], i - bounds[m], WithIds);
                bounds[++m] = i;
            }
            for (std::size_t k = 0; k < m; ++k) g(r, s, bounds[k], bounds[k + 1], hint[k]);
            r.next_batch();
        }
    }

    const special_token* special_by_id(token_id id) const noexcept {
        for (const auto& s : specials_)
            if (s.id == id) return &s;
        return nullptr;
    }

    std::string name_;
    std::shared_ptr<const bpe_vocabulary> vocab_;
    std::vector<special_token> specials_;
};

// ---- where the rank files are -------------------------------------------------------------------------
#if defined(AGENTKIT_DEFAULT_DATA_DIR)
inline constexpr const char* default_data_dir = AGENTKIT_DEFAULT_DATA_DIR;
#elif defined(AGENTKIT_DATA_DIR)
inline constexpr const char* default_data_dir = AGENTKIT_DATA_DIR;
#else
inline constexpr const char* default_data_dir = "";
#endif

// <prefix>/share/agentkit/tiktoken when the running program is <prefix>/bin/NAME and that directory exists,
// else "": an installed `agentkit` (or any program installed in the same prefix) needs no environment.
// POSIX calls rather than <filesystem>, which would add to every token counter's compile time.
inline std::string installed_tiktoken_dir() {
#if defined(__linux__)
    char exe[4096];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe);
    if (n <= 0 || static_cast<std::size_t>(n) >= sizeof exe) return {};
    std::string dir(exe, static_cast<std::size_t>(n));
    for (int up = 0; up < 2; ++up) {  // drop NAME, then bin
        const auto slash = dir.rfind('/');
        if (slash == std::string::npos) return {};
        dir.resize(slash);
    }
    dir.append("/share/agentkit/tiktoken");
    struct ::stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return dir;
#endif
    return {};
}

inline std::string tiktoken_dir() {
    if (const char* d = std::getenv("AGENTKIT_TIKTOKEN_DIR"); d && *d) return d;
    if (const char* d = std::getenv("AGENTKIT_DATA_DIR"); d && *d) return std::string(d) + "/tiktoken";
    if (std::string installed = installed_tiktoken_dir(); !installed.empty()) return installed;
    if (*default_data_dir) return std::string(default_data_dir) + "/tiktoken";
    throw error(errc::not_found,
                "no tiktoken directory: set AGENTKIT_TIKTOKEN_DIR (or AGENTKIT_DATA_DIR) to where scripts/bootstrap "
                "put the rank files",
                "AGENTKIT_TIKTOKEN_DIR");
}

// ---- the two OpenAI encodings, as policies ------------------------------------------------------------
// Each is a token counter itself (count() uses the shared, lazily loaded encoding), so both
// count_tokens<cl100k>(text) and with_tokens<cl100k> work; bpe_counter<P> is the same counter by name.
template <class P>
struct split_of {
    using type = cl100k_split;  // only so that a wrong P reaches the static_assert naming it, not a cascade
};
template <class P>
requires requires { typename P::split; }
struct split_of<P> {
    using type = typename P::split;
};
template <class P>
using encoding_for = basic_bpe_encoding<typename split_of<P>::type>;

template <class P>
const encoding_for<P>& bpe_encoding_of();

struct cl100k {
    using split = cl100k_split;
    static constexpr std::string_view name = "cl100k_base";
    static constexpr std::string_view file = "cl100k_base.tiktoken";
    static constexpr std::size_t ranks = 100256;
    static std::vector<special_token> specials() {
        return {{"<|endoftext|>", 100257},
                {"<|fim_prefix|>", 100258},
                {"<|fim_middle|>", 100259},
                {"<|fim_suffix|>", 100260},
                {"<|endofprompt|>", 100276}};
    }
    std::size_t count(std::string_view text) const { return bpe_encoding_of<cl100k>().count(text); }
};

struct o200k {
    using split = o200k_split;
    static constexpr std::string_view name = "o200k_base";
    static constexpr std::string_view file = "o200k_base.tiktoken";
    static constexpr std::size_t ranks = 199998;
    static std::vector<special_token> specials() { return {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}; }
    std::size_t count(std::string_view text) const { return bpe_encoding_of<o200k>().count(text); }
};

template <class P>
concept bpe_policy = requires {
    typename P::split;
    { P::name } -> std::convertible_to<std::string_view>;
    { P::file } -> std::convertible_to<std::string_view>;
    { P::ranks } -> std::convertible_to<std::size_t>;
    { P::specials() } -> std::convertible_to<std::vector<special_token>>;
};

// Loads the encoding of policy P from `dir` (no caching; bpe_encoding_of<P>() caches the default one).
template <class P>
encoding_for<P> load_bpe_encoding(const std::string& dir) {
    static_assert(bpe_policy<P>,
                  "agentkit::text::load_bpe_encoding<P>: P is not a BPE encoding policy (cl100k, o200k)");
    if constexpr (bpe_policy<P>) {
        const std::string path = dir + "/" + std::string(P::file);
        auto vocab = std::make_shared<const bpe_vocabulary>(bpe_vocabulary::load(path));
        if (vocab->size() != P::ranks)
            throw error(errc::parse_error,
                        std::string("has ")
                            .append(std::to_string(vocab->size()))
                            .append(" ranks, ")
                            .append(P::name)
                            .append(" has ")
                            .append(std::to_string(P::ranks))
                            .append(" (truncated or not this encoding; re-run scripts/bootstrap)"),
                        path);
        return encoding_for<P>(std::string(P::name), std::move(vocab), P::specials());
    } else {
        throw error(errc::invalid_argument, "not a BPE encoding policy");  // unreachable: the static_assert fired
    }
}

template <class P>
const encoding_for<P>& bpe_encoding_of() {
    static_assert(bpe_policy<P>, "agentkit::text::bpe_encoding_of<P>: P is not a BPE encoding policy (cl100k, o200k)");
    static const encoding_for<P> instance = load_bpe_encoding<P>(tiktoken_dir());
    return instance;
}

template <class P>
struct bpe_counter {
    static_assert(bpe_policy<P>, "agentkit::text::bpe_counter<P>: P is not a BPE encoding policy (cl100k, o200k)");
    const encoding_for<P>* encoding = shared();
    static const encoding_for<P>* shared() {
        if constexpr (bpe_policy<P>)
            return &bpe_encoding_of<P>();
        else
            return nullptr;  // (the static_assert above has fired)
    }
    std::size_t count(std::string_view text) const { return encoding->count(text); }
};

static_assert(token_counter<cl100k> && token_counter<o200k>);

}  // namespace agentkit::text
