#pragma once
// Definitions of config/yaml.hpp: yaml-cpp's event parser drives a writer of JSON text. The event API (not
// YAML::Node) keeps the work linear in the input, lets the depth limit act while the parser descends, and
// sees each scalar's tag, which is what tells a quoted "8080" (a string) from a plain 8080 (an integer).
#include <agentkit/config/yaml.hpp>
#include <agentkit/core/ascii.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/core/read_file.hpp>
#include <agentkit/core/utf8.hpp>
#include <agentkit/json/escape.hpp>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace agentkit::config {
namespace detail {

// The JSON spelling of a plain scalar under YAML 1.2's core schema, or nullopt for a string.
// `nonfinite` is set for .inf / .nan, which JSON cannot hold.
inline std::optional<std::string> core_schema_value(std::string_view s, bool& nonfinite) {
    nonfinite = false;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return std::string("null");
    if (s == "true" || s == "True" || s == "TRUE") return std::string("true");
    if (s == "false" || s == "False" || s == "FALSE") return std::string("false");
    std::string_view body = s;
    const bool negative = body.front() == '-';
    if (body.front() == '-' || body.front() == '+') body.remove_prefix(1);
    if (body.empty()) return std::nullopt;
    // 0o17 and 0xFF (no sign in the core schema).
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'o' || body[1] == 'x') && body.data() == s.data()) {
        std::uint64_t v = 0;
        const int base = body[1] == 'o' ? 8 : 16;
        const auto [end, ec] = std::from_chars(body.data() + 2, body.data() + body.size(), v, base);
        if (ec == std::errc() && end == body.data() + body.size()) return std::to_string(v);
        return std::nullopt;
    }
    if (body == ".inf" || body == ".Inf" || body == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN") {
        nonfinite = true;
        return std::nullopt;
    }
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    while (i < body.size() && is_digit(body[i])) ++i;
    const std::size_t int_digits = i;
    if (i == body.size()) {  // [-+]?[0-9]+
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
        if (ec == std::errc() && end == body.data() + body.size()) {
            if (!negative) return std::to_string(v);
            if (v <= std::uint64_t{1} << 63) return v == 0 ? std::string("0") : "-" + std::to_string(v);
        }
        // Too large for 64 bits: read as a float below, as YAML parsers that keep numbers as doubles do.
    }
    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    std::size_t frac_digits = 0;
    if (i < body.size() && body[i] == '.') {
        ++i;
        while (i < body.size() && is_digit(body[i])) ++i, ++frac_digits;
    }
    if (int_digits + frac_digits == 0) return std::nullopt;
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
        ++i;
        if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
        const std::size_t exp_start = i;
        while (i < body.size() && is_digit(body[i])) ++i;
        if (i == exp_start) return std::nullopt;
    }
    if (i != body.size()) return std::nullopt;
    std::string normalised(body);  // from_chars takes neither '+' nor a leading '.'
    if (normalised.front() == '.') normalised.insert(normalised.begin(), '0');
    double v = 0;
    const auto [end, ec] = std::from_chars(normalised.data(), normalised.data() + normalised.size(), v);
    if (end != normalised.data() + normalised.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
        return std::nullopt;
    if (ec == std::errc::result_out_of_range || !std::isfinite(v)) {
        nonfinite = true;
        return std::nullopt;
    }
    if (negative) v = -v;
    char buf[32];
    const auto [out_end, out_ec] = std::to_chars(buf, buf + sizeof buf, v);
    std::string text(buf, out_ec == std::errc() ? out_end : buf);
    // Keep a float a float: "1e3" reads back as 1000, which JSON readers take for an integer.
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return text;
}

class yaml_to_json_writer final : public YAML::EventHandler {
public:
    yaml_to_json_writer(const yaml_limits& limits, std::string what) : limits_(limits), what_(std::move(what)) {}

