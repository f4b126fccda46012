#pragma once
// Second-level stores for tiered<L1, L2>: the concept, and memory_store (an unbounded, mutex-guarded
// hash map: an L2 shared by several L1s in one process, or a stand-in for a remote store in tests).
// The persistent store is sqlite_store (sqlite_store.hpp, needs agentkit::sqlite).
#include <agentkit/cache/glob.hpp>

#include <concepts>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace agentkit::cache {

template <class S, class K, class V>
concept store = requires(S& s, const K& k, const V& v) {
    { s.get(k) } -> std::same_as<std::optional<V>>;
    s.put(k, v);
    { s.erase(k) } -> std::convertible_to<bool>;
    s.clear();
};

template <class K, class V, class Hash = std::hash<K>>
class memory_store {
public:
    std::optional<V> get(const K& k) const {
        std::lock_guard lock(m_);
        const auto it = map_.find(k);
        if (it == map_.end()) return std::nullopt;
        return it->second;
    }
    void put(const K& k, const V& v) {
        std::lock_guard lock(m_);
        map_.insert_or_assign(k, v);
    }
    bool erase(const K& k) {
        std::lock_guard lock(m_);
        return map_.erase(k) > 0;
    }
    std::size_t erase_matching(std::string_view pattern) requires std::convertible_to<const K&, std::string_view> {
        std::lock_guard lock(m_);
        return std::erase_if(map_, [&](const auto& kv) { return glob_match(pattern, std::string_view(kv.first)); });
    }
    void clear() {
        std::lock_guard lock(m_);
        map_.clear();
    }
    std::size_t size() const {
        std::lock_guard lock(m_);
        return map_.size();
    }

private:
    mutable std::mutex m_;
    std::unordered_map<K, V, Hash> map_;
};

}  // namespace agentkit::cache
