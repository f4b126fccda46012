// Smallest real use of an installed agentkit: assemble an agent, hold a conversation, count tokens; read tool
// arguments (a compiled part of agentkit::agentkit when the package was built with
// AGENTKIT_SEPARATE_COMPILATION), and with the components asked for, open SQLite storage and an HTTP transport
// (the compiled parts of agentkit::sqlite and agentkit::http), so the package's libraries, when it has any,
// are linked and called.
#include <agentkit/agentkit.hpp>
#include <agentkit/tools/arguments.hpp>
#if defined(AGENTKIT_DEFAULT_DATA_DIR)  // the package was installed with its rank files
#include <agentkit/text/bpe_encoding.hpp>
#endif
#if defined(AGENTKIT_HAS_SQLITE)
#include <agentkit/storage/sqlite_backend.hpp>
#endif
#if defined(AGENTKIT_HAS_HTTP)
#include <agentkit/transport/http.hpp>
#endif

#include <cstdio>

int main() {
    agentkit::agent<agentkit::with_tokens<agentkit::text::chars_per_token<4>>> agent;
    agent.history().append(agentkit::message::user("Hello from the agentkit test package"));
    const auto tokens = agent.history_tokens();
    std::printf("agentkit %s test_package: %zu message(s), %zu estimated token(s)\n", AGENTKIT_VERSION_STRING,
                agent.history().size(), tokens);
    if (tokens != 9) return 1;
    if (agentkit::tools::arguments(R"({"n":9})").integer("n") != 9) return 2;
#if defined(AGENTKIT_DEFAULT_DATA_DIR)
    const auto exact = agentkit::text::count_tokens<agentkit::text::cl100k>("hello world");
    std::printf("exact cl100k_base count: %zu (rank files from the installed package)\n", exact);
    if (exact != 2) return 5;
#endif
#if defined(AGENTKIT_HAS_SQLITE)
    agentkit::storage::sqlite store;  // ":memory:"
    store.create_session("s");
    store.append("s", agentkit::message::user("stored"));
    if (store.last("s", 10).size() != 1) return 3;
    std::printf("sqlite: 1 message stored and read back\n");
#endif
#if defined(AGENTKIT_HAS_HTTP)
    const agentkit::transport::http client;
    if (client.configuration().max_connections_per_host != 10) return 4;
    std::printf("http: transport ready\n");
#endif
    return 0;
}
