#pragma once
// Deployment files in YAML (component agentkit::yaml, on Debian's yaml-cpp 0.7). A YAML file is read into
// the JSON form of the same configuration and then goes through the JSON loader (load.hpp), so both formats
// share one key list, one validation and the same errors, which name the key path ("server.port: ...").
//
//   auto d = agentkit::config::load_yaml_deployment_file("gateway.yaml");   // throws agentkit::error
//
// YAML 1.2's core schema types the plain scalars: null (~, null, empty), booleans (true / false), integers
// (decimal, 0o octal, 0x hex), floats; a quoted scalar is always a string. A document may use anchors and
// aliases (an alias repeats the anchored node); merge keys (<<) are not part of YAML 1.2 and are refused as
// unknown keys by the loader.
//
// Limits (hostile files fail with a typed error, never a crash or a blow-up):
//   - the file: at most config::max_file_bytes (16 MiB); it must be valid UTF-8 (parse_error otherwise);
//   - nesting: at most config::max_nesting (64) levels, checked as the parser descends;
//   - the JSON form, aliases expanded: at most yaml_limits::max_json_bytes (16 MiB), so a "billion laughs"
//     file of nested aliases is capacity_exceeded naming config.yaml.max_json_bytes;
//   - one document: a second `---` document is a parse_error.
// Syntax errors are parse_error with the line and column.
#include <agentkit/config/load.hpp>
#include <agentkit/core/config_macros.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace agentkit::config {

struct yaml_limits {
    // The JSON text a YAML document becomes, aliases expanded; beyond it: capacity_exceeded naming
    // "config.yaml.max_json_bytes".
    std::size_t max_json_bytes = std::size_t{16} << 20;
    // Arrays and maps nested deeper than this: parse_error.
    std::size_t max_depth = max_nesting;
};

// The JSON text of a YAML document (an empty document is `{}`). `what` names the input in errors.
AGENTKIT_DECL std::string yaml_to_json(std::string_view yaml, std::string_view what = "config",
                                       const yaml_limits& limits = {});

// A deployment from YAML text or a YAML file: yaml_to_json, then load_deployment.
AGENTKIT_DECL deployment load_yaml_deployment(std::string_view yaml, const load_options& options = {});
AGENTKIT_DECL deployment load_yaml_deployment_file(const std::filesystem::path& path, const load_options& options = {});

// True for the file names read as YAML (.yaml, .yml, any case).
AGENTKIT_DECL bool is_yaml_path(const std::filesystem::path& path);

}  // namespace agentkit::config

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/config/impl/yaml.ipp>
#endif
