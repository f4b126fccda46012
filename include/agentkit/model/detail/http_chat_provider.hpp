#pragma once
// What every chat provider over HTTP shares, whatever its wire format (openai_provider, anthropic_provider):
// the configuration read from the environment, the base URL's check, the transport and its metrics, and
// the four calls - complete / stream and their coroutine forms - which build the request, send it through
// the transport's failure mapping (http_provider_failures.hpp) and read the answer, whole or streamed.
//
// A provider derives from http_chat_provider<Provider, Config, Transport> and supplies (the base is its friend):
//   transport::http_request chat_call(const chat_request&, bool stream) const;
//   static chat_response decode_chat(const transport::http_response&);     (a whole answer)
//   static provider_error status_error(const transport::http_response&);   (an answer that is not 2xx)
//   class stream_events;   how its stream reads: see sse_answer_reader below
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/http_provider_failures.hpp>
#include <agentkit/model/provider.hpp>
#include <agentkit/model/provider_error.hpp>
#include <agentkit/observe/metric_registry_fwd.hpp>
#include <agentkit/transport/http_message.hpp>
#include <agentkit/transport/async_transport.hpp>
#include <agentkit/transport/sse_parser.hpp>
#include <agentkit/transport/transport.hpp>

#include <boost/asio/awaitable.hpp>

#include <concepts>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::model::detail {

// A transport that carries HTTP messages, whole or streamed.
template <class Transport>
concept http_chat_transport =
    transport::streaming_transport<Transport> && std::same_as<typename Transport::request, transport::http_request> &&
    std::same_as<typename Transport::response, transport::http_response>;

// A provider's config from AGENTKIT_BASE_URL (required), AGENTKIT_API_KEY and AGENTKIT_MODEL, the other
// fields at their defaults; nullopt when the URL is unset.
template <class Config>
std::optional<Config> config_from_env() {
    auto env = [](const char* name) {
        const char* v = std::getenv(name);
        return std::string(v ? v : "");
    };
    if (env("AGENTKIT_BASE_URL").empty()) return std::nullopt;
    Config c;
    c.base_url = env("AGENTKIT_BASE_URL");
    c.api_key = env("AGENTKIT_API_KEY");
    if (!env("AGENTKIT_MODEL").empty()) c.model = env("AGENTKIT_MODEL");
    return c;
}

// Reads a whole answer's body with `decode`: a status that is not 2xx becomes the provider's status_error,
// and a body that cannot be read an unusable_answer prefixed with `what` (an error the API reports stays as
// it is).
template <class Decode>
auto decode_body(const transport::http_response& res, provider_error (*status_error)(const transport::http_response&),
                 std::string_view what, Decode&& decode) {
    if (!res.ok()) throw status_error(res);
    try {
        return std::forward<Decode>(decode)(res.body);
    } catch (const provider_error&) {
        throw;
    } catch (const error& e) {
        throw unusable_answer(e, what, res.status);
    }
}

// One streamed answer being read, shared by stream() and async_stream(): SSE bytes in (feed, the transport's
// body sink), the whole chat_response out (finish). `Events` is the API's stream: constructed from the
// provider's config, it turns each SSE event into an optional delta (throwing provider_error for an error
// event and for one it cannot read), says when the answer has ended (done(); `Events::end` names the event
// that ends it) and builds the chat_response from the accumulated deltas (finish(delta_accumulator&)).
template <class Events>
class sse_answer_reader {
public:
    template <class Config>
    sse_answer_reader(const Config& cfg, const delta_callback& on_delta)
        : sse_(cfg.sse), acc_(cfg.stream_limits), events_(cfg), on_delta_(on_delta) {}

    transport::sink_result feed(std::string_view bytes) {
        try {
            sse_.feed(bytes, [this](const transport::sse_event& e) { on_event(e); });
        } catch (const provider_error&) {
            throw;
        } catch (const error& e) {
            throw unusable_answer(e, "", 200);
        }
        // The end event is the answer's end: a server that keeps the body open after it must not turn a
        // finished answer into a timeout.
        return events_.done() ? transport::sink_result::stop : transport::sink_result::more;
    }

