#pragma once
// The definitions of arguments.hpp: included by it (header-only) or compiled once (src/agentkit.cpp).
#include <agentkit/core/error.hpp>
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>
#include <agentkit/tools/arguments.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace agentkit::tools {

AGENTKIT_DECL arguments::arguments(std::string_view json_object, const limits& bounds) {
    if (json_object.size() > bounds.max_bytes)
        throw error(errc::capacity_exceeded,
                    std::string("the arguments are ")
                        .append(std::to_string(json_object.size()))
                        .append(" bytes, more than ")
                        .append(std::to_string(bounds.max_bytes)),
                    "arguments");
    json::parse_limits parse_bounds;
    parse_bounds.max_depth = bounds.max_depth;
    const auto d = json::parse(json_object, "arguments", parse_bounds);
    if (!d.IsObject()) throw error(errc::parse_error, "must be a JSON object", "arguments");
    fields_.reserve(d.MemberCount());
    for (const auto& m : d.GetObject()) {
        field f;
        f.name = std::string(json::as_string_view(m.name));
        const json::value& v = m.value;
        switch (v.GetType()) {
            case rapidjson::kNullType: f.what = kind::null; break;
            case rapidjson::kFalseType:
            case rapidjson::kTrueType: f.what = kind::boolean; break;
            case rapidjson::kStringType: f.what = kind::string; break;
            case rapidjson::kArrayType: f.what = kind::array; break;
            case rapidjson::kObjectType: f.what = kind::object; break;
            case rapidjson::kNumberType: {
                f.number = v.GetDouble();
                if (v.IsInt64()) {
                    f.integer = v.GetInt64();
                    f.integral = true;
                } else if (!v.IsUint64() && std::trunc(f.number) == f.number && f.number >= -9223372036854775808.0 &&
                           f.number < 9223372036854775808.0) {
                    f.integer = static_cast<std::int64_t>(f.number);
                    f.integral = true;
                }
                f.what = f.integral ? kind::integer : kind::number;
                break;
            }
        }
        f.text = f.what == kind::string ? std::string(json::as_string_view(v)) : json::to_string(v);
        fields_.push_back(std::move(f));
    }
}

AGENTKIT_DECL const arguments::field& arguments::get(std::string_view name, kind wanted, const char* what) const {
    const field* f = find(name);
    if (!f) throw_invalid_field(std::string(name), std::string("missing (").append(what).append(" expected)"));
    const bool numeric_ok = wanted == kind::number && f->what == kind::integer;
    if (f->what != wanted && !numeric_ok) {
        if (wanted == kind::integer && f->what == kind::number)
            throw_invalid_field(std::string(name), std::string("must be an integer, got ").append(f->text));
        throw_invalid_field(std::string(name), std::string("must be ").append(what).append(", got ").append(f->text));
    }
    return *f;
}

AGENTKIT_DECL double arguments::number(std::string_view name) const {
    return get(name, kind::number, "a number").number;
}

AGENTKIT_DECL std::int64_t arguments::integer(std::string_view name) const {
    return get(name, kind::integer, "an integer").integer;
}

AGENTKIT_DECL bool arguments::boolean(std::string_view name) const {
    return get(name, kind::boolean, "a boolean").text == "true";
}

AGENTKIT_DECL std::string arguments::string(std::string_view name) const {
    return get(name, kind::string, "a string").text;
}

AGENTKIT_DECL std::string arguments::json(std::string_view name) const {
    const field* f = find(name);
    if (!f) throw_invalid_field(std::string(name), "missing");
    if (f->what != kind::string) return f->text;
    json::string_buffer sb;
    json::writer w(sb);
    json::write_string(w, f->text);
    return {sb.GetString(), sb.GetSize()};
}

}  // namespace agentkit::tools
