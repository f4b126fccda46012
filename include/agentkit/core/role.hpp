#pragma once
// The author of a message, with the OpenAI wire names.
#include <agentkit/core/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit {

enum class role : std::uint8_t { system, user, assistant, tool };

constexpr std::string_view to_string(role r) noexcept {
    switch (r) {
        case role::system: return "system";
        case role::user: return "user";
        case role::assistant: return "assistant";
        case role::tool: return "tool";
    }
    return "unknown";
}

// Parses a wire name; `field` names the input for the error message ("messages[2].role").
inline role parse_role(std::string_view name, std::string_view field = "role") {
    if (name == "system" || name == "developer") return role::system;  // "developer" is OpenAI's newer alias
    if (name == "user") return role::user;
    if (name == "assistant") return role::assistant;
    if (name == "tool") return role::tool;
    throw_invalid_field(
        std::string(field),
        std::string("unknown role '").append(name).append("' (expected system, developer, user, assistant or tool)"));
}

}  // namespace agentkit
