#pragma once
// The canonical form of a JSON text, for keys: texts that differ only in key order or whitespace get the
// same form ({"b": 2, "a": 1} and {"a":1,"b":2} both give {"a":1,"b":2}), so tool calls whose arguments
// differ that way share one cache entry. Object members are sorted by their (escaped) key bytes and all
// insignificant whitespace is dropped; strings and numbers are validated and kept verbatim (1.0 and 1 stay
// different: never wrong, at worst a missed hit). Duplicate keys, bad syntax and nesting deeper than
// canonical_max_depth raise agentkit::error(parse_error) naming the caller's field and the byte offset.
// Hand-written, not RapidJSON: the cache layer must compile without it (test label "closure").
#include <agentkit/core/error.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentkit::json {

// Arrays and objects nested deeper than this are a parse_error. Keys come from tool-call arguments, which
// nest a few levels; the limit bounds the canonicaliser's recursion.
inline constexpr int canonical_max_depth = 128;

namespace detail {
class canonicalizer {
public:
    canonicalizer(std::string_view in, std::string_view field) : in_(in), field_(field) {}
    std::string run() {
        std::string out;
        out.reserve(in_.size());
        ws();
        value(out, 0);
        ws();
        if (pos_ != in_.size()) fail("unexpected text after the JSON value");
        return out;
    }

private:
    [[noreturn]] void fail(std::string_view what) const {
        throw error(errc::parse_error, std::string(what) + " at byte " + std::to_string(pos_), std::string(field_));
    }
    void ws() {
        while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r'))
            ++pos_;
    }
    char peek() const { return pos_ < in_.size() ? in_[pos_] : '\0'; }
    void literal(std::string& out, std::string_view word) {
        if (in_.substr(pos_, word.size()) != word) fail("invalid literal");
        out.append(word);
        pos_ += word.size();
    }
    void string(std::string& out) {
        const std::size_t start = pos_++;  // opening quote
        while (true) {
            if (pos_ >= in_.size()) fail("unterminated string");
            const auto c = static_cast<unsigned char>(in_[pos_]);
            if (c == '"') break;
            if (c < 0x20) fail("control character in string");
            if (c == '\\') {
                ++pos_;
                const char e = peek();
                if (e == 'u') {
                    for (int i = 1; i <= 4; ++i) {
                        const char h = pos_ + i < in_.size() ? in_[pos_ + i] : '\0';
                        if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                            fail("bad \\u escape");
                    }
                    pos_ += 4;
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
                           e != 't') {
                    fail("bad escape");
                }
            }
            ++pos_;
        }
        ++pos_;
        out.append(in_.substr(start, pos_ - start));
    }
    void number(std::string& out) {
        const std::size_t start = pos_;
        if (peek() == '-') ++pos_;
        auto digits = [&] {
            const std::size_t d = pos_;
            while (peek() >= '0' && peek() <= '9') ++pos_;
            return pos_ - d;
        };
        if (peek() == '0')
            ++pos_;
        else if (digits() == 0)
            fail("bad number");
        if (peek() == '.') {
            ++pos_;
            if (digits() == 0) fail("bad number");
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (digits() == 0) fail("bad number");
        }
        out.append(in_.substr(start, pos_ - start));
    }
    void value(std::string& out, int depth) {
        if (depth > canonical_max_depth) fail("nesting deeper than " + std::to_string(canonical_max_depth));
        switch (peek()) {
            case '{': object(out, depth); break;
            case '[': array(out, depth); break;
            case '"': string(out); break;
            case 't': literal(out, "true"); break;
            case 'f': literal(out, "false"); break;
            case 'n': literal(out, "null"); break;
            default:
                if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                    number(out);
                else
                    fail("expected a JSON value");
        }
    }
    void array(std::string& out, int depth) {
        ++pos_;
        out.push_back('[');
        ws();
        if (peek() == ']') {
            ++pos_;
            out.push_back(']');
            return;
        }
        while (true) {
            ws();
            value(out, depth + 1);
            ws();
            if (peek() == ',') {
                ++pos_;
                out.push_back(',');
            } else if (peek() == ']') {
                ++pos_;
                out.push_back(']');
                return;
            } else {
                fail("expected ',' or ']'");
            }
        }
    }
    void object(std::string& out, int depth) {
        ++pos_;
        std::vector<std::pair<std::string, std::string>> members;
        ws();
        if (peek() == '}') {
            ++pos_;
        } else {
            while (true) {
                ws();
                if (peek() != '"') fail("expected a string key");
                std::pair<std::string, std::string> m;
                string(m.first);
                ws();
                if (peek() != ':') fail("expected ':'");
                ++pos_;
                ws();
                value(m.second, depth + 1);
                members.push_back(std::move(m));
                ws();
                if (peek() == ',') {
                    ++pos_;
                } else if (peek() == '}') {
                    ++pos_;
                    break;
                } else {
                    fail("expected ',' or '}'");
                }
            }
        }
        std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 1; i < members.size(); ++i)
            if (members[i].first == members[i - 1].first) fail("duplicate object key");
        out.push_back('{');
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (i) out.push_back(',');
            out.append(members[i].first).push_back(':');
            out.append(members[i].second);
        }
        out.push_back('}');
    }

    std::string_view in_;
    std::string_view field_;
    std::size_t pos_ = 0;
};
}  // namespace detail

// The canonical form of `text`, which must hold one JSON value; errors name `field` ("arguments").
inline std::string canonical(std::string_view text, std::string_view field) {
    return detail::canonicalizer(text, field).run();
}

}  // namespace agentkit::json
