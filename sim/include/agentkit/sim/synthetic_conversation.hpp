#pragma once
// A synthetic long conversation for testing and benchmarking memory policies: seeded, so every run is the
// same. It plants facts ("The budget of Apollo is KX-4821."), later updates of some of them ("Update: the
// budget of Apollo is now QZ-1177."), pinned messages (importance 0.9) and tool calls with bulky results,
// among filler turns. quality() then measures what a compacted history kept: the share of pinned messages
// still present verbatim, and the share of facts whose latest value is still present (anywhere).
#include <agentkit/core/message.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace agentkit::memory::synthetic {

struct config {
    std::size_t turns = 300;
    std::size_t facts = 40;
    std::size_t max_updates_per_fact = 3;
    std::size_t pinned = 25;
    double tool_turn_rate = 0.3;
    std::size_t filler_words = 30;  // per filler sentence
    std::uint64_t seed = 42;
};

struct fact {
    std::string subject;              // "the budget of Apollo"
    std::vector<std::string> values;  // in the order stated; back() is the latest
};

struct conversation_data {
    std::vector<message> messages;
    std::vector<std::string> pinned;  // contents of pinned messages
    std::vector<fact> facts;
};

struct quality_report {
    std::size_t pinned_total = 0, pinned_kept = 0;
    std::size_t facts_total = 0, facts_latest_kept = 0;
    double pinned_pct() const {
        return pinned_total ? 100.0 * static_cast<double>(pinned_kept) / static_cast<double>(pinned_total) : 100.0;
    }
    double facts_pct() const {
        return facts_total ? 100.0 * static_cast<double>(facts_latest_kept) / static_cast<double>(facts_total) : 100.0;
    }
};

inline conversation_data generate(const config& cfg) {
    static constexpr const char* entities[] = {"Apollo", "Borealis", "Cassini", "Dione", "Europa", "Fornax",
                                               "Gemini", "Helios",   "Io",      "Juno",  "Kepler", "Lyra",
                                               "Mimas",  "Nereid",   "Orion",   "Pallas"};
    static constexpr const char* attributes[] = {"budget", "deadline", "owner",  "codename",
                                                 "region", "priority", "vendor", "status"};
    static constexpr const char* words[] = {
        "let",    "me",       "check", "the",  "parser",  "module",  "and",     "cache",   "layer", "before",
        "we",     "continue", "with",  "a",    "review",  "of",      "pending", "changes", "in",    "branch",
        "that",   "touches",  "tests", "docs", "build",   "scripts", "maybe",   "later",   "today", "quickly",
        "thanks", "sounds",   "good",  "sure", "looking", "into",    "it",      "now",     "then",  "again"};
    std::mt19937_64 rng(cfg.seed);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    auto value = [&] {
        std::string v;
        v.push_back(static_cast<char>('A' + pick(26)));
        v.push_back(static_cast<char>('A' + pick(26)));
        v.push_back('-');
        v += std::to_string(1000 + pick(9000));
        return v;
    };
    auto filler = [&] {
        std::string s;
        for (std::size_t i = 0; i < cfg.filler_words; ++i) {
            if (i) s.push_back(' ');
            s += words[pick(std::size(words))];
        }
        s += ".";
        return s;
    };

    conversation_data out;
    // Distinct subjects.
    for (std::size_t i = 0; i < cfg.facts; ++i)
        out.facts.push_back(
            {std::string("the ") + attributes[i % std::size(attributes)] + " of " +
                 entities[(i / std::size(attributes)) % std::size(entities)] +
                 (i >= std::size(attributes) * std::size(entities) ? std::string(" ").append(std::to_string(i)) : ""),
             {}});
    // Schedule: each fact stated once, then updated 0..max times; pinned messages spread out.
    struct event {
        std::size_t turn;
        int kind;  // 0 fact statement, 1 pinned
        std::size_t index;
    };
    std::vector<event> events;
    const auto last_turn = cfg.turns > 8 ? cfg.turns - 8 : cfg.turns;  // leave the last turns to filler
    for (std::size_t i = 0; i < cfg.facts; ++i) {
        const auto updates = pick(cfg.max_updates_per_fact + 1);
        for (std::size_t u = 0; u <= updates; ++u) events.push_back({pick(last_turn), 0, i});
    }
    for (std::size_t i = 0; i < cfg.pinned; ++i) events.push_back({pick(last_turn), 1, i});

    out.messages.push_back(message::system("You are a project assistant. Keep answers short."));
    std::size_t call_seq = 0;
    for (std::size_t t = 0; t < cfg.turns; ++t) {
        std::string user = filler();
        bool pinned_turn = false;
        std::string pinned_text;
        for (const auto& e : events) {
            if (e.turn != t) continue;
            if (e.kind == 0) {
                auto& f = out.facts[e.index];
                const auto v = value();
                std::string subject = f.subject;
                if (f.values.empty()) {
                    subject[0] = 'T';
                    user += " " + subject + " is " + v + ".";
                } else {
                    user += " Update: " + f.subject + " is now " + v + ".";
                }
                f.values.push_back(v);
            } else {
                pinned_turn = true;
                pinned_text = std::string("PINNED-")
                                  .append(std::to_string(e.index))
                                  .append(": always cite ticket T")
                                  .append(std::to_string(100 + e.index))
                                  .append(" when ")
                                  .append(filler());
            }
        }
        out.messages.push_back(message::user(user));
        if (pinned_turn) {
            auto m = message::user(pinned_text);
            m.set_importance(0.9f);
            out.pinned.push_back(pinned_text);
            out.messages.push_back(std::move(m));
        }
        if (static_cast<double>(rng() % 1000) / 1000.0 < cfg.tool_turn_rate) {
            const auto id = std::string("call_").append(std::to_string(++call_seq));
            out.messages.push_back(message::assistant("", {{id, "run_tests", R"({"target":"all"})"}}));
            std::string log;
            for (int l = 0; l < 6; ++l)
                log += std::string("ok test_")
                           .append(std::to_string(pick(500)))
                           .append(" passed in ")
                           .append(std::to_string(pick(90)))
                           .append("ms\n");
            out.messages.push_back(message::tool_result(id, log, "run_tests"));
        }
        out.messages.push_back(message::assistant(filler()));
    }
    // Facts never stated (tiny turn counts) are dropped from the report.
    std::erase_if(out.facts, [](const fact& f) { return f.values.empty(); });
    return out;
}

inline quality_report quality(std::span<const message> history, const conversation_data& data) {
    quality_report r;
    r.pinned_total = data.pinned.size();
    for (const auto& p : data.pinned)
        for (const auto& m : history)
            if (m.content() == p && m.importance() >= 0.8f) {
                ++r.pinned_kept;
                break;
            }
    r.facts_total = data.facts.size();
    for (const auto& f : data.facts)
        for (const auto& m : history)
            if (m.content().find(f.values.back()) != std::string::npos) {
                ++r.facts_latest_kept;
                break;
            }
    return r;
}

}  // namespace agentkit::memory::synthetic
