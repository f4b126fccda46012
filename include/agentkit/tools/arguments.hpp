#pragma once
// arguments: the top-level fields of a tool call's arguments (one JSON object), read by name, so a tool can
// take its inputs without a JSON library in its own translation unit:
//
//   auto add = tools::make_tool("add", "Adds a and b", schema, [](std::string_view text) {
//       const tools::arguments args(text);
//       return std::to_string(args.number("a") + args.number("b"));
//   });
//
// Text that is not a JSON object, is longer than limits.max_bytes or nests deeper than limits.max_depth is
// agentkit::error(parse_error or capacity_exceeded) naming "arguments"; a field that is missing or of
// another type is invalid_argument naming the field ("a"). The executor reports either to the model as the
// tool's answer. Strings are unescaped; objects, arrays and null are kept as compact JSON text (json()).
// A repeated name keeps its last value, as JSON.parse does. The definitions are in impl/arguments.ipp
// (see core/config_macros.hpp).
#include <agentkit/core/config_macros.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::tools {

class arguments {
public:
    struct limits {
        std::size_t max_bytes = std::size_t(1) << 20;  // tool arguments are small; a model may still loop
        std::size_t max_depth = 64;
    };
    enum class kind : std::uint8_t { null, boolean, integer, number, string, array, object };

    explicit arguments(std::string_view json_object) : arguments(json_object, limits{}) {}
    AGENTKIT_DECL arguments(std::string_view json_object, const limits& bounds);

    bool has(std::string_view name) const noexcept { return find(name) != nullptr; }
    // The field's kind; nullopt when it is absent.
    std::optional<kind> kind_of(std::string_view name) const noexcept {
        const field* f = find(name);
        return f ? std::optional<kind>(f->what) : std::nullopt;
    }
    std::size_t size() const noexcept { return fields_.size(); }

    // Any JSON number (an integer too).
    AGENTKIT_DECL double number(std::string_view name) const;
    // A number with no fractional part that fits in 64 bits ("3", "3.0" and "3e2" are integers; "3.5" is not).
    AGENTKIT_DECL std::int64_t integer(std::string_view name) const;
    AGENTKIT_DECL bool boolean(std::string_view name) const;
    AGENTKIT_DECL std::string string(std::string_view name) const;
    // Any field as compact JSON text (a string with its quotes and escapes).
    AGENTKIT_DECL std::string json(std::string_view name) const;

    double number_or(std::string_view name, double fallback) const { return has(name) ? number(name) : fallback; }
    std::int64_t integer_or(std::string_view name, std::int64_t fallback) const {
        return has(name) ? integer(name) : fallback;
    }
    bool boolean_or(std::string_view name, bool fallback) const { return has(name) ? boolean(name) : fallback; }
    std::string string_or(std::string_view name, std::string_view fallback) const {
        return has(name) ? string(name) : std::string(fallback);
    }

private:
    struct field {
        std::string name;
        kind what = kind::null;
        double number = 0;
        std::int64_t integer = 0;
        bool integral = false;  // number holds an integer that fits in std::int64_t
        std::string text;       // string: unescaped value; other kinds: compact JSON
    };

    const field* find(std::string_view name) const noexcept {
        for (auto it = fields_.rbegin(); it != fields_.rend(); ++it)
            if (it->name == name) return &*it;
        return nullptr;
    }
    AGENTKIT_DECL const field& get(std::string_view name, kind wanted, const char* what) const;

    std::vector<field> fields_;
};

}  // namespace agentkit::tools

#if !defined(AGENTKIT_SEPARATE_COMPILATION)
#include <agentkit/tools/impl/arguments.ipp>
#endif
