#pragma once
// The definitions of argument_check.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/error.hpp>
#include <agentkit/json/document.hpp>
#include <agentkit/tools/argument_check.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit::tools {

namespace detail {
inline const char* json_type_name(const json::value& v) {
    switch (v.GetType()) {
        case rapidjson::kNullType: return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType: return "boolean";
        case rapidjson::kObjectType: return "object";
        case rapidjson::kArrayType: return "array";
        case rapidjson::kStringType: return "string";
        case rapidjson::kNumberType: return v.IsInt64() || v.IsUint64() ? "integer" : "number";
    }
    return "unknown";
}

// Whether `v` has the JSON Schema primitive type `type` (an unknown type name accepts anything).
inline bool has_schema_type(const json::value& v, std::string_view type) {
    if (type == "string") return v.IsString();
    if (type == "number") return v.IsNumber();
    if (type == "integer")
        return v.IsInt64() || v.IsUint64() || (v.IsDouble() && std::trunc(v.GetDouble()) == v.GetDouble());
    if (type == "boolean") return v.IsBool();
    if (type == "object") return v.IsObject();
    if (type == "array") return v.IsArray();
    if (type == "null") return v.IsNull();
    return true;
}

// Checks one property against its schema's "type" (a string or an array of strings); returns the declared
// type(s) as text when it does not match.
inline std::optional<std::string> type_mismatch(const json::value& v, const json::value& property_schema) {
    if (!property_schema.IsObject()) return std::nullopt;
    auto t = property_schema.FindMember("type");
    if (t == property_schema.MemberEnd()) return std::nullopt;
    if (t->value.IsString()) {
        const auto type = json::as_string_view(t->value);
        if (has_schema_type(v, type)) return std::nullopt;
        return std::string(type);
    }
    if (!t->value.IsArray()) return std::nullopt;
    std::string declared;
    for (const auto& alt : t->value.GetArray()) {
        if (!alt.IsString()) return std::nullopt;  // not a form we check
        if (has_schema_type(v, json::as_string_view(alt))) return std::nullopt;
        if (!declared.empty()) declared += " or ";
        declared += json::as_string_view(alt);
    }
    return declared.empty() ? std::nullopt : std::optional<std::string>(declared);
}
}  // namespace detail

AGENTKIT_DECL std::optional<std::string> check_arguments(std::string_view tool_name, std::string_view arguments,
                                                         std::string_view schema_text) {
    const std::string tool = std::string("tool '").append(tool_name).append("'");
    json::document args;
    try {
        args = json::parse(arguments, "arguments");
    } catch (const error& e) {
        return "error: the arguments of " + tool + " are not valid JSON (" + e.what() + ")";
    }
    if (!args.IsObject())
        return "error: the arguments of " + tool + " must be a JSON object, got " + detail::json_type_name(args);
    json::document schema;
    try {
        schema = json::parse(schema_text, "schema");
    } catch (const error&) {
        return std::nullopt;  // a schema we cannot read checks nothing beyond "an object"
    }
    // Const views: RapidJSON's const member iterators compare unambiguously under C++20.
    const json::value& given = args;
    const json::value& spec = schema;
    if (!spec.IsObject()) return std::nullopt;
    auto required = spec.FindMember("required");
    if (required != spec.MemberEnd() && required->value.IsArray())
        for (const auto& name : required->value.GetArray())
            if (name.IsString() && !given.HasMember(name))
                return "error: " + tool + " is missing the required argument '" +
                    std::string(json::as_string_view(name)) + "'";
    auto properties = spec.FindMember("properties");
    if (properties == spec.MemberEnd() || !properties->value.IsObject()) return std::nullopt;
    const json::value& declared_properties = properties->value;
    for (const auto& arg : given.GetObject()) {
        auto declared = declared_properties.FindMember(arg.name);
        if (declared == declared_properties.MemberEnd()) continue;
        if (auto expected = detail::type_mismatch(arg.value, declared->value))
            return std::string("error: argument '")
                .append(json::as_string_view(arg.name))
                .append("' of ")
                .append(tool)
                .append(" must be of type ")
                .append(*expected)
                .append(", got ")
                .append(detail::json_type_name(arg.value));
    }
    return std::nullopt;
}

}  // namespace agentkit::tools
