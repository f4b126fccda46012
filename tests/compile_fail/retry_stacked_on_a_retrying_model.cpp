// expect: with_retry<P>: the model slot's policy retries by itself
// A model that retries by itself (model::router) and an agent-level retry would multiply the attempts.
#include <agentkit/agent/agent.hpp>
#include <agentkit/resilience/backoff.hpp>

struct retrying_model {
    static constexpr bool retries_itself = true;
    agentkit::model::chat_response complete(const agentkit::model::chat_request&) { return {}; }
};
using ok = agentkit::agent<agentkit::with_model<retrying_model>>;
static_assert(sizeof(ok) > 0);

#ifdef AGENTKIT_COMPILE_FAIL
agentkit::agent<agentkit::with_model<retrying_model>,
                agentkit::with_retry<agentkit::resilience::exponential_backoff<agentkit::resilience::full_jitter>>>
    bad;
#endif
int main() {}
