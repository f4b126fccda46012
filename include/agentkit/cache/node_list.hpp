#pragma once
// The doubly linked queues the eviction policies keep, threaded through the cache's node array by 32-bit
// indices (no pointers, no allocation, 8 bytes per entry). head = oldest end (evicted first), tail = newest.
#include <cstddef>
#include <cstdint>

namespace agentkit::cache::detail {

inline constexpr std::uint32_t nil = 0xffffffffu;

struct node_list {
    std::uint32_t head = nil;
    std::uint32_t tail = nil;
    std::size_t count = 0;
    std::size_t weight = 0;

    bool empty() const noexcept { return head == nil; }

    template <class Nodes>
    void push_back(Nodes& ns, std::uint32_t i, std::size_t w) noexcept {
        auto& n = ns[i];
        n.prev = tail;
        n.next = nil;
        if (tail != nil)
            ns[tail].next = i;
        else
            head = i;
        tail = i;
        ++count;
        weight += w;
    }
    template <class Nodes>
    void unlink(Nodes& ns, std::uint32_t i, std::size_t w) noexcept {
        auto& n = ns[i];
        if (n.prev != nil)
            ns[n.prev].next = n.next;
        else
            head = n.next;
        if (n.next != nil)
            ns[n.next].prev = n.prev;
        else
            tail = n.prev;
        n.prev = n.next = nil;
        --count;
        weight -= w;
    }
    template <class Nodes>
    void move_to_back(Nodes& ns, std::uint32_t i) noexcept {
        if (tail == i) return;  // already the newest: the common case for hot keys costs one compare
        auto& n = ns[i];
        if (n.prev != nil)
            ns[n.prev].next = n.next;
        else
            head = n.next;
        ns[n.next].prev = n.prev;  // n is not the tail, so it has a next
        n.prev = tail;
        n.next = nil;
        ns[tail].next = i;
        tail = i;
    }
};

}  // namespace agentkit::cache::detail
