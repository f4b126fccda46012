// expect: the value given with use_model\(\.\.\.\) cannot make the model slot's policy
#include <agentkit/agent/agent.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <string>

using namespace agentkit;
using my_agent = agent<with_model<model::scripted_provider>>;
my_agent ok{use_model(model::scripted_provider{})};

#ifdef AGENTKIT_COMPILE_FAIL
my_agent bad{use_model(std::string("gpt-4o"))};
#endif
int main() {}
