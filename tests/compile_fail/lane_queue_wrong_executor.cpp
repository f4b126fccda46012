// expect: Executor needs submit
#include <agentkit/runtime/lane_queue.hpp>
#include <agentkit/runtime/thread_pool.hpp>

struct not_an_executor {
    void run(int) {}
};

int main() {
    agentkit::runtime::thread_pool pool(1);
    agentkit::runtime::lane_queue<agentkit::runtime::thread_pool> ok(pool);
#ifdef AGENTKIT_COMPILE_FAIL
    not_an_executor ex;
    agentkit::runtime::lane_queue<not_an_executor> bad(ex);
#endif
}