    // Given the status of a response that was 2xx.
    chat_response finish(int status) {
        if (!events_.done())
            throw provider_error(errc::unavailable,
                                 std::string("the stream ended before ")
                                     .append(Events::end)
                                     .append(sse_.mid_event() ? " (inside an event)" : ""),
                                 status, true);
        return events_.finish(acc_);
    }

private:
    void on_event(const transport::sse_event& e) {
        if (events_.done()) return;
        if (auto delta = events_.decode(e)) {
            acc_.add(*delta);
            if (on_delta_) on_delta_(*delta);
        }
    }

    transport::sse_parser sse_;
    delta_accumulator acc_;
    Events events_;
    const delta_callback& on_delta_;
};

template <class Provider, class Config, http_chat_transport Transport>
class http_chat_provider {
public:
    const Config& configuration() const noexcept { return cfg_; }
    Transport& transport() noexcept { return transport_; }
    // The transport's metrics (transport::http: requests, connections, timeouts), so that an agent given
    // use_metrics(registry) reaches the client its model talks through.
    template <observe::registry Registry>
    requires requires(Transport& t, Registry& r) { t.attach_metrics(r); }
    void attach_metrics(Registry& registry) { transport_.attach_metrics(registry); }

    // The synchronous API: for every transport.
    chat_response complete(const chat_request& r) {
        const auto request = self().chat_call(r, false);  // a conversation the API cannot take fails here, not retried
        return Provider::decode_chat(guard_transport([&] { return transport_.send(request); }));
    }

    chat_response stream(const chat_request& r, const delta_callback& on_delta) {
        const auto request = self().chat_call(r, true);
        stream_reader<> reader(cfg_, on_delta);
        auto sink = [&reader](std::string_view bytes) { return reader.feed(bytes); };
        return finish(reader, guard_transport([&] { return transport_.stream(request, sink); }));
    }

    // The coroutine API (async_provider, async_streaming_provider): over an asynchronous transport, the same
    // requests, parsing and error mapping as the synchronous calls, with no thread held while waiting.
    boost::asio::awaitable<chat_response> async_complete(
        const chat_request& r) requires transport::async_streaming_transport<Transport>;
    boost::asio::awaitable<chat_response> async_stream(
        const chat_request& r, const delta_callback& on_delta) requires transport::async_streaming_transport<Transport>;

protected:
    // The base URL without trailing slashes (an API's paths are appended to it); an empty one is refused.
    http_chat_provider(Config cfg, Transport t) : cfg_(std::move(cfg)), transport_(std::move(t)) {
        while (!cfg_.base_url.empty() && cfg_.base_url.back() == '/') cfg_.base_url.pop_back();
        if (cfg_.base_url.empty()) throw_invalid_field("base_url", "is empty");
    }

    Config cfg_;
    Transport transport_;

private:
    // (Named where it is used: the provider is not yet complete where this base is.)
    template <class P = Provider>
    using stream_reader = sse_answer_reader<typename P::stream_events>;

    const Provider& self() const noexcept { return static_cast<const Provider&>(*this); }
    template <class Reader>
    static chat_response finish(Reader& reader, const transport::http_response& res) {
        if (!res.ok()) throw Provider::status_error(res);
        return reader.finish(res.status);
    }
};

// The coroutine members, defined outside the class so that an extern template of the provider's base keeps
// them out of a user's translation unit in the separate mode (members defined in the class are inline, and
// g++ compiles inline coroutines of an extern template at -O2 all the same).
template <class Provider, class Config, http_chat_transport Transport>
boost::asio::awaitable<chat_response> http_chat_provider<Provider, Config, Transport>::async_complete(
    const chat_request& r) requires transport::async_streaming_transport<Transport> {
    const auto request = self().chat_call(r, false);
    const auto res = co_await guard_transport_async(transport_.async_send(request));
    co_return Provider::decode_chat(res);
}

template <class Provider, class Config, http_chat_transport Transport>
boost::asio::awaitable<chat_response> http_chat_provider<Provider, Config, Transport>::async_stream(
    const chat_request& r, const delta_callback& on_delta) requires transport::async_streaming_transport<Transport> {
    const auto request = self().chat_call(r, true);
    stream_reader<> reader(cfg_, on_delta);
    auto sink = [&reader](std::string_view bytes) { return reader.feed(bytes); };
    const auto res = co_await guard_transport_async(transport_.async_stream(request, sink));
    co_return finish(reader, res);
}

}  // namespace agentkit::model::detail
AGENTKIT_COROUTINES_END
