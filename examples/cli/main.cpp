// agentkit: the command-line tool. `agentkit <command> [args...]`; `agentkit help` lists the commands.
#include "command.hpp"

#include <agentkit/core/error.hpp>
#include <agentkit/version.hpp>

#include <cstdio>
#include <exception>
#include <string>

namespace {
int usage(std::FILE* out) {
    std::fprintf(out, "usage: agentkit <command> [options]\n\ncommands:\n");
    for (const auto& [name, cmd] : agentkit::cli::commands())
        std::fprintf(out, "  %-12.*s %.*s\n", static_cast<int>(name.size()), name.data(), static_cast<int>(cmd.summary.size()),
                     cmd.summary.data());
    std::fprintf(out, "  %-12s %s\n  %-12s %s\n", "help", "this list", "version", "print the version");
    return out == stdout ? 0 : 2;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage(stderr);
    const std::string_view name = argv[1];
    if (name == "help" || name == "--help" || name == "-h") return usage(stdout);
    if (name == "version" || name == "--version") {
        std::printf("agentkit %s\n", AGENTKIT_VERSION_STRING);
        return 0;
    }
    const auto it = agentkit::cli::commands().find(name);
    if (it == agentkit::cli::commands().end()) {
        std::fprintf(stderr, "agentkit: unknown command '%s'\n", argv[1]);
        return usage(stderr);
    }
    std::vector<std::string_view> args(argv + 2, argv + argc);
    try {
        return it->second.run(args);
    } catch (const agentkit::error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "agentkit %s: %s\n", argv[1], e.what());
        return 1;
    }
}
