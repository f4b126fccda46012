#pragma once
// The summariser policy: any callable (messages, max_tokens) -> std::string. A model router binds one to
// its fast tier (see callable_summarizer); extractive_summarizer is the embedded default, so compaction
// works offline and deterministically.
//
// extractive_summarizer picks sentences, it writes none: it scores each sentence (fact-like "X is Y"
// statements, numbers, names, recency), drops a statement when a later one has the same subject ("the
// budget of Apollo is ..."), so the latest value of an updated fact wins, then keeps the best sentences
// that fit max_tokens, in their original order.
#include <agentkit/core/ascii.hpp>
#include <agentkit/core/message.hpp>
#include <agentkit/text/chars_per_token.hpp>
#include <agentkit/text/token_counter.hpp>

#include <algorithm>
#include <cctype>
#include <concepts>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace agentkit::memory {

template <class S>
concept summarizer = std::invocable<S&, std::span<const message>, std::size_t> &&
    std::convertible_to<std::invoke_result_t<S&, std::span<const message>, std::size_t>, std::string>;

// A summariser chosen at run time (e.g. a model router's fast tier).
using callable_summarizer = std::function<std::string(std::span<const message>, std::size_t max_tokens)>;

// The name a summary message carries, so the next compaction folds it into the new summary.
inline constexpr std::string_view summary_name = "summary";
inline constexpr std::string_view summary_header = "Summary of the earlier conversation:";

template <text::token_counter Counter = text::chars_per_token<4>>
struct extractive_summarizer {
    Counter counter{};

    std::string operator()(std::span<const message> msgs, std::size_t max_tokens) const {
        struct sentence {
            std::string text;
            std::string subject;
            double score;
            std::size_t order;
        };
        std::vector<sentence> all;
        for (const auto& m : msgs) {
            std::string_view content = m.content();
            if (m.name() == summary_name && content.starts_with(summary_header))
                content.remove_prefix(summary_header.size());
            const bool tool = m.role() == role::tool;
            for (auto s : split_sentences(content)) {
                all.push_back({std::string(s), subject_of(s), 0.0, all.size()});
                if (tool) break;  // a tool result contributes its first sentence only
            }
        }
        if (all.empty()) return {};
        // The latest statement about a subject supersedes earlier ones.
        std::unordered_map<std::string, std::size_t> latest;
        for (const auto& s : all)
            if (!s.subject.empty()) latest[s.subject] = s.order;
        std::vector<sentence*> candidates;
        for (auto& s : all) {
            if (!s.subject.empty() && latest[s.subject] != s.order) continue;
            s.score =
                score(s.text, !s.subject.empty()) + static_cast<double>(s.order) / static_cast<double>(all.size());
            candidates.push_back(&s);
        }
        std::stable_sort(candidates.begin(), candidates.end(), [](auto* a, auto* b) { return a->score > b->score; });
        std::size_t used = counter.count(summary_header) + 1;
        std::vector<sentence*> chosen;
        for (auto* s : candidates) {
            const auto cost = counter.count(s->text) + 1;
            if (used + cost > max_tokens) continue;
            used += cost;
            chosen.push_back(s);
        }
        std::sort(chosen.begin(), chosen.end(), [](auto* a, auto* b) { return a->order < b->order; });
        std::string out(summary_header);
        for (auto* s : chosen) out.append("\n").append(s->text);
        return out;
    }

    static std::vector<std::string_view> split_sentences(std::string_view text) {
        std::vector<std::string_view> out;
        std::size_t start = 0;
        auto push = [&](std::size_t end) {
            auto s = trim(text.substr(start, end - start));
            if (s.size() >= 3) out.push_back(s);
        };
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            const bool end = c == '\n' ||
                ((c == '.' || c == '!' || c == '?') &&
                 (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n'));
            if (end) {
                push(c == '\n' ? i : i + 1);
                start = i + 1;
            }
        }
        push(text.size());
        return out;
    }

private:
    static std::string_view trim(std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
        return s;
    }

    // "Update: the budget of Apollo is now 5M." -> "the budget of apollo"; "" when not a statement.
    static std::string subject_of(std::string_view s) {
        if (s.ends_with('?')) return {};
        for (std::string_view prefix : {"update:", "correction:", "note:", "fyi:", "actually,", "reminder:", "so "}) {
            if (s.size() >= prefix.size() && ascii::iequals(s.substr(0, prefix.size()), prefix))
                s = trim(s.substr(prefix.size()));
        }
        std::size_t verb = std::string_view::npos;
        for (std::string_view v : {" is ", " are ", " was ", " = ", ": "}) {
            const auto at = s.find(v);
            if (at != std::string_view::npos && at < verb) verb = at;
        }
        if (verb == std::string_view::npos || verb == 0 || verb > 80) return {};
        return ascii::to_lower(s.substr(0, verb));
    }

    static double score(std::string_view s, bool statement) {
        double v = statement ? 3.0 : 0.0;
        bool digit = false;
        int names = 0;
        bool first = true;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            digit |= std::isdigit(c) != 0;
            if (std::isupper(c) && !first && i > 0 && s[i - 1] == ' ') ++names;
            if (c == ' ') first = false;
        }
        v += digit ? 1.5 : 0.0;
        v += std::min(names, 3) * 0.5;
        if (s.ends_with('?')) v -= 1.0;
        return v;
    }
};

static_assert(summarizer<extractive_summarizer<>>);
static_assert(summarizer<callable_summarizer>);

}  // namespace agentkit::memory
