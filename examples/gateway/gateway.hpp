#pragma once
// agentkit-gateway: an OpenAI-compatible gateway in front of a model upstream, assembled from the toolkit
// (transport::http_server, the OpenAI wire's server side, any_provider, the metric registry).
//
//   POST /v1/chat/completions   OpenAI's API: stream and non-stream; stream_options.include_usage; tool calls
//   POST /v1/messages           Anthropic's Messages API: stream and non-stream; tool use
//   GET  /v1/models             the models the gateway serves
//   GET  /health                200 {"status":"ok",...} while serving, 503 while draining
//   GET  /metrics               Prometheus text
// Every answer carries x-agentkit-overhead-us: the microseconds spent in the gateway, the upstream's time
// taken out (for a stream, up to its first byte).
//
// Streams keep their promises to clients: the status line goes out with the first delta, so an upstream that
// fails before it is answered with an error status and a JSON error; one that fails after it ends the stream
// with an in-band error event and no "data: [DONE]" (message_stop on /v1/messages). A client that leaves
// cancels the upstream call.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/json/writer.hpp>
#include <agentkit/model/anthropic_wire.hpp>
#include <agentkit/model/any_provider.hpp>
#include <agentkit/model/openai_wire.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/observe/metric_registry.hpp>
#include <agentkit/observe/prometheus_text.hpp>
#include <agentkit/transport/http_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit_gateway {
namespace net = boost::asio;
namespace model = agentkit::model;
namespace transport = agentkit::transport;
namespace observe = agentkit::observe;
using clock = std::chrono::steady_clock;

struct gateway_config {
    transport::http_server::config server;
    std::vector<std::string> models{"agentkit-sim"};  // GET /v1/models; the first is the default model
    std::string upstream_name = "simulated";          // shown by /health
    model::openai::request_limits request_limits;
};

class gateway {
public:
    gateway(net::any_io_executor ex, gateway_config cfg, model::any_provider upstream)
        : cfg_(std::move(cfg)),
          upstream_(std::move(upstream)),
          requests_(registry_.add_counter("agentkit_gateway_requests_total", "Requests answered, by route and status",
                                          {"route", "status"})),
          duration_(registry_.add_histogram("agentkit_gateway_request_duration_seconds",
                                            "Time from a request's arrival to its last byte, upstream included",
                                            {"route"})),
          overhead_(registry_.add_histogram("agentkit_gateway_overhead_seconds",
                                            "Time spent in the gateway itself (the upstream's time taken out)",
                                            {"route"}, overhead_buckets())),
          first_token_(registry_.add_histogram("agentkit_gateway_time_to_first_token_seconds",
                                               "Time from a streamed request's arrival to its first content byte")),
          tokens_(registry_.add_counter("agentkit_gateway_tokens_total", "Tokens in prompts and completions",
                                        {"direction"})),
          upstream_errors_(registry_.add_counter("agentkit_gateway_upstream_errors_total",
                                                 "Upstream calls that failed, by when", {"when"})),
          connections_(registry_.add_gauge("agentkit_gateway_active_connections", "Open client connections")),
          server_(std::move(ex), cfg_.server,
                  [this](transport::server_request& rq, transport::server_response& rs) { return handle(rq, rs); }) {
        if (!upstream_) throw agentkit::error(agentkit::errc::invalid_argument, "no upstream", "gateway.upstream");
    }

    void start() { server_.start(); }
    net::awaitable<void> drain() {
        draining_ = true;
        co_await server_.drain();
    }
    void stop() { server_.stop(); }
    std::uint16_t port() const noexcept { return server_.port(); }
    observe::metric_registry& metrics() noexcept { return registry_; }
    transport::http_server::stats server_stats() const noexcept { return server_.statistics(); }

private:
    static observe::histogram_options overhead_buckets() {
        observe::histogram_options o;
        o.buckets = {10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 50e-3};
        return o;
    }
    static double seconds(clock::duration d) { return std::chrono::duration<double>(d).count(); }
    static std::string micros(clock::duration d) {
        return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
    }

