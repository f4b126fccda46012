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
// TRACE may be .gz/.zst/.xz (decompressed through gzip/zstd/xz), a pipe, or `-` for stdin. The default
// format is one integer key per line; `lirs`, `arc` and `cache2k` are the formats of the traces in
// ../shared/traces. A trace holds at most --max-requests keys (default 2^28) and --max-input-bytes bytes
// after decompression (default 8 GiB); --zipf's --requests and --keys are held to --max-requests too.
#include "command.hpp"

#include <agentkit/core/error.hpp>
#include <agentkit/core/printable.hpp>
#include <agentkit/sim/cache_simulator.hpp>
#include <agentkit/sim/trace_reader.hpp>
#include <agentkit/sim/zipf.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace ac = agentkit::cache;
namespace cli = agentkit::cli;

constexpr const char* usage_text =
    "usage: agentkit cache-sim --policy lru|fifo|sieve|w_tinylfu|opt[,...] --capacity N[,...]\n"
    "                          [--format keys|lirs|arc|cache2k|u64] [--tsv] [--max-requests N] [--max-input-bytes N]\n"
    "                          [--] TRACE|-\n"
    "       agentkit cache-sim --zipf S --keys N --requests R [--seed X] [--write FILE] [--policy ... --capacity ...]\n"
    "Replays a trace (one integer key per line by default; .gz/.zst/.xz are decompressed) and prints\n"
    "hit_ratio: <percent>, requests, hits and evictions. opt is Belady's optimum; w_tinylfu_adaptive adds\n"
    "Caffeine >= 2.7's hill-climbed window, w_tinylfu_cold drops the half-full warm-up.\n"
    "W-TinyLFU's sketch seed is 0 here (keys hashed as is) so runs repeat; a cache in a program draws its own.\n"
    "--sketch-seed X replays with seed X; --sketch-seeds N also replays seeds 0..N-1 and prints the median,\n"
    "min and max over them (the distribution a fleet of caches would see; --tsv: extra columns).\n"
    "--caffeine-seeds S[,S...] (w_tinylfu only) hashes keys as Caffeine 2.6 does for Long keys with that\n"
    "randomSeed (signed int), one row per seed, to compare with a Caffeine cache decision by decision.\n"
    "Limits: a trace holds at most --max-requests keys (default 268435456 = 2^28; --zipf's --requests and\n"
    "--keys too) and --max-input-bytes bytes after decompression (default 8589934592 = 8 GiB).\n";

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

std::uint64_t number(std::string_view text, const char* field) { return cli::whole_number(text, field); }

