// agentkit-gateway [--config FILE] [--port N] [--bind ADDRESS] [--threads N]
// An OpenAI-compatible gateway (gateway.hpp). --config reads a deployment file, YAML (.yaml/.yml) or JSON, with
// the tuning guides' key names (docs/gateway.md); its `http_server` block sets the server, and the flags
// override the file. Without a configured upstream it serves from the bundled
// SIMULATED upstream (simulated_upstream.hpp), and says so at start. With AGENTKIT_BASE_URL set it forwards
// to that OpenAI-compatible endpoint (AGENTKIT_API_KEY, AGENTKIT_MODEL), through transport::http.
// SIGTERM or SIGINT: drain (requests in flight finish, new connections are refused), then exit 0.
// Exit status: 0 after a drain; 1 when it cannot serve (the port is taken, ...); 2 for a wrong command line or
// a configuration file with an unknown key or a bad value (the message names the key path).
#include "gateway.hpp"
#include "simulated_upstream.hpp"

#include <agentkit/config/load.hpp>
#include <agentkit/config/yaml.hpp>
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/http.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {
int usage(std::FILE* out, int status) {
    std::fputs(
        "usage: agentkit-gateway [--config FILE] [--port N] [--bind ADDRESS] [--threads N]\n"
        "  --config FILE    deployment file, YAML (.yaml, .yml) or JSON (docs/gateway.md); the flags below\n"
        "                   override it\n"
        "  --port N         TCP port (default 8080; 0: any free port, printed at start)\n"
        "  --bind ADDRESS   address to listen on (default 127.0.0.1)\n"
        "  --threads N      worker threads (default 2; http_server.worker_threads in the file)\n"
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
    std::string config_file;
    std::optional<std::uint16_t> port;
    std::optional<std::string> bind;
    std::optional<unsigned long> thread_flag;
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
        if (a == "--config") {
            config_file = std::string(value());
        } else if (a == "--port") {
            if (!number(value(), 65535, n)) return usage(stderr, 2);
            port = static_cast<std::uint16_t>(n);
        } else if (a == "--bind") {
            bind = std::string(value());
        } else if (a == "--threads") {
            if (!number(value(), 256, n) || n == 0) return usage(stderr, 2);
            thread_flag = n;
        } else {
            std::fprintf(stderr, "agentkit-gateway: unknown option '%s'\n", argv[i]);
            return usage(stderr, 2);
        }
    }
    if (!config_file.empty()) {
        try {
            namespace config = agentkit::config;
            const auto d = config::is_yaml_path(config_file) ? config::load_yaml_deployment_file(config_file)
                                                             : config::load_deployment_file(config_file);
            cfg.server = d.server;
            threads = d.worker_threads != 0 ? d.worker_threads : std::max(1u, std::thread::hardware_concurrency());
        } catch (const agentkit::error& e) {
            std::fprintf(stderr, "agentkit-gateway: %s\n", e.what());
            return 2;
        }
    }
    if (port) cfg.server.port = *port;
    if (bind) cfg.server.bind_address = *bind;
    if (thread_flag) threads = *thread_flag;
    try {
        boost::asio::io_context io(static_cast<int>(threads));
        agentkit::model::any_provider upstream;
        const char* base_url = std::getenv("AGENTKIT_BASE_URL");
        if (base_url != nullptr && *base_url != '\0') {
            using openai = agentkit::model::openai_provider<agentkit::transport::http>;
            const auto pc = openai::config::from_env();
            if (!pc)
                throw agentkit::error(agentkit::errc::invalid_argument, "AGENTKIT_BASE_URL is set but unusable",
                                      "AGENTKIT_BASE_URL");
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
            boost::asio::co_spawn(
                io,
                [&]() -> boost::asio::awaitable<void> {
                    co_await gateway.drain();
                    io.stop();
                },
                boost::asio::detached);
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
