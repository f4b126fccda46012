#pragma once
// Counting replacements of the global operator new/delete, for benchmarks that report allocations per
// operation or bytes per entry. Include it in exactly ONE translation unit of a benchmark executable (each
// bench/micro/<name>.cpp is its own executable): it defines the replaceable global allocation functions.
//
//   agentkit_bench::allocs_per_op counter{state};   // reports "allocs/op" when the benchmark ends
//   const auto before = agentkit_bench::allocated_bytes.load();
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace agentkit_bench {

inline std::atomic<std::uint64_t> allocation_count{0};
inline std::atomic<std::uint64_t> allocated_bytes{0};

// Sets the benchmark's "allocs/op" counter to the allocations made during its lifetime per iteration.
struct allocs_per_op {
    benchmark::State& state;
    std::uint64_t start = allocation_count.load();
    ~allocs_per_op() {
        state.counters["allocs/op"] = benchmark::Counter(static_cast<double>(allocation_count.load() - start) /
                                                         static_cast<double>(state.iterations()));
    }
};

inline void count_allocation(std::size_t n) noexcept {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    allocated_bytes.fetch_add(n, std::memory_order_relaxed);
}

}  // namespace agentkit_bench

// malloc/free underneath, which GCC's -Wmismatched-new-delete cannot see through.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
    agentkit_bench::count_allocation(n);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
    agentkit_bench::count_allocation(n);
    const auto al = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