    std::string take() { return std::move(out_); }
    std::size_t documents() const noexcept { return documents_; }

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (documents_++ > 0) fail_at(mark, "a second document (---): a deployment is one document");
    }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (expecting_key()) fail_at(mark, "an empty key");
        const std::size_t start = begin_node(mark, "null");
        append("null");
        end_node(anchor, start);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (expecting_key()) fail_at(mark, "an alias as a key (keys are plain strings)");
        const auto it = anchors_.find(anchor);
        if (it == anchors_.end()) fail_at(mark, "an alias to a node that is not complete yet (a cycle)");
        const std::size_t start = begin_node(mark, it->second);
        append(it->second);
        end_node(YAML::NullAnchor, start);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        if (expecting_key()) {  // keys are strings in JSON, whatever they look like
            key_scalar(mark, tag, value);
            return;
        }
        const std::size_t start = begin_node(mark, value);
        append(scalar_json(mark, tag, value));
        end_node(anchor, start);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        check_collection_tag(mark, tag, "tag:yaml.org,2002:seq");
        open(mark, '[', anchor);
    }
    void OnSequenceEnd() override { close(']'); }

    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        check_collection_tag(mark, tag, "tag:yaml.org,2002:map");
        open(mark, '{', anchor);
    }
    void OnMapEnd() override { close('}'); }

private:
    struct frame {
        bool map = false;
        bool expecting_key = true;  // maps only
        bool first = true;
        YAML::anchor_t anchor = YAML::NullAnchor;
        std::size_t start = 0;
        std::size_t count = 0;  // sequences: items so far
        std::string path;       // for errors
    };

    bool expecting_key() const noexcept { return !stack_.empty() && stack_.back().map && stack_.back().expecting_key; }

    std::string path_of(std::string_view key) const {
        std::string p = stack_.empty() ? std::string() : stack_.back().path;
        if (!p.empty()) p += '.';
        p += key;
        return p;
    }
    std::string current_path() const {
        if (stack_.empty()) return what_;
        const frame& f = stack_.back();
        if (f.map) return path_of(pending_key_);
        return f.path + "[" + std::to_string(index_of_next()) + "]";
    }
    std::size_t index_of_next() const noexcept { return stack_.empty() ? 0 : stack_.back().count; }

    [[noreturn]] void fail_at(const YAML::Mark& mark, std::string_view message) const {
        throw error(errc::parse_error,
                    "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ": " +
                        std::string(message),
                    what_);
    }

    void append(std::string_view s) {
        if (out_.size() + s.size() > limits_.max_json_bytes)
            throw error(errc::capacity_exceeded,
                        "the YAML document expands to more than " + std::to_string(limits_.max_json_bytes) +
                            " bytes of JSON (aliases included)",
                        "config.yaml.max_json_bytes");
        out_.append(s);
    }

    // Before a value: the separator, and for a map the state change from value back to key.
    std::size_t begin_node(const YAML::Mark&, std::string_view) {
        if (!stack_.empty()) {
            frame& f = stack_.back();
            if (!f.map && !f.first) append(",");
            f.first = false;
        }
        return out_.size();
    }
    void end_node(YAML::anchor_t anchor, std::size_t start) {
        if (anchor != YAML::NullAnchor) anchors_[anchor] = out_.substr(start);
        if (!stack_.empty()) {
            frame& f = stack_.back();
            if (f.map)
                f.expecting_key = true;
            else
                ++f.count;
        }
    }

    void key_scalar(const YAML::Mark& mark, const std::string& tag, const std::string& value) {
        if (tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:str")
            fail_at(mark, "a key with the tag " + printable(tag) + " (keys are plain strings)");
        frame& f = stack_.back();
        if (!f.first) append(",");
        f.first = false;
        json::append_string(out_, value);
        append(":");
        pending_key_ = value;
        f.expecting_key = false;
    }

    std::string scalar_json(const YAML::Mark& mark, const std::string& tag, const std::string& value) {
        std::string quoted;
        const auto as_string = [&] {
            json::append_string(quoted, value);
            return quoted;
        };
        if (tag == "!" || tag == "tag:yaml.org,2002:str") return as_string();  // quoted, or !!str
        bool nonfinite = false;
        const auto typed = core_schema_value(value, nonfinite);
        if (nonfinite) fail_at(mark, current_path() + ": '" + printable(value) + "' is not a finite number");
        if (tag == "?") return typed ? *typed : as_string();
        // An explicit core tag must match what the value is.
        const auto expect = [&](bool ok, std::string_view kind) {
            if (!ok) fail_at(mark, current_path() + ": '" + printable(value) + "' is not " + std::string(kind));
            return *typed;
        };
        if (tag == "tag:yaml.org,2002:null") return expect(typed && *typed == "null", "null");
        if (tag == "tag:yaml.org,2002:bool")
            return expect(typed && (*typed == "true" || *typed == "false"), "a boolean");
        if (tag == "tag:yaml.org,2002:int")
            return expect(typed && typed->find_first_of(".eEnt") == std::string::npos, "an integer");
        if (tag == "tag:yaml.org,2002:float")
            return expect(typed && *typed != "null" && *typed != "true" && *typed != "false", "a number");
        fail_at(mark, current_path() + ": the tag " + printable(tag) + " is not supported");
    }

    void check_collection_tag(const YAML::Mark& mark, const std::string& tag, std::string_view core) {
        if (tag.empty() || tag == "?" || tag == "!" || tag == core) return;
        fail_at(mark, current_path() + ": the tag " + printable(tag) + " is not supported");
    }

    void open(const YAML::Mark& mark, char bracket, YAML::anchor_t anchor) {
        if (expecting_key()) fail_at(mark, "a key that is a list or a map (keys are plain strings)");
        if (stack_.size() >= limits_.max_depth)
            fail_at(mark, "nested deeper than " + std::to_string(limits_.max_depth) + " levels");
        std::string path = current_path();
        if (stack_.empty()) path.clear();
        const std::size_t start = begin_node(mark, {});
        append(std::string_view(&bracket, 1));
        frame f;
        f.map = bracket == '{';
        f.anchor = anchor;
        f.start = start;
        f.path = std::move(path);
        stack_.push_back(std::move(f));
    }

    void close(char bracket) {
        append(std::string_view(&bracket, 1));
        const frame f = std::move(stack_.back());
        stack_.pop_back();
        end_node(f.anchor, f.start);
    }

    const yaml_limits& limits_;
    std::string what_;
    std::string out_;
    std::vector<frame> stack_;
    std::map<YAML::anchor_t, std::string> anchors_;
    std::string pending_key_;
    std::size_t documents_ = 0;
};

}  // namespace detail

