#pragma once
// writer: the dumping side of a config section's field list (see reader.hpp). Writes every knob, with its
// seed key name and current value, as JSON that reader loads back to the same struct.
#include <agentkit/config/reader.hpp>
#include <agentkit/core/duration_text.hpp>
#include <agentkit/core/size_text.hpp>
#include <agentkit/json/writer.hpp>

#include <charconv>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::config {

// W: a rapidjson Writer or PrettyWriter.
template <class W>
class basic_writer {
public:
    static constexpr bool loading = false;

    explicit basic_writer(W& w) : w_(w) {}

    W& out() noexcept { return w_; }

    template <std::integral T>
    requires(!std::same_as<T, bool>) void integer(std::string_view key, const T& field, T = {}, T = {}) {
        key_(key);
        value(field);
    }
    template <std::floating_point T>
    void number(std::string_view key, const T& field, double, double, bool = false) {
        key_(key);
        value(field);
    }
    template <std::unsigned_integral T>
    void size(std::string_view key, const T& field, T = 0, T = 0) {
        key_(key);
        str(format_size(field));
    }
    void boolean(std::string_view key, const bool& field) {
        key_(key);
        w_.Bool(field);
    }
    void string(std::string_view key, const std::string& field, bool = true) {
        key_(key);
        str(field);
    }
    void strings(std::string_view key, const std::vector<std::string>& field, bool = false) {
        key_(key);
        value(field);
    }
    template <std::integral T>
    void integers(std::string_view key, const std::vector<T>& field, T, T) {
        key_(key);
        w_.StartArray();
        for (T x : field) value(x);
        w_.EndArray();
    }
    template <class Rep, class Period>
    void duration(std::string_view key, const std::chrono::duration<Rep, Period>& field,
                  duration_style style = duration_style::integer, std::chrono::milliseconds = {}) {
        key_(key);
        if (style == duration_style::integer)
            value(static_cast<std::int64_t>(field.count()));
        else
            str(format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(field)));
    }
    template <class E, std::size_t N>
    void enumeration(std::string_view key, const E& field, const enum_word<E> (&words)[N]) {
        key_(key);
        for (const auto& w : words)
            if (w.value == field) return str(w.word);
        str("?");
    }
    template <class F>
    void section(std::string_view key, F&& visit) {
        key_(key);
        w_.StartObject();
        visit(*this);
        w_.EndObject();
    }
    // Codec::write(writer&, const T&) writes one entry's value; entries in key order.
    template <class T, class Codec>
    void map(std::string_view key, const std::map<std::string, T>& field, Codec codec) {
        key_(key);
        w_.StartObject();
        for (const auto& [name, item] : field) {
            key_(name);
            codec.write(*this, item);
        }
        w_.EndObject();
    }
    template <class T, class Codec>
    void map(std::string_view key, const std::unordered_map<std::string, T>& field, Codec codec) {
        map(key, std::map<std::string, T>(field.begin(), field.end()), codec);
    }
    // write(writer&, const T&) writes one item's fields (inside an object): the same generic lambda as reader's.
    template <class T, class F>
    void list(std::string_view key, const std::vector<T>& field, F&& write) {
        key_(key);
        w_.StartArray();
        for (T item : field) {  // a copy: the field list takes mutable references
            w_.StartObject();
            write(*this, item);
            w_.EndObject();
        }
        w_.EndArray();
    }

    // Bare values, for map/list callbacks.
    template <std::integral T>
    requires(!std::same_as<T, bool>) void value(T x) {
        if constexpr (std::is_signed_v<T>)
            w_.Int64(static_cast<std::int64_t>(x));
        else
            w_.Uint64(static_cast<std::uint64_t>(x));
    }
    // Shortest text that reads back to the same value (a float's own shortest form, not its double's).
    template <std::floating_point T>
    void value(T x) {
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, x);
        std::string text(buf, r.ptr);
        if (text.find_first_of(".e") == std::string::npos) text += ".0";
        w_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
    }
    void value(const std::string& s) { str(s); }
    void value(const std::vector<std::string>& list) {
        w_.StartArray();
        for (const auto& s : list) str(s);
        w_.EndArray();
    }
    void key_(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
    void str(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

private:
    W& w_;
};

}  // namespace agentkit::config
