#pragma once
// Belady's optimum (OPT / MIN): the most hits any cache of `capacity` entries can get on a trace, knowing
// the future. On a miss the entry whose next use is farthest (possibly the new one, which is then not
// admitted) leaves. Offline, O(n log n): the upper bound printed beside every policy's hit ratio.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

namespace agentkit::cache {

inline std::uint64_t belady_hits(const std::vector<std::uint64_t>& trace, std::size_t capacity) {
    if (capacity == 0 || trace.empty()) return 0;
    const std::size_t n = trace.size();
    constexpr std::size_t never = std::numeric_limits<std::size_t>::max();
    // Dense ids, then next-use positions from the back.
    std::vector<std::uint32_t> id(n);
    {
        std::unordered_map<std::uint64_t, std::uint32_t> ids;
        ids.reserve(n / 4 + 16);
        for (std::size_t i = 0; i < n; ++i)
            id[i] = ids.try_emplace(trace[i], static_cast<std::uint32_t>(ids.size())).first->second;
    }
    std::size_t distinct = 0;
    for (auto x : id) distinct = std::max<std::size_t>(distinct, x + 1);
    std::vector<std::size_t> next(n), last(distinct, never);
    for (std::size_t i = n; i-- > 0;) {
        next[i] = last[id[i]];
        last[id[i]] = i;
    }
    // cached_next[k] = the next use of cached key k (never = not cached); a max-heap with lazy deletion.
    std::vector<std::size_t> cached_next(distinct, never);
    std::vector<bool> cached(distinct, false);
    std::priority_queue<std::pair<std::size_t, std::uint32_t>> heap;
    std::size_t size = 0;
    std::uint64_t hits = 0;
    auto top_valid = [&] {
        while (!heap.empty() && (!cached[heap.top().second] || cached_next[heap.top().second] != heap.top().first))
            heap.pop();
    };
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t k = id[i];
        if (cached[k]) {
            ++hits;
        } else {
            if (next[i] == never) continue;  // never used again: caching it cannot help
            if (size == capacity) {
                top_valid();
                if (heap.top().first <= next[i]) continue;  // the newcomer is the farthest: bypass
                cached[heap.top().second] = false;
                heap.pop();
                --size;
            }
            cached[k] = true;
            ++size;
        }
        cached_next[k] = next[i];
        if (next[i] == never) {  // its last use: drop it now, it only takes room
            cached[k] = false;
            --size;
        } else {
            heap.emplace(next[i], k);
        }
        if (heap.size() > 4 * capacity + 1024) {  // compact the stale entries away
            std::priority_queue<std::pair<std::size_t, std::uint32_t>> fresh;
            while (!heap.empty()) {
                const auto [t, key] = heap.top();
                heap.pop();
                if (cached[key] && cached_next[key] == t) fresh.emplace(t, key);
            }
            heap.swap(fresh);
        }
    }
    return hits;
}

}  // namespace agentkit::cache
