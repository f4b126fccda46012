// expect: use_storage\(\.\.\.\) is given, but this agent type binds no policy to the storage slot
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/storage/memory_backend.hpp>

using namespace agentkit;
using my_agent = agent<with_model<model::scripted_provider>>;
my_agent ok{use_model(model::scripted_provider{})};

#ifdef AGENTKIT_COMPILE_FAIL
my_agent bad{use_model(model::scripted_provider{}), use_storage(storage::memory_config{})};
#endif
int main() {}
