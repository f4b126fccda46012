// agentkit config check [--lenient] [--compact] [--] FILE|-
//   Loads a deployment file (JSON; the seeds' key names, see docs/policies/config.md; at most 16 MiB, from a
//   file or stdin), runs every check the configured policies run, and prints the effective configuration:
//   every knob with its value. On an error prints it with the key's path ("agentkit: models.router.retry.
//   maxAtempts: unknown key (did you mean maxAttempts?)") and exits 1. --lenient turns unknown keys into
//   warnings (on stderr).
// agentkit config defaults
//   Prints the defaults (the seeds'), in the file's layout: a starting point for a deployment file.
#include "command.hpp"

#include <agentkit/config/load.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/core/read_file.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

namespace cli = agentkit::cli;

constexpr const char* usage_text =
    "usage: agentkit config check [--lenient] [--compact] [--] FILE|-\n"
    "       agentkit config defaults\n"
    "check     loads a deployment file (JSON, at most 16 MiB; - reads stdin), runs every policy's checks and\n"
    "          prints the effective configuration. An invalid file: the error with its key path, exit status 1.\n"
    "          --lenient: unknown keys are warnings (stderr). --compact: one line.\n"
    "defaults  prints every knob at its default, in the file's layout.\n";

int run_config(const std::vector<std::string_view>& args) {
    if (args.empty()) throw cli::usage_error("config", "needs a subcommand: check or defaults");
    const std::string_view sub = args[0];
    if (cli::is_help(sub) || sub == "help") {
        std::fputs(usage_text, stdout);
        return cli::exit_ok;
    }
    if (sub == "defaults") {
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] == "--") continue;
            if (cli::is_help(args[i])) {
                std::fputs(usage_text, stdout);
                return cli::exit_ok;
            }
            throw cli::usage_error(args[i], "config defaults takes no arguments");
        }
        std::printf("%s\n", agentkit::config::to_json(agentkit::config::deployment{}).c_str());
        return cli::exit_ok;
    }
    if (sub != "check") throw cli::usage_error(sub, "unknown subcommand (check, defaults)");
    agentkit::config::load_options options;
    bool pretty = true, operands_only = false;
    std::string_view file;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (!operands_only && cli::looks_like_option(a)) {
            if (cli::is_help(a)) {
                std::fputs(usage_text, stdout);
                return cli::exit_ok;
            }
            if (a == "--")
                operands_only = true;
            else if (a == "--lenient")
                options.unknown = agentkit::config::unknown_keys::warn;
            else if (a == "--compact")
                pretty = false;
            else
                throw cli::usage_error(a, "unknown option");
        } else if (file.empty()) {
            file = a;
        } else {
            throw cli::usage_error(a, "config check takes one FILE (or - for stdin)");
        }
    }
    if (file.empty()) throw cli::usage_error("FILE", "config check needs a deployment file (or - for stdin)");
    std::vector<std::string> warnings;
    auto print_warnings = [&] {
        for (const auto& w : warnings) std::fprintf(stderr, "agentkit: warning: %s\n", agentkit::printable(w).c_str());
    };
    try {
        agentkit::config::deployment d;
        if (file == "-") {
            const std::string text =
                agentkit::read_stream(0, agentkit::config::max_file_bytes, "config.max_file_bytes", "(stdin)");
            d = agentkit::config::load_deployment(text, options, &warnings, "(stdin)");
        } else {
            d = agentkit::config::load_deployment_file(std::string(file), options, &warnings);
        }
        print_warnings();
        std::printf("%s\n", agentkit::config::to_json(d, pretty).c_str());
        return cli::exit_ok;
    } catch (const agentkit::error&) {
        print_warnings();
        throw;
    }
}

const agentkit::cli::registration reg{"config", "check a deployment file and print the effective configuration",
                                      &run_config};

}  // namespace