double real(std::string_view text, const char* field) {
    try {
        std::size_t used = 0;
        const double v = std::stod(std::string(text), &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {}
    throw cli::usage_error(field, "expected a number, got '" + agentkit::printable(text) + "'");
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
    ac::trace_limits limits;
    bool operands_only = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        auto value = [&] { return cli::option_value(args, i); };
        if (operands_only || !cli::looks_like_option(a)) {
            if (trace_path) throw cli::usage_error("TRACE", "give one trace file (or - for stdin)");
            trace_path = std::string(a);
        } else if (a == "--") {
            operands_only = true;
        } else if (cli::is_help(a)) {
            std::fputs(usage_text, stdout);
            return cli::exit_ok;
        } else if (a == "--policy") {
            policies = split(value());
        } else if (a == "--capacity") {
            capacities.clear();
            for (auto c : split(value())) {
                capacities.push_back(number(c, "--capacity"));
                if (capacities.back() == 0) throw cli::usage_error("--capacity", "must be at least 1");
            }
        } else if (a == "--format") {
            const auto name = value();
            format = cli::as_usage([&] { return ac::parse_trace_format(name); });
        } else if (a == "--zipf") {
            zipf_s = real(value(), "--zipf");
            if (!(*zipf_s >= 0.0) || !std::isfinite(*zipf_s))
                throw cli::usage_error("--zipf", "must be a finite exponent >= 0");
        } else if (a == "--keys") {
            zipf_keys = number(value(), "--keys");
        } else if (a == "--requests") {
            requests = number(value(), "--requests");
        } else if (a == "--seed") {
            seed = number(value(), "--seed");
        } else if (a == "--max-requests") {
            limits.max_requests = number(value(), "--max-requests");
        } else if (a == "--max-input-bytes") {
            limits.max_input_bytes = number(value(), "--max-input-bytes");
        } else if (a == "--write") {
            write_path = std::string(value());
        } else if (a == "--sketch-seed") {
            const auto v = number(value(), "--sketch-seed");
            if (v > 0xffffffffu) throw cli::usage_error("--sketch-seed", "must fit in 32 bits (0..4294967295)");
            sketch_seed = static_cast<std::uint32_t>(v);
        } else if (a == "--sketch-seeds") {
            const auto v = number(value(), "--sketch-seeds");
            if (v > 1000) throw cli::usage_error("--sketch-seeds", "at most 1000 seeds");
            sketch_seeds = static_cast<std::uint32_t>(v);
        } else if (a == "--caffeine-seeds") {
            for (auto v : split(value())) {
                std::int32_t seed_value = 0;
                const auto r = std::from_chars(v.data(), v.data() + v.size(), seed_value);
                if (v.empty() || r.ec != std::errc{} || r.ptr != v.data() + v.size())
                    throw cli::usage_error("--caffeine-seeds",
                                           "expected a 32-bit signed integer, got '" + agentkit::printable(v) + "'");
                caffeine_seeds.push_back(seed_value);
            }
        } else if (a == "--tsv") {
            tsv = true;
        } else {
            throw cli::usage_error(a, "unknown option");
        }
    }
    if (zipf_s && trace_path) throw cli::usage_error("--zipf", "give either --zipf or a TRACE file, not both");
    if (!zipf_s && !trace_path) throw cli::usage_error("TRACE", "give a trace file (- for stdin) or --zipf");
    for (const auto policy : policies)
        cli::as_usage([&] { ac::replay(policy, {}, 1); });  // a bad --policy, before reading the trace
    if (!caffeine_seeds.empty() && (policies.size() != 1 || policies[0] != "w_tinylfu"))
        throw cli::usage_error("--caffeine-seeds", "only with --policy w_tinylfu");
    if (capacities.empty() && !write_path)
        throw cli::usage_error("--capacity", "required (entries, e.g. --capacity 1000)");
    std::vector<std::uint64_t> trace;
    if (zipf_s) {
        if (zipf_keys == 0) throw cli::usage_error("--keys", "--zipf needs --keys N (N >= 1)");
        if (requests == 0) throw cli::usage_error("--requests", "--zipf needs --requests R (R >= 1)");
        // A generated trace is held to the same bound as a read one (its keys table too: 8 bytes a key).
        for (const auto& [n, what] : {std::pair{requests, "--requests"}, std::pair{zipf_keys, "--keys"}})
            if (n > limits.max_requests)
                throw agentkit::error(agentkit::errc::capacity_exceeded,
                                      std::string(what) + " " + std::to_string(n) + " is more than " +
                                          std::to_string(limits.max_requests) + " (raise --max-requests)",
                                      "--max-requests");
        trace = ac::zipf_trace(zipf_keys, *zipf_s, requests, seed);
    } else {
        try {
            trace = ac::load_trace(*trace_path, format, limits);
        } catch (const agentkit::error& e) {
            // Name the flag that raises a limit rather than the library's knob.
            const std::string flag = e.field() == "cache.trace_limits.max_requests" ? "--max-requests"
                : e.field() == "cache.trace_limits.max_input_bytes"                 ? "--max-input-bytes"
                                                                                    : "";
            if (flag.empty()) throw;
            std::string detail = e.what();
            detail.erase(0, ("agentkit: " + e.field() + ": ").size());
            throw agentkit::error(agentkit::errc::capacity_exceeded, detail + " (raise " + flag + ")", flag);
        }
    }
    if (write_path) {
        std::ofstream out(*write_path, std::ios::binary);
        for (const auto k : trace) {
            unsigned char b[8];
            for (int j = 0; j < 8; ++j) b[j] = static_cast<unsigned char>(k >> (8 * j));
            out.write(reinterpret_cast<const char*>(b), 8);
        }
        if (!out)
            throw agentkit::error(agentkit::errc::io_error, "cannot write " + agentkit::printable(*write_path),
                                  "--write");
        if (capacities.empty()) return cli::exit_ok;
    }
    if (!caffeine_seeds.empty()) {
        if (tsv) std::printf("policy\tcapacity\trequests\thits\tevictions\thit_ratio\tns_per_request\tcaffeine_seed\n");
        for (const auto capacity : capacities) {
            for (const auto seed_value : caffeine_seeds) {
                const auto r = ac::replay_caffeine_hashed(trace, capacity, seed_value);
                const double ns = r.requests ? r.seconds * 1e9 / static_cast<double>(r.requests) : 0.0;
                if (tsv)
                    std::printf("w_tinylfu\t%zu\t%llu\t%llu\t%llu\t%.4f\t%.1f\t%d\n", capacity,
                                static_cast<unsigned long long>(r.requests), static_cast<unsigned long long>(r.hits),
                                static_cast<unsigned long long>(r.evictions), r.hit_ratio_percent(), ns, seed_value);
                else
                    std::printf(
                        "policy: w_tinylfu\ncaffeine_seed: %d\ncapacity: %zu\nrequests: %llu\nhits: %llu\nevictions: "
                        "%llu\nhit_ratio: %.2f\n\n",
                        seed_value, capacity, static_cast<unsigned long long>(r.requests),
                        static_cast<unsigned long long>(r.hits), static_cast<unsigned long long>(r.evictions),
                        r.hit_ratio_percent());
            }
        }
        return 0;
    }
    if (tsv)
        std::printf("policy\tcapacity\trequests\thits\tevictions\thit_ratio\tns_per_request%s\n",
                    sketch_seeds > 0 ? "\tseeds\tmedian_hit_ratio\tmin_hit_ratio\tmax_hit_ratio" : "");
    bool first = true;
    for (const auto policy : policies) {
        for (const auto capacity : capacities) {
            const auto r = ac::replay(policy, trace, capacity, sketch_seed);
            const double ns = r.requests ? r.seconds * 1e9 / static_cast<double>(r.requests) : 0.0;
            std::vector<double> spread;  // hit ratios over sketch seeds 0..N-1 (one value for unseeded policies)
            const bool seeded = ac::sketch_seeded(policy);
            for (std::uint32_t s = 0; s < sketch_seeds; ++s)
                spread.push_back(s == sketch_seed || !seeded
                                     ? r.hit_ratio_percent()
                                     : ac::replay(policy, trace, capacity, s).hit_ratio_percent());
            std::sort(spread.begin(), spread.end());
            if (tsv) {
                std::printf("%.*s\t%zu\t%llu\t%llu\t%llu\t%.4f\t%.1f", static_cast<int>(policy.size()), policy.data(),
                            capacity, static_cast<unsigned long long>(r.requests),
                            static_cast<unsigned long long>(r.hits), static_cast<unsigned long long>(r.evictions),
                            r.hit_ratio_percent(), ns);
                if (!spread.empty())
                    std::printf("\t%zu\t%.4f\t%.4f\t%.4f", spread.size(), spread[spread.size() / 2], spread.front(),
                                spread.back());
                std::printf("\n");
            } else {
                if (!first) std::printf("\n");
                std::printf(
                    "policy: %.*s\ncapacity: %zu\nrequests: %llu\nhits: %llu\nevictions: %llu\nhit_ratio: %.2f\n",
                    static_cast<int>(policy.size()), policy.data(), capacity,
                    static_cast<unsigned long long>(r.requests), static_cast<unsigned long long>(r.hits),
                    static_cast<unsigned long long>(r.evictions), r.hit_ratio_percent());
                if (!spread.empty())
                    std::printf("sketch_seeds: %zu\nmedian_hit_ratio: %.2f\nmin_hit_ratio: %.2f\nmax_hit_ratio: %.2f\n",
                                spread.size(), spread[spread.size() / 2], spread.front(), spread.back());
            }
            first = false;
        }
    }
    return 0;
}

const agentkit::cli::registration reg{"cache-sim", "replay a cache trace through a policy, print its hit ratio",
                                      &run_cache_sim};

}  // namespace
