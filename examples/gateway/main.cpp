// agentkit-gateway [--port N] [--bind ADDRESS] [--threads N]
// An OpenAI-compatible gateway (gateway.hpp). Without a configured upstream it serves from the bundled
// SIMULATED upstream (simulated_upstream.hpp), and says so at start. With AGENTKIT_BASE_URL set it forwards
// to that OpenAI-compatible endpoint (AGENTKIT_API_KEY, AGENTKIT_MODEL), through transport::http.
// SIGTERM or SIGINT: drain (requests in flight finish, new connections are refused), then exit 0.
// Exit status: 0 after a drain; 1 when it cannot serve (the port is taken, ...); 2 for a wrong command line.
#include "gateway.hpp"
#include "simulated_upstream.hpp"

#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {
int usage(std::FILE* out, int status) {
    std::fputs("usage: agentkit-gateway [--port N] [--bind ADDRESS] [--threads N]\n"
               "  --port N         TCP port (default 8080; 0: any free port, printed at start)\n"
               "  --bind ADDRESS   address to listen on (default 127.0.0.1)\n"
               "  --threads N      worker threads (default 2)\n"
               "Upstream: AGENTKIT_BASE_URL (+ AGENTKIT_API_KEY, AGENTKIT_MODEL) names an OpenAI-compatible\n"
               "endpoint; without it the gateway serves from its simulated upstream.\n",
               out);
    return status;
}

bool number(std::string_view text, unsigned long max, unsigned long& out) {
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && r.ec == std::errc{} && r.ptr == text.data() + text.size() && out <= max;
}
}  // namespace

int main(int argc, char** argv) {
    namespace gw = agentkit_gateway;
    gw::gateway_config cfg;
    unsigned long threads = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "agentkit-gateway: %s needs a value\n", argv[i]);
                std::exit(usage(stderr, 2));
            }
            return argv[++i];
        };
        unsigned long n = 0;
        if (a == "-h" || a == "--help") return usage(stdout, 0);
        if (a == "--port") {
            if (!number(value(), 65535, n)) return usage(stderr, 2);
            cfg.server.port = static_cast<std::uint16_t>(n);
        } else if (a == "--bind") {
            cfg.server.bind_address = std::string(value());
        } else if (a == "--threads") {
            if (!number(value(), 256, n) || n == 0) return usage(stderr, 2);
            threads = n;
        } else {
            std::fprintf(stderr, "agentkit-gateway: unknown option '%s'\n", argv[i]);
            return usage(stderr, 2);
        }
    }
    try {
        boost::asio::io_context io(static_cast<int>(threads));
        agentkit::model::any_provider upstream;
        const char* base_url = std::getenv("AGENTKIT_BASE_URL");
        if (base_url != nullptr && *base_url != '\0') {
            using openai = agentkit::model::openai_provider<agentkit::transport::http>;
            const auto pc = openai::config::from_env();
            if (!pc) throw agentkit::error(agentkit::errc::invalid_argument, "AGENTKIT_BASE_URL is set but unusable", "AGENTKIT_BASE_URL");
            upstream = openai(*pc, agentkit::transport::http(io.get_executor()));
            cfg.upstream_name = base_url;
            cfg.models = {pc->model};
        } else {
            upstream = gw::simulated_upstream{};
        }
        gw::gateway gateway(io.get_executor(), cfg, std::move(upstream));
        gateway.start();
        std::printf("agentkit-gateway: listening on http://%s:%u (upstream: %s%s)\n", cfg.server.bind_address.c_str(),
                    static_cast<unsigned>(gateway.port()), cfg.upstream_name.c_str(),
                    cfg.upstream_name == "simulated" ? ", answers are not from a model" : "");
        std::fflush(stdout);
        boost::asio::signal_set signals(io, SIGTERM, SIGINT);
        signals.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> {
                co_await gateway.drain();
                io.stop();
            }, boost::asio::detached);
        });
        std::vector<std::thread> workers;
        for (unsigned long t = 1; t < threads; ++t) workers.emplace_back([&io] { io.run(); });
        io.run();
        for (auto& w : workers) w.join();
        std::printf("agentkit-gateway: drained, exiting\n");
        return 0;
    } catch (const agentkit::error& e) {
        std::fprintf(stderr, "agentkit-gateway: %s\n", e.what());
        return 1;
    }
}
