#pragma once
// check_arguments: tool-call arguments against the tool's JSON schema, before the tool runs. The arguments
// must be a JSON object, every "required" property must be present, and a property whose schema declares a
// primitive "type" (string, number, integer, boolean, object, array, null; or an array of them) must have
// it. A schema that is not valid JSON checks nothing beyond "an object". The definitions are in
// impl/argument_check.ipp (see core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace agentkit::tools {

// The message the model reads when the arguments do not pass ("error: argument 'n' of tool 'add' must be of
// type integer, got string"), or nothing when they do.
AGENTKIT_DECL std::optional<std::string> check_arguments(std::string_view tool_name, std::string_view arguments,
                                                         std::string_view schema_text);

}  // namespace agentkit::tools

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/tools/impl/argument_check.ipp>
#endif