AGENTKIT_DECL std::string yaml_to_json(std::string_view yaml, std::string_view what, const yaml_limits& limits) {
    const std::string shown_what = printable(what);
    if (yaml.size() > max_file_bytes)
        throw error(errc::capacity_exceeded, "more than " + std::to_string(max_file_bytes) + " bytes",
                    "config.max_file_bytes");
    if (!utf8::is_valid(yaml)) throw error(errc::parse_error, "the YAML text is not valid UTF-8", shown_what);
    if (const auto nul = yaml.find('\0'); nul != std::string_view::npos)
        throw error(errc::parse_error, "NUL byte at byte " + std::to_string(nul), shown_what);
    std::istringstream in{std::string(yaml)};
    detail::yaml_to_json_writer writer(limits, shown_what);
    try {
        YAML::Parser parser(in);
        while (parser.HandleNextDocument(writer)) {}
    } catch (const YAML::Exception& e) {
        std::string where;
        if (!e.mark.is_null())
            where = "line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1) + ": ";
        throw error(errc::parse_error, where + e.msg, shown_what);
    }
    std::string json = writer.take();
    if (json.empty() || json == "null") return "{}";  // an empty file: every default
    return json;
}

AGENTKIT_DECL deployment load_yaml_deployment(std::string_view yaml, const load_options& options) {
    return load_deployment(yaml_to_json(yaml, "config"), options);
}

AGENTKIT_DECL deployment load_yaml_deployment_file(const std::filesystem::path& path, const load_options& options) {
    const std::string text = read_file(path.string(), max_file_bytes, "config.max_file_bytes");
    return load_deployment(yaml_to_json(text, path.string()), options, nullptr, path.string());
}

AGENTKIT_DECL bool is_yaml_path(const std::filesystem::path& path) {
    const std::string ext = path.extension().string();
    return ascii::iequals(ext, ".yaml") || ascii::iequals(ext, ".yml");
}

}  // namespace agentkit::config
