#pragma once
// The JSON layer of the wire format, on RapidJSON (header-only; why RapidJSON: docs/architecture/agent.md).
// Parsing failures become agentkit::error(errc::parse_error) naming what was being parsed and the byte offset,
// never a crash; readers that meet a field of the wrong type name the field.
#include <agentkit/core/error.hpp>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit::json {

using document = rapidjson::Document;
using value = rapidjson::Value;
using string_buffer = rapidjson::StringBuffer;
using writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Parses `text` (need not be NUL-terminated); `what` names the document in the error ("response body").
// kParseStopWhenDoneFlag is not set: trailing garbage is an error, as it should be on the wire.
inline document parse(std::string_view text, std::string_view what) {
    document d;
    d.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
    if (d.HasParseError())
        throw error(errc::parse_error,
                    std::string(rapidjson::GetParseError_En(d.GetParseError())) + " at byte " +
                        std::to_string(d.GetErrorOffset()) + " of " + std::to_string(text.size()),
                    std::string(what));
    return d;
}

inline const value* member(const value& object, std::string_view key) {
    if (!object.IsObject()) return nullptr;
    auto it = object.FindMember(value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
    return it == object.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

inline std::string_view as_string_view(const value& v) { return {v.GetString(), v.GetStringLength()}; }

// Optional string member; present but not a string -> error naming `field`.
inline std::optional<std::string_view> string_member(const value& object, std::string_view key, std::string_view field) {
    const value* v = member(object, key);
    if (!v) return std::nullopt;
    if (!v->IsString()) throw error(errc::parse_error, "must be a string", std::string(field));
    return as_string_view(*v);
}

inline std::optional<std::uint64_t> uint_member(const value& object, std::string_view key, std::string_view field) {
    const value* v = member(object, key);
    if (!v) return std::nullopt;
    if (!v->IsUint64()) throw error(errc::parse_error, "must be a non-negative integer", std::string(field));
    return v->GetUint64();
}

inline void write_string(writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(writer& w, std::string_view s) { w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// Writes `text`, which must hold one JSON value, verbatim (tool schemas, tool-call arguments).
inline void write_raw(writer& w, std::string_view text) {
    w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

// Serialises a value to a compact string.
inline std::string to_string(const value& v) {
    string_buffer sb;
    writer w(sb);
    v.Accept(w);
    return {sb.GetString(), sb.GetSize()};
}

// True when `text` is one well-formed JSON value (used to check tool schemas and arguments up front).
inline bool is_valid(std::string_view text) {
    document d;
    d.Parse(text.data(), text.size());
    return !d.HasParseError();
}

}  // namespace agentkit::json
