#pragma once
// reader: the loading side of a config section's field list. Every layer's keys are written once, as a
// visit(V&, struct&) function over a visitor V; reader (this file) fills the struct from a JSON object,
// writer (writer.hpp) dumps it. So a key that loads is a key that dumps, with the same name.
//
// Errors are agentkit::error naming the full dotted path ("models.router.retry.maxAttempts"):
//   wrong type, out of range (checked before narrowing: 1e20 never lands in a uint32), bad duration,
//   bad enum word, and - after the section is visited - every key the section does not know
//   ("...: unknown key (did you mean maxAttempts?)"), unless unknown keys are set to be collected.
#include <agentkit/config/suggest.hpp>
#include <agentkit/core/ascii.hpp>
#include <agentkit/core/duration_text.hpp>
#include <agentkit/core/size_text.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/json/document.hpp>
#include <agentkit/json/writer.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <ratio>
#include <set>
#include <unordered_map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::config {

// What to do with a key no section knows: fail (the default: a typo must not silently keep a default)
// or collect it as a warning and go on (a file shared with another tool's keys).
enum class unknown_keys { error, warn };

struct load_options {
    unknown_keys unknown = unknown_keys::error;
};

// An enum's spelling in the file (matched case-insensitively), e.g. {"WAL", sqlite_journal_mode::wal}.
template <class E>
struct enum_word {
    std::string_view word;
    E value;
};

// How a duration is written back: a bare integer in the field's unit (keys ending in Ms / _ms) or text.
enum class duration_style { integer, text };

namespace detail {
inline std::string type_name(const json::value& v) {
    if (v.IsNull()) return "null";
    if (v.IsBool()) return "a boolean";
    if (v.IsString()) return "a string";
    if (v.IsArray()) return "an array";
    if (v.IsObject()) return "an object";
    return "a number";
}
// A key or word from the file as it appears in an error: clipped to 80 bytes, control bytes escaped.
inline std::string shown(std::string_view s) {
    return s.size() > 80 ? printable(s.substr(0, 80)) + "..." : printable(s);
}
}  // namespace detail

// The longest duration any key takes.
inline constexpr std::chrono::milliseconds max_duration = std::chrono::hours(24 * 36500);

class reader {
public:
    static constexpr bool loading = true;

    // `object` must outlive the reader; `path` is the section's dotted path ("" at the top).
    reader(const json::value& object, std::string path, const load_options& options, std::vector<std::string>* warnings)
        : object_(object), path_(std::move(path)), options_(options), warnings_(warnings) {
        if (!object_.IsObject()) fail_type(path_.empty() ? std::string("(document)") : path_, object_, "an object");
    }

    const std::string& path() const noexcept { return path_; }
    const json::value& current() const noexcept { return object_; }
    std::string key_path(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }

    // The value under `key` (marked as known), or nullptr when absent. null counts as absent.
    const json::value* find(std::string_view key) {
        known_.push_back(key);
        return json::member(object_, key);
    }

    template <std::integral T>
    requires(!std::same_as<T, bool>) void integer(std::string_view key, T& field, T min = std::numeric_limits<T>::min(),
                                                  T max = std::numeric_limits<T>::max()) {
        const json::value* v = find(key);
        if (!v) return;
        field = read_integer<T>(*v, key_path(key), min, max);
    }

    template <std::floating_point T>
    void number(std::string_view key, T& field, double min, double max, bool min_exclusive = false) {
        const json::value* v = find(key);
        if (!v) return;
        const std::string p = key_path(key);
        if (!v->IsNumber()) fail_type(p, *v, "a number");
        const double d = v->GetDouble();
        if (!std::isfinite(d) || d < min || d > max || (min_exclusive && d == min))
            throw_invalid_field(p,
                                std::string("must be in ")
                                    .append(min_exclusive ? "(" : "[")
                                    .append(fmt_num(min))
                                    .append(", ")
                                    .append(fmt_num(max))
                                    .append("], got ")
                                    .append(json::to_string(*v)));
        field = static_cast<T>(d);
    }

