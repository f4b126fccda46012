#pragma once
// Subcommand registry of the `agentkit` CLI. A command_<name>.cpp defines one command and registers it:
//
//   static const agentkit::cli::registration reg{"tokens", "count|encode|decode tokens", &run_tokens};
//
// run(args) gets the arguments after the subcommand name and returns the process exit code.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::cli {

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

}  // namespace agentkit::cli