    std::string next_id() {
        static constexpr char hex[] = "0123456789abcdef";
        std::uint64_t n = ids_.fetch_add(1, std::memory_order_relaxed) + 1;
        std::string id = "chatcmpl-agentkit-";
        char digits[16];
        for (int i = 15; i >= 0; --i, n >>= 4) digits[i] = hex[n & 15];
        id.append(digits, 16);
        return id;
    }
    static std::int64_t now_unix() {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    void count(std::string_view route, int status, clock::time_point start) {
        requests_.with({route, std::to_string(status)}).increment();
        duration_.with({route}).record(clock::now() - start);
    }

    net::awaitable<void> send_json(transport::server_response& rs, std::string_view route, int status, std::string body,
                                   clock::time_point start, clock::duration upstream = {}) {
        transport::header_list headers;
        headers.emplace_back("content-type", "application/json");
        const auto overhead = clock::now() - start - upstream;
        headers.emplace_back("x-agentkit-overhead-us", micros(overhead));
        overhead_.with({route}).record(overhead);
        co_await rs.send(status, std::move(headers), std::move(body));
        count(route, status, start);
    }

    // An upstream failure as the client sees it: the provider's status when it had one (429 stays 429 with
    // its Retry-After), 504 for a timeout, 502 otherwise.
    static int status_of(const std::exception_ptr& e, std::string& message, std::string& type) {
        try {
            std::rethrow_exception(e);
        } catch (const model::provider_error& pe) {
            message = pe.what();
            type = "upstream_error";
            if (pe.http_status() >= 400)
                return pe.http_status() == 429 ? 429 : pe.http_status() >= 500 ? 502 : pe.http_status();
            return pe.code() == agentkit::errc::timeout ? 504 : 502;
        } catch (const agentkit::error& ae) {
            message = ae.what();
            type = "upstream_error";
            return ae.code() == agentkit::errc::timeout ? 504 : 502;
        } catch (const std::exception& se) {
            message = se.what();
            type = "server_error";
            return 500;
        }
    }

    net::awaitable<void> handle(transport::server_request& rq, transport::server_response& rs) {
        const auto start = clock::now();
        connections_.get().set(static_cast<double>(server_.statistics().active_connections));
        const auto path = rq.path();
        if (path == "/v1/chat/completions" || path == "/v1/messages") {
            const std::string_view route = path == "/v1/messages" ? "messages" : "chat";
            if (rq.method != "POST") co_return co_await method_not_allowed(rs, route, start);
            co_return co_await chat(rq, rs, start, path == "/v1/messages" ? wire::anthropic : wire::openai);
        }
        if (path == "/v1/models") co_return co_await models(rs, start);
        if (path == "/health") co_return co_await health(rs, start);
        if (path == "/metrics") co_return co_await metrics_text(rs, start);
        co_await send_json(rs, "other", 404,
                           transport::json_error_body("no such route", "invalid_request_error", "", "not_found"),
                           start);
    }

    net::awaitable<void> method_not_allowed(transport::server_response& rs, std::string_view route,
                                            clock::time_point start) {
        co_await send_json(
            rs, route, 405,
            transport::json_error_body("method not allowed", "invalid_request_error", "", "method_not_allowed"), start);
    }

    net::awaitable<void> models(transport::server_response& rs, clock::time_point start) {
        agentkit::json::string_buffer sb;
        agentkit::json::writer w(sb);
        w.StartObject();
        w.Key("object");
        w.String("list");
        w.Key("data");
        w.StartArray();
        for (const auto& m : cfg_.models) {
            w.StartObject();
            w.Key("id");
            agentkit::json::write_string(w, m);
            w.Key("object");
            w.String("model");
            w.Key("created");
            w.Int64(0);
            w.Key("owned_by");
            w.String("agentkit");
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
        co_await send_json(rs, "models", 200, std::string(sb.GetString(), sb.GetSize()), start);
    }

    net::awaitable<void> health(transport::server_response& rs, clock::time_point start) {
        agentkit::json::string_buffer sb;
        agentkit::json::writer w(sb);
        w.StartObject();
        w.Key("status");
        w.String(draining_ ? "draining" : "ok");
        w.Key("upstream");
        agentkit::json::write_string(w, cfg_.upstream_name);
        w.Key("active_connections");
        w.Uint64(server_.statistics().active_connections);
        w.EndObject();
        co_await send_json(rs, "health", draining_ ? 503 : 200, std::string(sb.GetString(), sb.GetSize()), start);
    }

    net::awaitable<void> metrics_text(transport::server_response& rs, clock::time_point start) {
        transport::header_list headers;
        headers.emplace_back("content-type", std::string(observe::prometheus_content_type));
        co_await rs.send(200, std::move(headers), observe::to_prometheus_text(registry_));
        count("metrics", 200, start);
    }

    // Which API a request came in on: its answers, errors and stream events are that API's.
    enum class wire { openai, anthropic };

    // What a stream's upstream call hands the writer: events ready to send, and the end. Shared with the
    // wake-ups posted to the writer's strand, which may run after the stream has ended.
    struct stream_state : std::enable_shared_from_this<stream_state> {
        stream_state(net::any_io_executor ex, wire w, const model::openai::stream_ids& ids, std::string message_id)
            : api(w),
              openai_ids(ids),
              anthropic(std::move(message_id), std::string(ids.model)),
              wake(std::move(ex), clock::time_point::max()) {}
        const wire api;
        const model::openai::stream_ids openai_ids;
        std::mutex mu;  // guards everything below
        model::anthropic::stream_encoder anthropic;
        std::string pending;  // events not written yet
        bool done = false;
        std::exception_ptr failure;
        model::chat_response response;
        bool first = true;                // the next delta is the first
        clock::time_point first_delta{};  // when the upstream's first delta arrived
        net::steady_timer wake;           // the writer waits on it; cancelled when there is something new

        void notify() {
            net::post(wake.get_executor(), [self = shared_from_this()] { self->wake.cancel(); });
        }
        // Events for one delta (called with mu held).
        void add(const model::chat_delta& d) {
            if (api == wire::openai)
                pending.append("data: ")
                    .append(model::openai::encode_stream_delta(d, openai_ids, first))
                    .append("\n\n");
            else
                pending.append(anthropic.delta(d));
            if (first) first_delta = clock::now();
            first = false;
        }
        // The end of a complete stream (called with mu held, after the last delta).
        std::string tail(bool include_usage) {
            std::string out;
            if (api == wire::anthropic) return anthropic.finish(response.finish_reason, response.tokens);
            if (first)
                out.append("data: ").append(model::openai::encode_stream_delta({}, openai_ids, true)).append("\n\n");
            out.append("data: ")
                .append(model::openai::encode_stream_finish(response.finish_reason, openai_ids))
                .append("\n\n");
            if (include_usage)
                out.append("data: ")
                    .append(model::openai::encode_stream_usage(response.tokens, openai_ids))
                    .append("\n\n");
            out.append("data: [DONE]\n\n");
            return out;
        }
        // An in-band error: the stream ends without its API's end marker ([DONE] / message_stop).
        std::string error_event(std::string_view message, std::string_view type) const {
            if (api == wire::anthropic)
                return model::anthropic::stream_encoder::error_event(message,
                                                                     type == "server_error" ? "api_error" : type);
            return std::string("data: ")
                .append(transport::json_error_body(message, type, "", "upstream_failed"))
                .append("\n\n");
        }
    };

    net::awaitable<void> send_error(transport::server_response& rs, wire api, std::string_view route, int status,
                                    std::string_view message, std::string_view type, std::string_view param,
                                    clock::time_point start, clock::duration upstream = {}) {
        std::string body;
        if (api == wire::openai) {
            body = transport::json_error_body(message, type, param,
                                              type == "invalid_request_error" ? "invalid_request" : "upstream_failed");
        } else {  // Anthropic's shape: {"type":"error","error":{"type":...,"message":...}}
            agentkit::json::string_buffer sb;
            agentkit::json::writer w(sb);
            w.StartObject();
            w.Key("type");
            w.String("error");
            w.Key("error");
            w.StartObject();
            w.Key("type");
            agentkit::json::write_string(
                w, type == "upstream_error" || type == "server_error" ? std::string_view("api_error") : type);
            w.Key("message");
            agentkit::json::write_string(w, message);
            w.EndObject();
            w.EndObject();
            body.assign(sb.GetString(), sb.GetSize());
        }
        co_await send_json(rs, route, status, std::move(body), start, upstream);
    }

    net::awaitable<void> chat(transport::server_request& rq, transport::server_response& rs, clock::time_point start,
                              wire api) {
        const std::string_view route = api == wire::openai ? "chat" : "messages";
        model::chat_request request;
        bool stream = false, include_usage = false;
        int bad_status = 0;
        std::string bad_message, bad_field;
        try {
            if (api == wire::openai) {
                auto in = model::openai::decode_chat_request(rq.body, cfg_.request_limits);
                request = std::move(in.request);
                stream = in.stream;
                include_usage = in.include_usage;
            } else {
                auto in = model::anthropic::decode_request(rq.body, cfg_.request_limits);
                request = std::move(in.request);
                stream = in.stream;
            }
        } catch (const agentkit::error& e) {  // (no co_await inside a handler)
            bad_status = e.code() == agentkit::errc::capacity_exceeded ? 413 : 400;
            bad_message = e.what();
            bad_field = e.field();
        }
        if (bad_status != 0) {
            co_await send_error(rs, api, route, bad_status, bad_message, "invalid_request_error", bad_field, start);
            co_return;
        }
        if (request.model.empty() && !cfg_.models.empty()) request.model = cfg_.models.front();
        const std::string id = next_id();
        const std::int64_t created = now_unix();
        if (stream) {
            co_await stream_answer(request, rs, start, id, created, api, include_usage);
            co_return;
        }
        const auto upstream_start = clock::now();
        std::exception_ptr failure;
        model::chat_response r;
        try {
            r = co_await upstream_.async_complete(request);
        } catch (...) {
            failure = std::current_exception();
        }
        const auto upstream_time = clock::now() - upstream_start;
        if (failure) {
            upstream_errors_.with({"before_first_byte"}).increment();
            std::string message, type;
            const int status = status_of(failure, message, type);
            co_await send_error(rs, api, route, status, message, type, "", start, upstream_time);
            co_return;
        }
        tokens_.with({"in"}).increment(r.tokens.prompt_tokens);
        tokens_.with({"out"}).increment(r.tokens.completion_tokens);
        std::string body = api == wire::openai
            ? model::openai::encode_chat_response(r, id, created)
            : model::anthropic::encode_response(r, std::string("msg_").append(id.substr(id.rfind('-') + 1)));
        co_await send_json(rs, route, 200, std::move(body), start, upstream_time);
    }

    net::awaitable<void> stream_answer(const model::chat_request& request, transport::server_response& rs,
                                       clock::time_point start, const std::string& id, std::int64_t created, wire api,
                                       bool include_usage) {
        using namespace boost::asio::experimental::awaitable_operators;
        const model::openai::stream_ids ids{id, created, request.model};
        const auto state = std::make_shared<stream_state>(co_await net::this_coro::executor, api, ids,
                                                          std::string("msg_").append(id.substr(id.rfind('-') + 1)));
        const auto upstream_start = clock::now();
        const model::delta_callback on_delta = delta_sink{state.get()};
        co_await (call_upstream(request, on_delta, *state) &&
                  write_stream(*state, rs, start, upstream_start, include_usage));
    }

    // Turns each upstream delta into its API's events for the writer (runs wherever the provider delivers).
    struct delta_sink {
        stream_state* st;
        void operator()(const model::chat_delta& d) const {
            {
                const std::lock_guard lock(st->mu);
                st->add(d);
            }
            st->notify();
        }
    };

    net::awaitable<void> call_upstream(const model::chat_request& request, const model::delta_callback& on_delta,
                                       stream_state& st) {
        try {
            auto r = co_await upstream_.async_stream(request, on_delta);
            const std::lock_guard lock(st.mu);
            st.response = std::move(r);
        } catch (...) {
            const std::lock_guard lock(st.mu);
            st.failure = std::current_exception();
        }
        {
            const std::lock_guard lock(st.mu);
            st.done = true;
        }
        st.notify();
    }

    net::awaitable<void> start_stream(transport::server_response& rs, clock::duration overhead) {
        overhead_.with({"stream"}).record(overhead);
        transport::header_list headers;
        headers.emplace_back("content-type", "text/event-stream");
        headers.emplace_back("cache-control", "no-cache");
        headers.emplace_back("x-agentkit-overhead-us", micros(overhead));
        co_await rs.start(200, std::move(headers));
    }

    net::awaitable<void> write_stream(stream_state& st, transport::server_response& rs, clock::time_point start,
                                      clock::time_point upstream_start, bool include_usage) {
        const std::string_view route = st.api == wire::openai ? "chat_stream" : "messages_stream";
        for (;;) {
            std::string out;
            bool done = false;
            clock::time_point first_delta;
            {
                const std::lock_guard lock(st.mu);
                out.swap(st.pending);
                done = st.done;
                first_delta = st.first_delta;
            }
            if (!out.empty()) {
                if (!rs.started()) {
                    // The first byte: the status line goes out now, with the gateway's share of the time so far.
                    first_token_.get().record(clock::now() - start);
                    co_await start_stream(rs, clock::now() - start - (first_delta - upstream_start));
                }
                if (!co_await rs.write(out)) co_return;  // the client is gone; the server cancels the upstream
            }
            if (done) break;
            {
                const std::lock_guard lock(st.mu);
                if (!st.pending.empty() || st.done) continue;
            }
            st.wake.expires_at(clock::time_point::max());
            co_await st.wake.async_wait(net::as_tuple(net::use_awaitable));
        }
        if (st.failure) {
            std::string message, type;
            const int status = status_of(st.failure, message, type);
            if (!rs.started()) {  // nothing sent: a plain error answer
                upstream_errors_.with({"before_first_byte"}).increment();
                co_await send_error(rs, st.api, route, status, message, type, "", start, clock::now() - upstream_start);
                co_return;
            }
            upstream_errors_.with({"mid_stream"}).increment();
            co_await rs.write(st.error_event(message, type));
            co_await rs.finish();
            count(route, 200, start);
            co_return;
        }
        std::string tail;
        {
            const std::lock_guard lock(st.mu);
            tail = st.tail(include_usage);
        }
        if (!rs.started()) co_await start_stream(rs, clock::now() - start);
        if (co_await rs.write(tail)) co_await rs.finish();
        tokens_.with({"in"}).increment(st.response.tokens.prompt_tokens);
        tokens_.with({"out"}).increment(st.response.tokens.completion_tokens);
        count(route, 200, start);
    }

    gateway_config cfg_;
    model::any_provider upstream_;
    observe::metric_registry registry_;
    observe::counter_family& requests_;
    observe::histogram_family& duration_;
    observe::histogram_family& overhead_;
    observe::histogram_family& first_token_;
    observe::counter_family& tokens_;
    observe::counter_family& upstream_errors_;
    observe::gauge_family& connections_;
    std::atomic<std::uint64_t> ids_{0};
    std::atomic<bool> draining_{false};
    transport::http_server server_;  // last: destroyed first, while what its handler uses still exists
};

}  // namespace agentkit_gateway
AGENTKIT_COROUTINES_END