    // A byte size: an integer count of bytes or text with a unit ("16MB", "512KB"; core/size_text.hpp).
    template <std::unsigned_integral T>
    void size(std::string_view key, T& field, T min = 0, T max = std::numeric_limits<T>::max()) {
        const json::value* v = find(key);
        if (!v) return;
        const std::string p = key_path(key);
        std::uint64_t bytes = 0;
        if (v->IsString())
            bytes = parse_size(json::as_string_view(*v), p);
        else if (v->IsUint64())
            bytes = v->GetUint64();
        else
            fail_type(p, *v, "a size (\"16MB\", \"512KB\") or an integer count of bytes");
        if (bytes < min || bytes > max)
            throw_invalid_field(p,
                                std::string("must be between ")
                                    .append(format_size(min))
                                    .append(" and ")
                                    .append(format_size(max))
                                    .append(", got ")
                                    .append(json::to_string(*v)));
        field = static_cast<T>(bytes);
    }

    void boolean(std::string_view key, bool& field) {
        const json::value* v = find(key);
        if (!v) return;
        if (!v->IsBool()) fail_type(key_path(key), *v, "true or false");
        field = v->GetBool();
    }

    void string(std::string_view key, std::string& field, bool allow_empty = true) {
        const json::value* v = find(key);
        if (!v) return;
        field = read_string(*v, key_path(key), allow_empty);
    }

    void strings(std::string_view key, std::vector<std::string>& field, bool allow_empty_items = false) {
        const json::value* v = find(key);
        if (!v) return;
        field = read_strings(*v, key_path(key), allow_empty_items);
    }

    template <std::integral T>
    void integers(std::string_view key, std::vector<T>& field, T min, T max) {
        const json::value* v = find(key);
        if (!v) return;
        const std::string p = key_path(key);
        if (!v->IsArray()) fail_type(p, *v, "an array of integers");
        std::vector<T> out;
        for (rapidjson::SizeType i = 0; i < v->Size(); ++i)
            out.push_back(read_integer<T>((*v)[i], p + "[" + std::to_string(i) + "]", min, max));
        field = std::move(out);
    }

    // A duration field: text with a unit, or an integer in the field's own unit (Rep/Period of the field).
    template <class Rep, class Period>
    void duration(std::string_view key, std::chrono::duration<Rep, Period>& field,
                  duration_style = duration_style::integer,
                  std::chrono::milliseconds min = std::chrono::milliseconds(0)) {
        const json::value* v = find(key);
        if (!v) return;
        field = read_duration<std::chrono::duration<Rep, Period>>(*v, key_path(key), min);
    }

    template <class E, std::size_t N>
    void enumeration(std::string_view key, E& field, const enum_word<E> (&words)[N]) {
        const json::value* v = find(key);
        if (!v) return;
        const std::string p = key_path(key);
        if (!v->IsString()) fail_type(p, *v, "a string");
        const auto text = json::as_string_view(*v);
        std::string allowed;
        for (const auto& w : words) {
            if (ascii::iequals(w.word, text)) {
                field = w.value;
                return;
            }
            allowed += (allowed.empty() ? "" : ", ") + std::string(w.word);
        }
        throw_invalid_field(p, std::string("'").append(clip(text)).append("' is not one of: ").append(allowed));
    }

    // A nested object: visit(sub) fills it; absent -> untouched.
    template <class F>
    void section(std::string_view key, F&& visit) {
        const json::value* v = find(key);
        if (!v) return;
        reader sub(*v, key_path(key), options_, warnings_);
        visit(sub);
        sub.finish();
    }

