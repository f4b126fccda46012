#pragma once
// A JSON document read from text: the RapidJSON DOM, the one bounded parser every layer uses (wire bodies,
// config files, tool arguments) and typed readers for its members (why RapidJSON: docs/architecture/agent.md).
// Writing JSON is json/writer.hpp (RapidJSON) or json/escape.hpp (without it). Parsing failures become
// agentkit::error(errc::parse_error) naming what was being parsed and the byte offset, never a crash; readers
// that meet a field of the wrong type name the field.
//
// Input from the wire is hostile until proven otherwise. Every parse here is bounded (parse_limits): nesting
// deeper than max_depth stops the parser before it recurses further, so a body of a million '[' is an error,
// not a stack overflow, and never becomes a DOM tree that later walks (to_string, copies) would recurse
// through. A NUL byte is an error too: RapidJSON would read it as the end of the text and accept whatever
// garbage follows. Numbers are converted here (std::from_chars), not by RapidJSON 1.1.0, whose strtod reads
// out of bounds on a long mantissa with a large negative exponent (found by fuzzing, fixed upstream after
// its last release): the reader only checks the grammar and hands over the text.
#include <agentkit/core/error.hpp>

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace agentkit::json {

using document = rapidjson::Document;
// The pool allocator frees a whole document at once; with an allocator that frees value by value, destroying
// a document would recurse through its nesting.
static_assert(!document::AllocatorType::kNeedFree);
using value = rapidjson::Value;

// The deepest nesting of arrays and objects a parse accepts by default. Real API bodies nest a handful of
// levels (tool schemas a few dozen at most); 256 keeps the recursive parser's stack use far below any
// thread's stack.
inline constexpr std::size_t default_max_depth = 256;

struct parse_limits {
    // Arrays and objects nested deeper than this: capacity_exceeded, field "json.max_depth".
    std::size_t max_depth = default_max_depth;
    // A text longer than this: capacity_exceeded, field "json.max_bytes". The default is RapidJSON's own
    // ceiling (its lengths are 32-bit); the transport's body limits are far below it.
    std::size_t max_bytes = std::numeric_limits<rapidjson::SizeType>::max();
};

namespace detail {
// Which handler call a JSON number becomes, the way RapidJSON classifies it: an integer that fits is
// Int / Uint / Int64 / Uint64, anything else a double. Returns false when the magnitude overflows a double
// (RapidJSON's "number too big"); a value too small for a double becomes zero of the same sign.
template <class Handler>
bool forward_number(Handler& h, std::string_view text) {
    const char* first = text.data();
    const char* last = first + text.size();
    const bool negative = !text.empty() && text.front() == '-';
    if (text.find_first_of(".eE") == std::string_view::npos) {
        if (negative) {
            std::int64_t v = 0;
            if (std::from_chars(first, last, v).ec == std::errc{})
                return v >= std::numeric_limits<int>::min() ? h.Int(static_cast<int>(v)) : h.Int64(v);
        } else {
            std::uint64_t v = 0;
            if (std::from_chars(first, last, v).ec == std::errc{})
                return v <= std::numeric_limits<unsigned>::max() ? h.Uint(static_cast<unsigned>(v)) : h.Uint64(v);
        }
    }
    double d = 0;
    const auto [end, ec] = std::from_chars(first, last, d);
    if (ec == std::errc{} && end == last) return h.Double(d);
    if (ec != std::errc::result_out_of_range) return false;  // not reached: the reader checked the grammar
    // Out of range: overflow when the leading significant digit sits at or above 10^309, else underflow.
    std::string_view digits = text.substr(negative ? 1 : 0);
    const std::size_t exp_at = digits.find_first_of("eE");
    std::string_view mantissa = digits.substr(0, exp_at);
    const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t lead = mantissa.find_first_not_of("0.");
    if (lead == std::string_view::npos) return h.Double(negative ? -0.0 : 0.0);
    long long magnitude =
        lead < point ? static_cast<long long>(point - lead) : -static_cast<long long>(lead - point - 1);
    if (exp_at != std::string_view::npos) {
        std::string_view e = digits.substr(exp_at + 1);
        const bool e_negative = !e.empty() && e.front() == '-';
        if (!e.empty() && (e.front() == '-' || e.front() == '+')) e.remove_prefix(1);
        long long exponent = 0;
        for (char c : e) exponent = std::min(exponent * 10 + (c - '0'), 1'000'000'000LL);  // saturates
        magnitude += e_negative ? -exponent : exponent;
    }
    if (magnitude > 0) return false;
    return h.Double(negative ? -0.0 : 0.0);
}

// A SAX handler that forwards to `Inner` and refuses to open a level past the limit. Returning false stops
// RapidJSON's reader at once, so its recursion never goes deeper than max_depth.
template <class Inner>
class depth_limited_handler {
public:
    depth_limited_handler(Inner& inner, std::size_t max_depth) : inner_(inner), max_depth_(max_depth) {}
    bool too_deep() const noexcept { return too_deep_; }
    bool number_out_of_range() const noexcept { return number_out_of_range_; }

    bool Null() { return inner_.Null(); }
    bool Bool(bool b) { return inner_.Bool(b); }
    bool Int(int i) { return inner_.Int(i); }
    bool Uint(unsigned i) { return inner_.Uint(i); }
    bool Int64(std::int64_t i) { return inner_.Int64(i); }
    bool Uint64(std::uint64_t i) { return inner_.Uint64(i); }
    bool Double(double d) { return inner_.Double(d); }
    // The reader runs with kParseNumbersAsStringsFlag: every number arrives here as checked text.
    bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
        if (forward_number(inner_, std::string_view(s, n))) return true;
        number_out_of_range_ = true;
        return false;
    }
    bool String(const char* s, rapidjson::SizeType n, bool copy) { return inner_.String(s, n, copy); }
    bool Key(const char* s, rapidjson::SizeType n, bool copy) { return inner_.Key(s, n, copy); }
    bool StartObject() { return enter() && inner_.StartObject(); }
    bool EndObject(rapidjson::SizeType members) {
        --depth_;
        return inner_.EndObject(members);
    }
    bool StartArray() { return enter() && inner_.StartArray(); }
    bool EndArray(rapidjson::SizeType elements) {
        --depth_;
        return inner_.EndArray(elements);
    }

private:
    bool enter() noexcept {
        if (++depth_ <= max_depth_) return true;
        too_deep_ = true;
        return false;
    }
    Inner& inner_;
    std::size_t max_depth_;
    std::size_t depth_ = 0;
    bool too_deep_ = false;
    bool number_out_of_range_ = false;
};

// Runs the bounded reader over `text` into `handler`; throws the typed error for any failure.
template <class Handler>
void parse_into(Handler& handler, std::string_view text, std::string_view what, const parse_limits& limits) {
    if (text.size() > limits.max_bytes)
        throw error(errc::capacity_exceeded,
                    std::string(what) + " is " + std::to_string(text.size()) + " bytes, over the limit of " +
                        std::to_string(limits.max_bytes) + " bytes",
                    "json.max_bytes");
    // No raw NUL can appear in JSON (not even inside a string), and the reader takes one for the end of input.
    if (const void* nul = text.empty() ? nullptr : std::memchr(text.data(), '\0', text.size()))
        throw error(errc::parse_error,
                    std::string("NUL byte at byte ")
                        .append(std::to_string(static_cast<const char*>(nul) - text.data()))
                        .append(" of ")
                        .append(std::to_string(text.size())),
                    std::string(what));
    depth_limited_handler<Handler> bounded(handler, limits.max_depth);
    rapidjson::MemoryStream bytes(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);  // skips a UTF-8 BOM
    rapidjson::Reader reader;
    // Recursive descent is safe: the handler caps the depth (and RapidJSON's iterative parser trips UBSan).
    // kParseStopWhenDoneFlag is not set: trailing garbage is an error, as it should be on the wire.
    const rapidjson::ParseResult ok = reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(in, bounded);
    if (bounded.too_deep())
        throw error(errc::capacity_exceeded,
                    std::string(what) + " nests arrays and objects deeper than " + std::to_string(limits.max_depth) +
                        " levels (at byte " + std::to_string(ok.Offset()) + ")",
                    "json.max_depth");
    if (bounded.number_out_of_range())
        throw error(errc::parse_error,
                    std::string("number outside a double's range at byte ")
                        .append(std::to_string(ok.Offset()))
                        .append(" of ")
                        .append(std::to_string(text.size())),
                    std::string(what));
    if (!ok)
        throw error(errc::parse_error,
                    std::string(rapidjson::GetParseError_En(ok.Code())) + " at byte " + std::to_string(ok.Offset()) +
                        " of " + std::to_string(text.size()),
                    std::string(what));
}
}  // namespace detail

// Parses `text` (need not be NUL-terminated); `what` names the document in the error ("response body").
// Malformed text, trailing garbage or a NUL byte: parse_error naming `what` and the byte offset; past a
// limit: capacity_exceeded naming the knob.
inline document parse(std::string_view text, std::string_view what, const parse_limits& limits = {}) {
    document d;
    auto generate = [&](document& target) {
        detail::parse_into(target, text, what, limits);
        return true;
    };
    d.Populate(generate);  // on a throw the document's own stack is cleared, and nothing half-built escapes
    return d;
}

// True when `text` is one well-formed JSON value within `limits` (used to check tool schemas and arguments
// up front). Builds no DOM.
inline bool is_valid(std::string_view text, const parse_limits& limits = {}) {
    rapidjson::BaseReaderHandler<> ignore;
    try {
        detail::parse_into(ignore, text, "", limits);
        return true;
    } catch (const error&) {
        return false;
    }
}

// The member `key` of `object`; nullptr when `object` is not an object or the member is absent or null.
inline const value* member(const value& object, std::string_view key) {
    if (!object.IsObject()) return nullptr;
    auto it = object.FindMember(value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
    return it == object.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

inline std::string_view as_string_view(const value& v) { return {v.GetString(), v.GetStringLength()}; }

// Optional string member; present but not a string -> error naming `field`.
inline std::optional<std::string_view> string_member(const value& object, std::string_view key,
                                                     std::string_view field) {
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

}  // namespace agentkit::json
