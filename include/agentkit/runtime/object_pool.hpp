#pragma once
// object_pool<T>: reuses expensive objects (agents with warm connection pools, parsers with grown buffers).
// acquire() hands out an idle object or builds a new one; the handle gives it back on destruction after
// `reset` has cleared it, keeping at most max_idle idle objects. Thread-safe.
#include <agentkit/core/error.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace agentkit::runtime {

template <class T>
class object_pool {
public:
    struct config {
        std::size_t max_idle = 8;
    };
    struct stats {
        std::size_t created = 0;
        std::size_t reused = 0;
        std::size_t idle = 0;
    };

    class handle {
    public:
        handle() = default;
        handle(handle&&) noexcept = default;
        handle& operator=(handle&& o) noexcept {
            release();
            pool_ = std::exchange(o.pool_, nullptr);
            object_ = std::move(o.object_);
            return *this;
        }
        ~handle() { release(); }
        T& operator*() const noexcept { return *object_; }
        T* operator->() const noexcept { return object_.get(); }
        explicit operator bool() const noexcept { return static_cast<bool>(object_); }

    private:
        friend class object_pool;
        handle(object_pool* p, std::unique_ptr<T> o) : pool_(p), object_(std::move(o)) {}
        void release() {
            if (pool_ && object_) pool_->give_back(std::move(object_));
            pool_ = nullptr;
        }
        object_pool* pool_ = nullptr;
        std::unique_ptr<T> object_;
    };

    explicit object_pool(std::function<std::unique_ptr<T>()> factory, std::function<void(T&)> reset = {},
                         config cfg = {})
        : factory_(std::move(factory)), reset_(std::move(reset)), cfg_(cfg) {
        if (!factory_) throw_invalid_field("factory", "is empty");
    }

    handle acquire() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                auto o = std::move(idle_.back());
                idle_.pop_back();
                ++stats_.reused;
                return {this, std::move(o)};
            }
            ++stats_.created;
        }
        return {this, factory_()};
    }

    stats statistics() const {
        std::lock_guard lock(mutex_);
        stats s = stats_;
        s.idle = idle_.size();
        return s;
    }

private:
    void give_back(std::unique_ptr<T> o) {
        if (reset_) reset_(*o);
        std::lock_guard lock(mutex_);
        if (idle_.size() < cfg_.max_idle) idle_.push_back(std::move(o));
    }

    std::function<std::unique_ptr<T>()> factory_;
    std::function<void(T&)> reset_;
    config cfg_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<T>> idle_;
    stats stats_;
};

}  // namespace agentkit::runtime
