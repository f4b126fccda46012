#pragma once
// Concurrency policies. single_thread: no lock, no atomic — the fastest, for a cache owned by one thread.
// mutex (= agentkit::concurrent): one lock around the whole cache. sharded<N>: N independent shards, each
// with its own lock and max_size / N of the capacity, chosen by the key hash, so threads on different keys
// rarely meet. The tags and locks are core/sync.hpp's; the lock is adaptive_mutex (an inline
// compare-exchange, a short spin, then a futex wait): a cache's critical sections are tens of nanoseconds,
// shorter than std::mutex's trip through the kernel.
#include <agentkit/core/sync.hpp>

#include <cstddef>

namespace agentkit::cache {

using agentkit::single_thread;
using mutex = agentkit::concurrent;

template <std::size_t N>
struct sharded {
    static_assert(N >= 1 && (N & (N - 1)) == 0, "agentkit::cache::sharded<N>: N must be a power of two");
    static constexpr std::size_t shards = N;
    static constexpr bool thread_safe = true;
    using lock_type = adaptive_mutex;
};

// A sync policy (core/sync.hpp), optionally with `shards` (a power of two; 1 when absent).
template <class C>
concept concurrency_policy = sync_policy<C>;

template <class C>
inline constexpr std::size_t shard_count_of = [] {
    if constexpr (requires { C::shards; })
        return std::size_t{C::shards};
    else
        return std::size_t{1};
}();

}  // namespace agentkit::cache
