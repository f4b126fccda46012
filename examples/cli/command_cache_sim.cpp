// agentkit cache-sim: replays a cache-access trace through an eviction policy and prints its hit ratio.
//
//   agentkit cache-sim --policy lru|fifo|sieve|w_tinylfu[_adaptive|_cold]|opt --capacity N [--format keys|lirs|arc|cache2k|u64] TRACE|-
//   agentkit cache-sim --policy lru,w_tinylfu,opt --capacity 100,1000 --tsv TRACE    (every combination, one row each)
//   agentkit cache-sim --zipf 0.9 --keys 10000 --requests 5000000 [--seed 42] --policy ... --capacity ...
//   agentkit cache-sim --zipf 0.9 --keys 10000 --requests 5000000 --write zipf.u64   (save the trace, format u64)
//   agentkit cache-sim --policy w_tinylfu --capacity 1000 --sketch-seeds 21 --tsv TRACE   (hit ratio over 21 sketch seeds)
//   agentkit cache-sim --policy w_tinylfu --capacity 1000 --caffeine-seeds -1802890217,353368669 --tsv TRACE
//       (w_tinylfu hashed as a Caffeine 2.6 cache with that randomSeed, one row per seed)
//
// TRACE may be .gz/.zst/.xz (decompressed through gzip/zstd/xz) or `-` for stdin. The default format is
// one integer key per line; `lirs`, `arc` and `cache2k` are the formats of the traces in ../shared/traces.
#include "command.hpp"

#include <agentkit/cache/simulator.hpp>
#include <agentkit/cache/trace_reader.hpp>
#include <agentkit/cache/zipf.hpp>
#include <agentkit/core/error.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace ac = agentkit::cache;

constexpr const char* usage_text =
    "usage: agentkit cache-sim --policy lru|fifo|sieve|w_tinylfu|opt[,...] --capacity N[,...]\n"
    "                          [--format keys|lirs|arc|cache2k|u64] [--tsv] TRACE|-\n"
    "       agentkit cache-sim --zipf S --keys N --requests R [--seed X] [--write FILE] [--policy ... --capacity ...]\n"
    "Replays a trace (one integer key per line by default; .gz/.zst/.xz are decompressed) and prints\n"
    "hit_ratio: <percent>, requests, hits and evictions. opt is Belady's optimum; w_tinylfu_adaptive adds\n"
    "Caffeine >= 2.7's hill-climbed window, w_tinylfu_cold drops the half-full warm-up.\n"
    "W-TinyLFU's sketch seed is 0 here (keys hashed as is) so runs repeat; a cache in a program draws its own.\n"
    "--sketch-seed X replays with seed X; --sketch-seeds N also replays seeds 0..N-1 and prints the median,\n"
    "min and max over them (the distribution a fleet of caches would see; --tsv: extra columns).\n"
    "--caffeine-seeds S[,S...] (w_tinylfu only) hashes keys as Caffeine 2.6 does for Long keys with that\n"
    "randomSeed (signed int), one row per seed, to compare with a Caffeine cache decision by decision.\n";

std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> out;
    while (true) {
        const auto c = s.find(',');
        out.push_back(s.substr(0, c));
        if (c == std::string_view::npos) break;
        s.remove_prefix(c + 1);
    }
    return out;
}

std::uint64_t number(std::string_view text, const char* field) {
    std::uint64_t v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size())
        throw agentkit::error(agentkit::errc::invalid_argument, "expected a non-negative integer, got '" + std::string(text) + "'", field);
    return v;
}

