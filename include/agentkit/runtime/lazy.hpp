#pragma once
// lazy<T>: a component built on first use from a factory, once, thread-safely (std::call_once). Agents use it
// so that parts a conversation never touches (a provider's connection pool, a tool registry loaded from
// disk) cost nothing at start-up.
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

namespace agentkit::runtime {

template <class T>
class lazy {
public:
    lazy() : factory_([] { return T{}; }) {}
    explicit lazy(std::function<T()> factory) : factory_(std::move(factory)) {}
    lazy(const lazy&) = delete;
    lazy& operator=(const lazy&) = delete;

    T& get() {
        std::call_once(once_, [this] { value_.emplace(factory_()); });
        return *value_;
    }
    T& operator*() { return get(); }
    T* operator->() { return &get(); }
    // Whether get() has run; a test or a metric can check that a component stayed cold.
    bool initialized() const noexcept { return value_.has_value(); }

private:
    std::function<T()> factory_;
    std::once_flag once_;
    std::optional<T> value_;
};

}  // namespace agentkit::runtime
