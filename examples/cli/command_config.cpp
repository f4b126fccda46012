// agentkit config check [--lenient] [--compact] FILE|-
//   Loads a deployment file (JSON; the seeds' key names, see docs/policies/config.md), runs every check the
//   configured policies run, and prints the effective configuration: every knob with its value.
//   On an error prints it with the key's path ("agentkit: models.router.retry.maxAtempts: unknown key (did you
//   mean maxAttempts?)") and exits 2. --lenient turns unknown keys into warnings (on stderr).
// agentkit config defaults
//   Prints the defaults (the seeds'), in the file's layout: a starting point for a deployment file.
#include "command.hpp"

#include <agentkit/config/load.hpp>
#include <agentkit/core/error.hpp>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

int config_usage() {
    std::fprintf(stderr, "usage: agentkit config check [--lenient] [--compact] FILE|-\n       agentkit config defaults\n");
    return 2;
}

int run_config(const std::vector<std::string_view>& args) {
    if (args.empty()) return config_usage();
    if (args[0] == "defaults" && args.size() == 1) {
        std::printf("%s\n", agentkit::config::to_json(agentkit::config::deployment{}).c_str());
        return 0;
    }
    if (args[0] != "check") return config_usage();
    agentkit::config::load_options options;
    bool pretty = true;
    std::string_view file;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--lenient") options.unknown = agentkit::config::unknown_keys::warn;
        else if (args[i] == "--compact") pretty = false;
        else if (file.empty()) file = args[i];
        else return config_usage();
    }
    if (file.empty()) return config_usage();
    std::vector<std::string> warnings;
    try {
        agentkit::config::deployment d;
        if (file == "-") {
            const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
            d = agentkit::config::load_deployment(text, options, &warnings, "(stdin)");
        } else {
            d = agentkit::config::load_deployment_file(std::string(file), options, &warnings);
        }
        for (const auto& w : warnings) std::fprintf(stderr, "agentkit: warning: %s\n", w.c_str());
        std::printf("%s\n", agentkit::config::to_json(d, pretty).c_str());
        return 0;
    } catch (const agentkit::error& e) {
        for (const auto& w : warnings) std::fprintf(stderr, "agentkit: warning: %s\n", w.c_str());
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
}

const agentkit::cli::registration reg{"config", "check a deployment file and print the effective configuration", &run_config};

}  // namespace
