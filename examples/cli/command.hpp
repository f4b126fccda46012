#pragma once
// Subcommand registry of the `agentkit` CLI. A command_<name>.cpp defines one command and registers it:
//
//   static const agentkit::cli::registration reg{"tokens", "count|encode|decode tokens", &run_tokens};
//
// run(args) gets the arguments after the subcommand name and returns the process exit code.
//
// Conventions every command follows (main.cpp prints them in `agentkit --help`):
//   exit status 0: success; 1: the command failed (invalid input file, I/O error, a limit reached);
//               2: the command line itself is wrong (unknown command or option, missing or malformed
//                  argument, too many operands) - throw usage_error for those.
//   -h / --help anywhere before `--` prints the command's usage to stdout and exits 0.
//   `--` ends the options: every later argument is an operand, even one starting with '-'.
//   Input echoed in an error (paths, option values, lines of a file) goes through agentkit::printable.
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace agentkit::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

using command_fn = int (*)(const std::vector<std::string_view>& args);

struct command {
    std::string_view summary;
    command_fn run;
};

inline std::map<std::string_view, command>& commands() {
    static std::map<std::string_view, command> all;
    return all;
}

struct registration {
    registration(std::string_view name, std::string_view summary, command_fn run) { commands()[name] = {summary, run}; }
};

// The command line is wrong: main prints the error and a pointer to --help, and exits 2.
class usage_error : public agentkit::error {
public:
    usage_error(std::string_view field, std::string detail)
        : agentkit::error(errc::invalid_argument, std::move(detail), printable(field)) {}
};

inline bool is_help(std::string_view a) noexcept { return a == "-h" || a == "--help"; }

// An argument that is an option (not an operand): starts with '-' and is not "-" (stdin) alone.
inline bool looks_like_option(std::string_view a) noexcept { return a.size() > 1 && a.front() == '-'; }

// The value of the option at args[i]: the next argument, which i moves to; a usage error when there is none.
inline std::string_view option_value(const std::vector<std::string_view>& args, std::size_t& i) {
    if (i + 1 >= args.size()) throw usage_error(args[i], "needs a value");
    return args[++i];
}

// An option's whole-number value (decimal digits only); a usage error naming the option otherwise, saying
// what was `expected`.
template <class Unsigned = std::uint64_t>
Unsigned whole_number(std::string_view text, std::string_view option,
                      std::string_view expected = "a non-negative integer") {
    Unsigned v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size())
        throw usage_error(option, "expected " + std::string(expected) + ", got '" + printable(text) + "'");
    return v;
}

// Runs `check` (a library call validating an option's value) and reports what it throws as a usage error.
template <class F>
decltype(auto) as_usage(F&& check) {
    try {
        return std::forward<F>(check)();
    } catch (const usage_error&) {
        throw;
    } catch (const agentkit::error& e) {
        std::string detail = e.what();
        const std::string prefix = "agentkit: " + e.field() + ": ";
        if (!e.field().empty() && detail.rfind(prefix, 0) == 0)
            detail.erase(0, prefix.size());
        else if (detail.rfind("agentkit: ", 0) == 0)
            detail.erase(0, 10);
        throw usage_error(e.field(), detail);
    }
}

}  // namespace agentkit::cli
