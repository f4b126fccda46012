#pragma once
// Capacity policies: what max_size counts. max_entries counts entries (every entry weighs 1, nothing is
// stored per entry); max_bytes<SizeFn> weighs each entry with SizeFn(key, value) and also enforces
// max_entry_size (an oversized value is skipped and counted, like the workflow seed's max_file_size).
#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace agentkit::cache {

// Approximate heap + inline bytes of common key and value types; specialise by passing your own SizeFn.
struct byte_size {
    template <class T>
    static std::size_t of(const T& v) noexcept {
        if constexpr (std::is_convertible_v<const T&, std::string_view>) {
            return sizeof(T) + std::string_view(v).size();
        } else if constexpr (requires {
                                 v.size();
                                 typename T::value_type;
                             } &&
                             std::is_trivially_copyable_v<typename T::value_type>) {
            return sizeof(T) + v.size() * sizeof(typename T::value_type);
        } else {
            return sizeof(T);
        }
    }
    template <class K, class V>
    std::size_t operator()(const K& key, const V& value) const noexcept {
        return of(key) + of(value);
    }
};

struct max_entries {
    static constexpr bool weighted = false;
    // Nothing stored per entry: every entry weighs one.
    struct entry_weight {
        static constexpr std::size_t get() noexcept { return 1; }
        static constexpr void set(std::size_t) noexcept {}
    };
    template <class K, class V>
    static constexpr std::size_t weigh(const K&, const V&) noexcept {
        return 1;
    }
};

template <class SizeFn = byte_size>
struct max_bytes {
    static constexpr bool weighted = true;
    struct entry_weight {
        std::size_t w = 0;
        std::size_t get() const noexcept { return w; }
        void set(std::size_t v) noexcept { w = v; }
    };
    template <class K, class V>
    static std::size_t weigh(const K& key, const V& value) {
        static_assert(
            std::is_invocable_r_v<std::size_t, SizeFn, const K&, const V&>,
            "agentkit::cache::max_bytes<SizeFn>: SizeFn must be callable as size_t(const Key&, const Value&)");
        return SizeFn{}(key, value);
    }
};

template <class C>
concept capacity_policy = requires {
    C::weighted;
    typename C::entry_weight;
};

}  // namespace agentkit::cache
