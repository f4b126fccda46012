#pragma once
// Thread-safety policies of the resilience layer, which are core/sync.hpp's:
//   no_mutex (= null_mutex) / spin_mutex / std::mutex   for the types with a Mutex parameter (breaker, per-key limiter)
//   single_thread / concurrent                          for the global rate limiter (plain word vs one std::atomic word)
#include <agentkit/core/sync.hpp>

namespace agentkit::resilience {

using no_mutex = agentkit::null_mutex;
using agentkit::concurrent;
using agentkit::single_thread;
using agentkit::spin_mutex;

}  // namespace agentkit::resilience
