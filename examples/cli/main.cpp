// agentkit: the command-line tool. `agentkit <command> [args...]`; `agentkit help` lists the commands.
#include "command.hpp"

#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/version.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include <unistd.h>

namespace {
int usage(std::FILE* out) {
    std::fprintf(out, "usage: agentkit <command> [options] [--] [operands]\n\ncommands:\n");
    for (const auto& [name, cmd] : agentkit::cli::commands())
        std::fprintf(out, "  %-12.*s %.*s\n", static_cast<int>(name.size()), name.data(),
                     static_cast<int>(cmd.summary.size()), cmd.summary.data());
    std::fprintf(out, "  %-12s %s\n  %-12s %s\n", "help", "this list", "version", "print the version");
    std::fprintf(
        out,
        "\nEvery command takes -h/--help (usage on stdout, exit status 0) and `--` to end its options.\n"
        "exit status: 0 success; 1 the command failed (invalid input, I/O error, a limit reached);\n"
        "             2 the command line is wrong (unknown command or option, missing or malformed argument).\n");
    return out == stdout ? agentkit::cli::exit_ok : agentkit::cli::exit_usage;
}

// Input files are mapped (agentkit::input_bytes): one truncated by another process while we read it raises
// SIGBUS on the vanished pages. Say so and fail like any other I/O error, instead of dying on a signal.
extern "C" void input_truncated(int) {
    static const char msg[] = "agentkit: the input file was truncated while it was being read\n";
    [[maybe_unused]] const auto n = ::write(2, msg, sizeof msg - 1);
    ::_exit(agentkit::cli::exit_failure);
}

// Errors may quote input: printed with control bytes escaped, whatever produced them.
void print_error(const char* what) { std::fprintf(stderr, "%s\n", agentkit::printable(what).c_str()); }
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage(stderr);
    const std::string_view name = argv[1];
    if (name == "help" || agentkit::cli::is_help(name)) return usage(stdout);
    if (name == "version" || name == "--version") {
        std::printf("agentkit %s\n", AGENTKIT_VERSION_STRING);
        return agentkit::cli::exit_ok;
    }
    const auto it = agentkit::cli::commands().find(name);
    if (it == agentkit::cli::commands().end()) {
        std::fprintf(stderr, "agentkit: unknown command '%s'\n", agentkit::printable(name).c_str());
        return usage(stderr);
    }
    std::signal(SIGBUS, input_truncated);
    std::vector<std::string_view> args(argv + 2, argv + argc);
    try {
        return it->second.run(args);
    } catch (const agentkit::cli::usage_error& e) {
        print_error(e.what());
        std::fprintf(stderr, "(see agentkit %s --help)\n", argv[1]);
        return agentkit::cli::exit_usage;
    } catch (const agentkit::error& e) {
        print_error(e.what());
        return agentkit::cli::exit_failure;
    } catch (const std::exception& e) {
        print_error(("agentkit " + std::string(name) + ": " + e.what()).c_str());
        return agentkit::cli::exit_failure;
    }
}