double real(std::string_view text, const char* field) {
    try {
        std::size_t used = 0;
        const double v = std::stod(std::string(text), &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw agentkit::error(agentkit::errc::invalid_argument, "expected a number, got '" + std::string(text) + "'", field);
}

int run_cache_sim(const std::vector<std::string_view>& args) {
    std::vector<std::string_view> policies{"lru"};
    std::vector<std::size_t> capacities;
    ac::trace_format format = ac::trace_format::keys;
    std::optional<std::string> trace_path;
    std::optional<double> zipf_s;
    std::uint64_t zipf_keys = 0, requests = 0, seed = 42;
    std::optional<std::string> write_path;
    bool tsv = false;
    std::uint32_t sketch_seed = 0, sketch_seeds = 0;
    std::vector<std::int32_t> caffeine_seeds;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= args.size())
                throw agentkit::error(agentkit::errc::invalid_argument, "needs a value", std::string(a));
            return args[++i];
        };
        if (a == "-h" || a == "--help") {
            std::fputs(usage_text, stdout);
            return 0;
        } else if (a == "--policy") {
            policies = split(value());
        } else if (a == "--capacity") {
            capacities.clear();
            for (auto c : split(value())) {
                capacities.push_back(number(c, "--capacity"));
                if (capacities.back() == 0) agentkit::throw_invalid_field("--capacity", "must be at least 1");
            }
        } else if (a == "--format") {
            format = ac::parse_trace_format(value());
        } else if (a == "--zipf") {
            zipf_s = real(value(), "--zipf");
        } else if (a == "--keys") {
            zipf_keys = number(value(), "--keys");
        } else if (a == "--requests") {
            requests = number(value(), "--requests");
        } else if (a == "--seed") {
            seed = number(value(), "--seed");
        } else if (a == "--write") {
            write_path = std::string(value());
        } else if (a == "--sketch-seed") {
            const auto v = number(value(), "--sketch-seed");
            if (v > 0xffffffffu) agentkit::throw_invalid_field("--sketch-seed", "must fit in 32 bits (0..4294967295)");
            sketch_seed = static_cast<std::uint32_t>(v);
        } else if (a == "--sketch-seeds") {
            const auto v = number(value(), "--sketch-seeds");
            if (v > 1000) agentkit::throw_invalid_field("--sketch-seeds", "at most 1000 seeds");
            sketch_seeds = static_cast<std::uint32_t>(v);
        } else if (a == "--caffeine-seeds") {
            for (auto v : split(value())) {
                std::int32_t seed_value = 0;
                const auto r = std::from_chars(v.data(), v.data() + v.size(), seed_value);
                if (v.empty() || r.ec != std::errc{} || r.ptr != v.data() + v.size())
                    throw agentkit::error(agentkit::errc::invalid_argument, "expected a 32-bit signed integer, got '" + std::string(v) + "'",
                                          "--caffeine-seeds");
                caffeine_seeds.push_back(seed_value);
            }
        } else if (a == "--tsv") {
            tsv = true;
        } else if (a.size() > 1 && a.front() == '-' ) {
            std::fputs(usage_text, stderr);
            throw agentkit::error(agentkit::errc::invalid_argument, "unknown option", std::string(a));
        } else {
            if (trace_path) agentkit::throw_invalid_field("TRACE", "give one trace file (or - for stdin)");
            trace_path = std::string(a);
        }
    }
    if (zipf_s && trace_path) agentkit::throw_invalid_field("--zipf", "give either --zipf or a TRACE file, not both");
    if (!zipf_s && !trace_path) {
        std::fputs(usage_text, stderr);
        return 2;
    }
    for (const auto policy : policies) ac::replay(policy, {}, 1);  // reject a bad --policy before reading the trace
    if (!caffeine_seeds.empty() && (policies.size() != 1 || policies[0] != "w_tinylfu"))
        agentkit::throw_invalid_field("--caffeine-seeds", "only with --policy w_tinylfu");
    std::vector<std::uint64_t> trace;
    if (zipf_s) {
        if (zipf_keys == 0) agentkit::throw_invalid_field("--keys", "--zipf needs --keys N (N >= 1)");
        if (requests == 0) agentkit::throw_invalid_field("--requests", "--zipf needs --requests R (R >= 1)");
        trace = ac::zipf_trace(zipf_keys, *zipf_s, requests, seed);
    } else {
        trace = ac::load_trace(*trace_path, format);
    }
    if (write_path) {
        std::ofstream out(*write_path, std::ios::binary);
        for (const auto k : trace) {
            unsigned char b[8];
            for (int j = 0; j < 8; ++j) b[j] = static_cast<unsigned char>(k >> (8 * j));
            out.write(reinterpret_cast<const char*>(b), 8);
        }
        if (!out) throw agentkit::error(agentkit::errc::io_error, "cannot write " + *write_path, "--write");
        if (capacities.empty()) return 0;
    }
    if (capacities.empty()) agentkit::throw_invalid_field("--capacity", "required (entries, e.g. --capacity 1000)");
    if (!caffeine_seeds.empty()) {
        if (tsv) std::printf("policy\tcapacity\trequests\thits\tevictions\thit_ratio\tns_per_request\tcaffeine_seed\n");
        for (const auto capacity : capacities) {
            for (const auto seed_value : caffeine_seeds) {
                const auto r = ac::replay_caffeine_hashed(trace, capacity, seed_value);
                const double ns = r.requests ? r.seconds * 1e9 / static_cast<double>(r.requests) : 0.0;
                if (tsv)
                    std::printf("w_tinylfu\t%zu\t%llu\t%llu\t%llu\t%.4f\t%.1f\t%d\n", capacity, static_cast<unsigned long long>(r.requests),
                                static_cast<unsigned long long>(r.hits), static_cast<unsigned long long>(r.evictions), r.hit_ratio_percent(), ns,
                                seed_value);
                else
                    std::printf("policy: w_tinylfu\ncaffeine_seed: %d\ncapacity: %zu\nrequests: %llu\nhits: %llu\nevictions: %llu\nhit_ratio: %.2f\n\n",
                                seed_value, capacity, static_cast<unsigned long long>(r.requests), static_cast<unsigned long long>(r.hits),
                                static_cast<unsigned long long>(r.evictions), r.hit_ratio_percent());
            }
        }
        return 0;
    }
    if (tsv) std::printf("policy\tcapacity\trequests\thits\tevictions\thit_ratio\tns_per_request%s\n",
                         sketch_seeds > 0 ? "\tseeds\tmedian_hit_ratio\tmin_hit_ratio\tmax_hit_ratio" : "");
    bool first = true;
    for (const auto policy : policies) {
        for (const auto capacity : capacities) {
            const auto r = ac::replay(policy, trace, capacity, sketch_seed);
            const double ns = r.requests ? r.seconds * 1e9 / static_cast<double>(r.requests) : 0.0;
            std::vector<double> spread;  // hit ratios over sketch seeds 0..N-1 (one value for unseeded policies)
            const bool seeded = ac::sketch_seeded(policy);
            for (std::uint32_t s = 0; s < sketch_seeds; ++s)
                spread.push_back(s == sketch_seed || !seeded ? r.hit_ratio_percent() : ac::replay(policy, trace, capacity, s).hit_ratio_percent());
            std::sort(spread.begin(), spread.end());
            if (tsv) {
                std::printf("%.*s\t%zu\t%llu\t%llu\t%llu\t%.4f\t%.1f", static_cast<int>(policy.size()), policy.data(), capacity,
                            static_cast<unsigned long long>(r.requests), static_cast<unsigned long long>(r.hits),
                            static_cast<unsigned long long>(r.evictions), r.hit_ratio_percent(), ns);
                if (!spread.empty())
                    std::printf("\t%zu\t%.4f\t%.4f\t%.4f", spread.size(), spread[spread.size() / 2], spread.front(), spread.back());
                std::printf("\n");
            } else {
                if (!first) std::printf("\n");
                std::printf("policy: %.*s\ncapacity: %zu\nrequests: %llu\nhits: %llu\nevictions: %llu\nhit_ratio: %.2f\n",
                            static_cast<int>(policy.size()), policy.data(), capacity, static_cast<unsigned long long>(r.requests),
                            static_cast<unsigned long long>(r.hits), static_cast<unsigned long long>(r.evictions),
                            r.hit_ratio_percent());
                if (!spread.empty())
                    std::printf("sketch_seeds: %zu\nmedian_hit_ratio: %.2f\nmin_hit_ratio: %.2f\nmax_hit_ratio: %.2f\n", spread.size(),
                                spread[spread.size() / 2], spread.front(), spread.back());
            }
            first = false;
        }
    }
    return 0;
}

const agentkit::cli::registration reg{"cache-sim", "replay a cache trace through a policy, print its hit ratio",
                                      &run_cache_sim};

}  // namespace
