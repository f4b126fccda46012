#pragma once
// Concurrency policies. single_thread: no lock, no atomic — the fastest, for a cache owned by one thread.
// mutex: one lock around the whole cache. sharded<N>: N independent shards, each with its own lock and
// max_size / N of the capacity, chosen by the key hash, so threads on different keys rarely meet.
// The lock is core/adaptive_mutex.hpp (an inline compare-exchange, a short spin, then a futex wait): a
// cache's critical sections are tens of nanoseconds, shorter than std::mutex's trip through the kernel.
#include <agentkit/core/adaptive_mutex.hpp>

#include <cstddef>

namespace agentkit::cache {

struct single_thread {
    static constexpr std::size_t shards = 1;
    static constexpr bool thread_safe = false;
    struct lock_type {
        void lock() noexcept {}
        void unlock() noexcept {}
    };
};

struct mutex {
    static constexpr std::size_t shards = 1;
    static constexpr bool thread_safe = true;
    using lock_type = adaptive_mutex;
};

template <std::size_t N>
struct sharded {
    static_assert(N >= 1 && (N & (N - 1)) == 0, "agentkit::cache::sharded<N>: N must be a power of two");
    static constexpr std::size_t shards = N;
    static constexpr bool thread_safe = true;
    using lock_type = adaptive_mutex;
};

template <class C>
concept concurrency_policy = requires { C::shards; C::thread_safe; typename C::lock_type; };

}  // namespace agentkit::cache