    // An object whose keys are the user's names (tiers, prices); Codec::read(value, path) -> T reads a value.
    template <class T, class Codec>
    void map(std::string_view key, std::map<std::string, T>& field, Codec codec) {
        const json::value* v = find(key);
        if (!v) return;
        const std::string p = key_path(key);
        if (!v->IsObject()) fail_type(p, *v, "an object");
        std::map<std::string, T> out;
        for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
            std::string name(it->name.GetString(), it->name.GetStringLength());
            if (name.empty()) throw_invalid_field(p, "has an empty key");
            const std::string item_path = p + "." + detail::shown(name);
            if (out.contains(name)) throw_invalid_field(item_path, "duplicate key");
            T item = codec.read(it->value, item_path, options_, warnings_);
            out.emplace(std::move(name), std::move(item));
        }
        field = std::move(out);
    }
    template <class T, class Codec>
    void map(std::string_view key, std::unordered_map<std::string, T>& field, Codec codec) {
        std::map<std::string, T> ordered(field.begin(), field.end());
        map(key, ordered, codec);
        field = std::unordered_map<std::string, T>(ordered.begin(), ordered.end());
    }

    // An array of objects (priority classes): each read by read(reader&, T&).
    template <class T, class F>
    void list(std::string_view key, std::vector<T>& field, F&& read) {
        const json::value* v = find(key);
        if (!v) return;
        const std::string p = key_path(key);
        if (!v->IsArray()) fail_type(p, *v, "an array");
        std::vector<T> out;
        for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
            reader sub((*v)[i], p + "[" + std::to_string(i) + "]", options_, warnings_);
            T item{};
            read(sub, item);
            sub.finish();
            out.push_back(std::move(item));
        }
        field = std::move(out);
    }

    // Checks the section's keys against the ones visited, and refuses a key written twice (JSON allows it;
    // which one would win is a guess).
    void finish() {
        std::set<std::string_view> seen;
        for (auto it = object_.MemberBegin(); it != object_.MemberEnd(); ++it) {
            const std::string_view name(it->name.GetString(), it->name.GetStringLength());
            if (!seen.insert(name).second) throw_invalid_field(key_path(clip(name)), "duplicate key");
            bool ok = false;
            for (auto k : known_) ok = ok || k == name;
            if (ok) continue;
            const std::string p = key_path(clip(name));
            if (options_.unknown == unknown_keys::warn && warnings_) {
                // Bounded: a file of a million stray keys must not take minutes of suggestions.
                if (warnings_->size() < max_warnings)
                    warnings_->push_back(p + ": " + unknown_detail(name));
                else if (warnings_->size() == max_warnings)
                    warnings_->push_back("(further unknown keys not listed)");
                continue;
            }
            throw_invalid_field(p, unknown_detail(name));
        }
    }

    static constexpr std::size_t max_warnings = 100;

    // Value readers, usable from map/list callbacks.
    template <std::integral T>
    static T read_integer(const json::value& v, const std::string& p, T min, T max) {
        if (v.IsInt64()) {
            const std::int64_t x = v.GetInt64();
            if (!in_range(x, min, max)) out_of_range(p, min, max, json::to_string(v));
            return static_cast<T>(x);
        }
        if (v.IsUint64()) {
            const std::uint64_t x = v.GetUint64();
            if (!in_range(x, min, max)) out_of_range(p, min, max, json::to_string(v));
            return static_cast<T>(x);
        }
        if (v.IsNumber())
            throw_invalid_field(p,
                                std::string("must be an integer in [")
                                    .append(std::to_string(min))
                                    .append(", ")
                                    .append(std::to_string(max))
                                    .append("], got ")
                                    .append(json::to_string(v)));
        fail_type(p, v, "an integer");
    }
    static std::string read_string(const json::value& v, const std::string& p, bool allow_empty = true) {
        if (!v.IsString()) fail_type(p, v, "a string");
        if (!allow_empty && v.GetStringLength() == 0) throw_invalid_field(p, "must not be empty");
        return std::string(json::as_string_view(v));
    }
    static std::vector<std::string> read_strings(const json::value& v, const std::string& p,
                                                 bool allow_empty_items = false) {
        if (!v.IsArray()) fail_type(p, v, "an array of strings");
        std::vector<std::string> out;
        out.reserve(v.Size());
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
            out.push_back(read_string(v[i], p + "[" + std::to_string(i) + "]", allow_empty_items));
        return out;
    }
    template <class D>
    static D read_duration(const json::value& v, const std::string& p, std::chrono::milliseconds min) {
        using namespace std::chrono;
        milliseconds ms{};
        if (v.IsString()) {
            ms = parse_duration(json::as_string_view(v), p);
        } else if (v.IsInt64() || v.IsUint64()) {
            // A bare integer is in the field's own unit; a field finer than milliseconds takes text only.
            if constexpr (std::ratio_less_v<typename D::period, std::milli>)
                throw_invalid_field(
                    p,
                    std::string("must be a duration with a unit (\"1s\", \"50ms\"), got ").append(json::to_string(v)));
            if (!v.IsInt64() || v.GetInt64() < 0)
                throw_invalid_field(p, std::string("must not be negative, got ").append(json::to_string(v)));
            const std::int64_t n = v.GetInt64();
            constexpr std::int64_t per =
                duration_cast<milliseconds>(D(1)).count() > 0 ? duration_cast<milliseconds>(D(1)).count() : 1;
            if (n > std::numeric_limits<std::int64_t>::max() / per)
                throw_invalid_field(p, std::string("duration ").append(json::to_string(v)).append(" is too large"));
            ms = duration_cast<milliseconds>(D(static_cast<typename D::rep>(n)));
        } else {
            fail_type(p, v, "a duration (\"30s\", \"5m\", \"50ms\", \"7d\") or an integer");
        }
        if (ms < min)
            throw_invalid_field(p,
                                std::string("must be at least ")
                                    .append(format_duration(min))
                                    .append(", got ")
                                    .append(json::to_string(v)));
        // Policies convert to nanoseconds (int64: 292 years) and add durations: cap every one at 100 years.
        if (ms > max_duration)
            throw_invalid_field(p,
                                std::string("must be at most ")
                                    .append(format_duration(max_duration))
                                    .append(", got ")
                                    .append(json::to_string(v)));
        const D out = duration_cast<D>(ms);
        if (duration_cast<milliseconds>(out) != ms)
            throw_invalid_field(p,
                                json::to_string(v) + " is not a whole number of the field's unit (" +
                                    format_duration(duration_cast<milliseconds>(D(1))) + ")");
        return out;
    }

    [[noreturn]] static void fail_type(const std::string& p, const json::value& v, std::string_view expected) {
        throw error(errc::invalid_argument,
                    std::string("must be ").append(expected).append(", got ").append(detail::type_name(v)), p);
    }

private:
    template <class X, class T>
    static bool in_range(X x, T min, T max) noexcept {
        return std::cmp_greater_equal(x, min) && std::cmp_less_equal(x, max);
    }
    template <class T>
    [[noreturn]] static void out_of_range(const std::string& p, T min, T max, const std::string& got) {
        throw_invalid_field(p,
                            std::string("must be in [")
                                .append(std::to_string(min))
                                .append(", ")
                                .append(std::to_string(max))
                                .append("], got ")
                                .append(got));
    }
    static std::string fmt_num(double d) {
        char buf[32];
        return std::string(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
    }
    std::string unknown_detail(std::string_view name) const {
        const auto hint = closest_key(name, known_);
        return hint.empty() ? std::string("unknown key")
                            : std::string("unknown key (did you mean ").append(hint).append("?)");
    }
    static std::string clip(std::string_view s) { return detail::shown(s); }

    const json::value& object_;
    std::string path_;
    const load_options& options_;
    std::vector<std::string>* warnings_;
    std::vector<std::string_view> known_;
};

}  // namespace agentkit::config
