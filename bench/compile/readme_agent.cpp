// Compile-time benchmark TU: the agent of README.md ("Assembling an agent"), verbatim: a scripted model, a
// token counter, a retry policy, summary-buffer compaction and in-memory storage, configured by value.
// Kept as README.md shows it (one slot per line, comments aligned); tests/docs compares the two.
// clang-format off
#include <agentkit/agentkit.hpp>
#include <agentkit/memory/summary_buffer.hpp>
#include <agentkit/model/scripted_provider.hpp>
#include <agentkit/resilience/backoff.hpp>
#include <agentkit/storage/memory_backend.hpp>
#include <cstdio>

namespace ak = agentkit;
using summarising = ak::memory::summary_buffer<ak::text::chars_per_token<4>, ak::memory::callable_summarizer>;

using my_agent = ak::agent<                 // slots in any order; unnamed slots take documented defaults
    ak::with_model<ak::model::scripted_provider>,  // a test double; model::router or an HTTP provider for real
    ak::with_tokens<ak::text::chars_per_token<4>>,
    ak::with_retry<ak::resilience::exponential_backoff<ak::resilience::full_jitter>>,
    ak::with_compaction<summarising>,
    ak::with_storage<ak::storage::memory>,
    ak::with_cache<ak::none>>;              // `none` compiles away: no member, no branch

int main() {
    using step = ak::model::scripted_provider::step;
    my_agent agent{ak::use_model(ak::model::scripted_provider{step::reply("6 times 7 is 42.")}),
                   ak::use_compaction(ak::memory::compaction_config{.threshold_pct = 60}),
                   ak::use_retry(ak::resilience::retry_config{.max_attempts = 4}),
                   ak::use_config({.context_window = 32000, .session = "alice"})};
    const ak::turn_result turn = agent.run("What is 6 times 7?");   // co_await agent.async_run(...) on Asio
    std::printf("%s (%u model call, %zu messages stored)\n", turn.reply.c_str(), turn.iterations,
                agent.storage().last("alice", 100).size());
}
