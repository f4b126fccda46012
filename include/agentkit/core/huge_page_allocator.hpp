#pragma once
// An allocator for big arrays read at random (the caches' nodes, index and sketch, the BPE rank table and piece
// memo): blocks of 2 MiB or more are 2 MiB aligned and advised as transparent huge pages (Linux, THP in
// "madvise" mode, the Debian default), so a random lookup costs one TLB entry per 2 MiB instead of per
// 4 KiB; in a VM a page walk is two-dimensional and costly. Smaller blocks come from plain operator new.
// Stateless, always equal.
#include <cstddef>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace agentkit {

template <class T>
struct huge_page_allocator {
    using value_type = T;
    static constexpr std::size_t huge = std::size_t{2} << 20;

    huge_page_allocator() = default;
    template <class U>
    constexpr huge_page_allocator(const huge_page_allocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge) return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
        const std::size_t rounded = (bytes + huge - 1) / huge * huge;
        void* p = ::operator new (rounded, std::align_val_t{huge});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP this is a no-op
#endif
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge)
            ::operator delete (p, std::align_val_t{alignof(T)});
        else
            ::operator delete (p, std::align_val_t{huge});
    }
    template <class U>
    friend constexpr bool operator==(const huge_page_allocator&, const huge_page_allocator<U>&) noexcept {
        return true;
    }
};

}  // namespace agentkit
