#pragma once
// Context depth (Flynn's prompt.contextDepth): how much the system prompt carries.
//   minimal   the base system prompt only
//   normal    + basic memory (the short memory brief)
//   detailed  + full memory + tool descriptions
//   debug     + everything, plus diagnostic context (development only)
#include <agentkit/core/error.hpp>

#include <string>
#include <string_view>

namespace agentkit::memory {

enum class context_depth { minimal, normal, detailed, debug };

constexpr std::string_view to_string(context_depth d) noexcept {
    switch (d) {
        case context_depth::minimal: return "minimal";
        case context_depth::normal: return "normal";
        case context_depth::detailed: return "detailed";
        case context_depth::debug: return "debug";
    }
    return "normal";
}

inline context_depth parse_context_depth(std::string_view s, std::string_view field = "prompt.contextDepth") {
    if (s == "minimal") return context_depth::minimal;
    if (s == "normal") return context_depth::normal;
    if (s == "detailed") return context_depth::detailed;
    if (s == "debug") return context_depth::debug;
    throw_invalid_field(
        std::string(field),
        std::string("unknown depth '").append(s).append("' (expected minimal, normal, detailed or debug)"));
}

// Which parts a depth includes.
struct context_sections {
    bool basic_memory;
    bool full_memory;
    bool tool_descriptions;
    bool diagnostics;
};
constexpr context_sections sections(context_depth d) noexcept {
    switch (d) {
        case context_depth::minimal: return {false, false, false, false};
        case context_depth::normal: return {true, false, false, false};
        case context_depth::detailed: return {false, true, true, false};
        case context_depth::debug: return {false, true, true, true};
    }
    return {true, false, false, false};
}

// The pieces prompt assembly may draw on; views into the caller's strings.
struct context_parts {
    std::string_view system_prompt;
    std::string_view basic_memory;  // e.g. the conversation summary or a few key facts
    std::string_view full_memory;   // e.g. summary + retrieved memories + entities
    std::string_view tool_descriptions;
    std::string_view diagnostics;  // e.g. token budget, session id, policy names
};

inline std::string assemble_system_prompt(context_depth depth, const context_parts& parts) {
    const auto s = sections(depth);
    std::string out(parts.system_prompt);
    auto add = [&](std::string_view title, std::string_view body) {
        if (body.empty()) return;
        if (!out.empty()) out.append("\n\n");
        out.append("## ").append(title).append("\n").append(body);
    };
    if (s.basic_memory) add("Memory", parts.basic_memory);
    if (s.full_memory) add("Memory", parts.full_memory.empty() ? parts.basic_memory : parts.full_memory);
    if (s.tool_descriptions) add("Tools", parts.tool_descriptions);
    if (s.diagnostics) add("Diagnostics", parts.diagnostics);
    return out;
}

}  // namespace agentkit::memory
