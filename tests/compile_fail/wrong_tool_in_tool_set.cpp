// expect: tool_set<Tools...>: every element must model agentkit::tools::tool
#include <agentkit/tools/tool_set.hpp>
#include <string>

int main() {
#ifdef AGENTKIT_COMPILE_FAIL
    struct nameless {
        std::string invoke(std::string_view) { return {}; }
    };
    agentkit::tools::tool_set<nameless> bad{nameless{}};
    (void)bad;
#endif
}
