// expect: use_config\(\.\.\.\) is given more than once
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/scripted_provider.hpp>

using namespace agentkit;
using my_agent = agent<with_model<model::scripted_provider>>;
my_agent ok{use_model(model::scripted_provider{}), use_config({.session = "a"})};

#ifdef AGENTKIT_COMPILE_FAIL
my_agent bad{use_model(model::scripted_provider{}), use_config({.session = "a"}), use_config({.session = "b"})};
#endif
int main() {}
