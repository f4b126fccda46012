#pragma once
// Thread-safety policies of the resilience layer. A policy object owned by one strand or thread pays for
// no synchronisation; one shared across threads says so in its type.
//   no_mutex / std::mutex      for the types with a Mutex parameter (breaker, per-key limiter)
//   single_thread / concurrent for the global rate limiter (plain word vs one std::atomic word)
namespace agentkit::resilience {

struct no_mutex {
    void lock() noexcept {}
    void unlock() noexcept {}
};

struct single_thread {};
struct concurrent {};

}  // namespace agentkit::resilience
