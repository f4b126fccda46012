// agentkit tokens count|encode|decode [--encoding cl100k_base|o200k_base|estimate] [--allow-special] [FILE|-]
//   count    prints the number of tokens (one integer)
//   encode   prints the token ids, separated by spaces
//   decode   reads token ids (separated by spaces, commas or newlines) and prints the text
// The default encoding is o200k_base. `estimate` is the calibrated estimator (o200k_base coefficients; no
// vocabulary needed; count only). Special-token text (<|endoftext|>, ...) is plain text unless
// --allow-special is given. Rank files: $AGENTKIT_TIKTOKEN_DIR, else $AGENTKIT_DATA_DIR/tiktoken (scripts/bootstrap).
#include "command.hpp"

#include <agentkit/core/error.hpp>
#include <agentkit/text/bpe_encoding.hpp>
#include <agentkit/text/calibrated_estimator.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {
using namespace agentkit::text;

std::string read_input(std::string_view file) {
    if (file.empty() || file == "-") {
        std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        return all;
    }
    std::ifstream in{std::string(file), std::ios::binary};
    if (!in) throw agentkit::error(agentkit::errc::not_found, "cannot open the input file", std::string(file));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<token_id> parse_ids(const std::string& text) {
    std::vector<token_id> ids;
    std::uint64_t v = 0;
    bool in_number = false;
    std::size_t index = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : ' ';
        if (c >= '0' && c <= '9') {
            v = v * 10 + static_cast<unsigned>(c - '0');
            if (v > 0xFFFFFFFEu) throw agentkit::error(agentkit::errc::invalid_argument, "token id out of range", "ids[" + std::to_string(index) + "]");
            in_number = true;
        } else if (c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t' || c == '[' || c == ']') {
            if (in_number) ids.push_back(static_cast<token_id>(v)), ++index;
            v = 0;
            in_number = false;
        } else {
            throw agentkit::error(agentkit::errc::parse_error, std::string("unexpected character '") + c + "' in the token ids",
                                  "ids[" + std::to_string(index) + "]");
        }
    }
    return ids;
}

template <class P>
int run_exact(std::string_view op, const std::string& input, bool allow_special) {
    const auto& enc = bpe_encoding_of<P>();
    if (op == "count") {
        const std::size_t n = allow_special ? enc.encode(input, special_tokens::all()).size() : enc.count_parallel(input);  // all cores for large inputs (>= 2 MiB), exact
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
        const std::string text = enc.decode(parse_ids(input));
        std::fwrite(text.data(), 1, text.size(), stdout);
    }
    return 0;
}

int usage(std::FILE* out) {
    std::fprintf(out,
                 "usage: agentkit tokens count|encode|decode [--encoding cl100k_base|o200k_base|estimate] [--allow-special] [FILE|-]\n"
                 "  count prints one integer; encode prints ids separated by spaces; decode reads ids and prints text.\n"
                 "  Default encoding: o200k_base. estimate: the calibrated estimator (count only, no vocabulary).\n");
    return out == stdout ? 0 : 2;
}

int run_tokens(const std::vector<std::string_view>& args) {
    if (args.empty()) return usage(stderr);
    const std::string_view op = args[0];
    if (op == "--help" || op == "-h" || op == "help") return usage(stdout);
    if (op != "count" && op != "encode" && op != "decode") {
        std::fprintf(stderr, "agentkit tokens: unknown operation '%.*s'\n", static_cast<int>(op.size()), op.data());
        return usage(stderr);
    }
    std::string_view encoding = "o200k_base", file;
    bool allow_special = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--encoding" || a == "-e") {
            if (i + 1 >= args.size()) agentkit::throw_invalid_field("--encoding", "needs a value: cl100k_base, o200k_base or estimate");
            encoding = args[++i];
        } else if (a.rfind("--encoding=", 0) == 0) {
            encoding = a.substr(11);
        } else if (a == "--allow-special") {
            allow_special = true;
        } else if (a == "--help" || a == "-h") {
            return usage(stdout);
        } else if (a.size() > 1 && a[0] == '-') {
            agentkit::throw_invalid_field(std::string(a), "unknown option (see agentkit tokens --help)");
        } else if (file.empty()) {
            file = a;
        } else {
            agentkit::throw_invalid_field("FILE", "only one input file");
        }
    }
    const std::string input = read_input(file);
    if (encoding == "cl100k_base" || encoding == "cl100k") return run_exact<cl100k>(op, input, allow_special);
    if (encoding == "o200k_base" || encoding == "o200k") return run_exact<o200k>(op, input, allow_special);
    if (encoding == "estimate") {
        if (op != "count") agentkit::throw_invalid_field("--encoding", "estimate only counts; encode/decode need cl100k_base or o200k_base");
        std::printf("%zu\n", calibrated_estimator<o200k>{}.count(input));
        return 0;
    }
    agentkit::throw_invalid_field("--encoding", "unknown encoding '" + std::string(encoding) + "' (cl100k_base, o200k_base, estimate)");
}

const agentkit::cli::registration reg{"tokens", "count|encode|decode tokens (cl100k_base, o200k_base, estimate)", &run_tokens};

}  // namespace
