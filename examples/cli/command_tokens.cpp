// agentkit tokens count|encode|decode [--encoding cl100k_base|o200k_base|estimate] [--allow-special]
//                                      [--max-bytes N] [--] [FILE|-]
//   count    prints the number of tokens (one integer)
//   encode   prints the token ids, separated by spaces
//   decode   reads token ids (separated by spaces, commas or newlines) and prints the text
// The input (FILE, or stdin) is read whole, at most --max-bytes (default 1 GiB); a larger input is an error
// naming --max-bytes, exit status 1.
// The default encoding is o200k_base. `estimate` is the calibrated estimator (o200k_base coefficients; no
// vocabulary needed; count only). Special-token text (<|endoftext|>, ...) is plain text unless
// --allow-special is given. Rank files: $AGENTKIT_TIKTOKEN_DIR, else $AGENTKIT_DATA_DIR/tiktoken, else
// <prefix>/share/agentkit/tiktoken of an installed agentkit, else the source tree's data/ (scripts/bootstrap).
#include "command.hpp"

#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/core/read_file.hpp>
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/calibrated_estimator.hpp>

#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

namespace {
using namespace agentkit::text;
namespace cli = agentkit::cli;

// The largest input read without --max-bytes: far above any document one tokenizes in one go.
constexpr std::size_t default_max_bytes = std::size_t{1} << 30;

agentkit::input_bytes read_input(std::string_view file, std::size_t max_bytes) {
    if (file.empty() || file == "-") return agentkit::input_bytes::stream(0, max_bytes, "--max-bytes", "(stdin)");
    return agentkit::input_bytes::file(std::string(file), max_bytes, "--max-bytes");
}

std::vector<token_id> parse_ids(std::string_view text) {
    std::vector<token_id> ids;
    std::uint64_t v = 0;
    bool in_number = false;
    std::size_t index = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : ' ';
        if (c >= '0' && c <= '9') {
            v = v * 10 + static_cast<unsigned>(c - '0');
            if (v > 0xFFFFFFFEu)
                throw agentkit::error(agentkit::errc::invalid_argument, "token id out of range",
                                      "ids[" + std::to_string(index) + "]");
            in_number = true;
        } else if (c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t' || c == '[' || c == ']') {
            if (in_number) ids.push_back(static_cast<token_id>(v)), ++index;
            v = 0;
            in_number = false;
        } else {
            throw agentkit::error(
                agentkit::errc::parse_error,
                "unexpected character '" + agentkit::printable(std::string_view(&text[i], 1)) + "' in the token ids",
                "ids[" + std::to_string(index) + "]");
        }
    }
    return ids;
}

template <class P>
int run_exact(std::string_view op, std::string_view input, bool allow_special) {
    // Malformed ids are reported before the vocabulary is loaded.
    const std::vector<token_id> ids_to_decode = op == "decode" ? parse_ids(input) : std::vector<token_id>{};
    const auto& enc = bpe_encoding_of<P>();
    if (op == "count") {
        const std::size_t n = allow_special
            ? enc.encode(input, special_tokens::all()).size()
            : enc.count_parallel(input);  // all cores for large inputs (>= 2 MiB), exact
        std::printf("%zu\n", n);
    } else if (op == "encode") {
        const auto ids = allow_special ? enc.encode(input, special_tokens::all()) : enc.encode_ordinary(input);
        std::string out;
        out.reserve(ids.size() * 6);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i) out += ' ';
            out += std::to_string(ids[i]);
        }
        out += '\n';
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else {
        const std::string text = enc.decode(ids_to_decode);
        std::fwrite(text.data(), 1, text.size(), stdout);
    }
    return 0;
}

constexpr const char* usage_text =
    "usage: agentkit tokens count|encode|decode [--encoding cl100k_base|o200k_base|estimate] [--allow-special]\n"
    "                                           [--max-bytes N] [--] [FILE|-]\n"
    "  count prints one integer; encode prints ids separated by spaces; decode reads ids and prints text.\n"
    "  Default encoding: o200k_base. estimate: the calibrated estimator (count only, no vocabulary).\n"
    "  The input (FILE, or stdin without one) is read whole: at most --max-bytes N bytes (default 1 GiB).\n";

std::size_t byte_count(std::string_view text, std::string_view flag) {
    return cli::whole_number<std::size_t>(text, flag, "a byte count");
}

int run_tokens(const std::vector<std::string_view>& args) {
    if (args.empty()) throw cli::usage_error("tokens", "needs an operation: count, encode or decode");
    const std::string_view op = args[0];
    if (cli::is_help(op) || op == "help") {
        std::fputs(usage_text, stdout);
        return cli::exit_ok;
    }
    if (op != "count" && op != "encode" && op != "decode")
        throw cli::usage_error(op, "unknown operation (count, encode, decode)");
    std::string_view encoding = "o200k_base", file;
    bool allow_special = false, operands_only = false;
    std::size_t max_bytes = default_max_bytes;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view a = args[i];
        auto value = [&] { return cli::option_value(args, i); };
        if (operands_only || !cli::looks_like_option(a)) {
            if (!file.empty()) throw cli::usage_error("FILE", "only one input file");
            file = a;
        } else if (a == "--") {
            operands_only = true;
        } else if (a == "--encoding" || a == "-e") {
            encoding = value();
        } else if (a.rfind("--encoding=", 0) == 0) {
            encoding = a.substr(11);
        } else if (a == "--allow-special") {
            allow_special = true;
        } else if (a == "--max-bytes") {
            max_bytes = byte_count(value(), a);
        } else if (cli::is_help(a)) {
            std::fputs(usage_text, stdout);
            return cli::exit_ok;
        } else {
            throw cli::usage_error(a, "unknown option");
        }
    }
    const bool cl100k_wanted = encoding == "cl100k_base" || encoding == "cl100k";
    const bool o200k_wanted = encoding == "o200k_base" || encoding == "o200k";
    if (encoding == "estimate") {
        if (op != "count")
            throw cli::usage_error("--encoding", "estimate only counts; encode/decode need cl100k_base or o200k_base");
    } else if (!cl100k_wanted && !o200k_wanted) {
        throw cli::usage_error(
            "--encoding",
            "unknown encoding '" + agentkit::printable(encoding) + "' (cl100k_base, o200k_base, estimate)");
    }
    const auto bytes = read_input(file, max_bytes);
    const std::string_view input = bytes.view();
    if (cl100k_wanted) return run_exact<cl100k>(op, input, allow_special);
    if (o200k_wanted) return run_exact<o200k>(op, input, allow_special);
    std::printf("%zu\n", calibrated_estimator<o200k>{}.count(input));
    return cli::exit_ok;
}

const agentkit::cli::registration reg{"tokens", "count|encode|decode tokens (cl100k_base, o200k_base, estimate)",
                                      &run_tokens};

}  // namespace
