#pragma once
// any_provider: one provider type for providers chosen at run time (scripted or HTTP, by configuration;
// the router's table of named providers). The cost is one indirect call per model call - nothing next to a
// model's latency. Where the provider is known at compile time, use its type directly.
//
// It offers both APIs whatever it holds. The coroutine calls (async_complete / async_stream / async_embed)
// await a provider that has its own (async_provider: openai_provider or anthropic_provider over an
// asynchronous transport, a router); a provider with only synchronous calls is called inline from the
// coroutine, which then BLOCKS its thread for the whole call - run such a coroutine where blocking is
// acceptable, or check has_async() and offload. The synchronous calls use the provider's synchronous API.
#include <agentkit/core/coroutine_frames.hpp>
#include <agentkit/core/error.hpp>
#include <agentkit/model/provider.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

AGENTKIT_COROUTINES_BEGIN
namespace agentkit::model {

class any_provider {
public:
    any_provider() = default;
    template <provider P>
    requires(!std::same_as<std::remove_cvref_t<P>, any_provider>) any_provider(P p)
        : p_(std::make_shared<holder<P>>(std::move(p))) {}  // NOLINT: implicit by design

    explicit operator bool() const noexcept { return static_cast<bool>(p_); }
    // True when the held provider has its own coroutine API (its async calls do not block a thread).
    bool has_async() const noexcept { return p_ && p_->has_async(); }

    chat_response complete(const chat_request& r) { return get().complete(r); }
    // A provider that cannot stream answers whole and its reply arrives as one delta.
    chat_response stream(const chat_request& r, const delta_callback& on_delta) { return get().stream(r, on_delta); }
    std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) { return get().embed(inputs); }

    boost::asio::awaitable<chat_response> async_complete(const chat_request& r) {
        const auto keep = share();  // the provider outlives the call even if this any_provider is reassigned
        co_return co_await keep->async_complete(r);
    }
    boost::asio::awaitable<chat_response> async_stream(const chat_request& r, const delta_callback& on_delta) {
        const auto keep = share();
        co_return co_await keep->async_stream(r, on_delta);
    }
    boost::asio::awaitable<std::vector<std::vector<float>>> async_embed(const std::vector<std::string>& inputs) {
        const auto keep = share();
        co_return co_await keep->async_embed(inputs);
    }

private:
    struct base {
        virtual ~base() = default;
        virtual bool has_async() const noexcept = 0;
        virtual chat_response complete(const chat_request&) = 0;
        virtual chat_response stream(const chat_request&, const delta_callback&) = 0;
        virtual std::vector<std::vector<float>> embed(const std::vector<std::string>&) = 0;
        virtual boost::asio::awaitable<chat_response> async_complete(const chat_request&) = 0;
        virtual boost::asio::awaitable<chat_response> async_stream(const chat_request&, const delta_callback&) = 0;
        virtual boost::asio::awaitable<std::vector<std::vector<float>>> async_embed(
            const std::vector<std::string>&) = 0;
    };
    // A whole answer delivered as one delta (for a provider that cannot stream).
    static void as_one_delta(const chat_response& res, const delta_callback& on_delta) {
        if (!on_delta) return;
        chat_delta d{res.reply.content(), {}};
        for (std::size_t i = 0; i < res.reply.tool_calls().size(); ++i) {
            const auto& c = res.reply.tool_calls()[i];
            d.tool_calls.push_back({i, c.id, c.name, c.arguments});
        }
        on_delta(d);
    }
    static boost::asio::awaitable<chat_response> complete_inline(base& b, const chat_request& r) {
        co_return b.complete(r);
    }
    static boost::asio::awaitable<chat_response> stream_inline(base& b, const chat_request& r,
                                                               const delta_callback& on_delta) {
        co_return b.stream(r, on_delta);
    }
    static boost::asio::awaitable<std::vector<std::vector<float>>> embed_inline(
        base& b, const std::vector<std::string>& inputs) {
        co_return b.embed(inputs);
    }
    static boost::asio::awaitable<chat_response> complete_as_one_delta(boost::asio::awaitable<chat_response> call,
                                                                       const delta_callback& on_delta) {
        chat_response res = co_await std::move(call);
        as_one_delta(res, on_delta);
        co_return res;
    }
    template <class P>
    struct holder final : base {
        explicit holder(P p) : provider(std::move(p)) {}
        bool has_async() const noexcept override { return async_provider<P>; }
        chat_response complete(const chat_request& r) override { return provider.complete(r); }
        chat_response stream(const chat_request& r, const delta_callback& on_delta) override {
            if constexpr (streaming_provider<P>) {
                return provider.stream(r, on_delta);
            } else {
                auto res = provider.complete(r);
                as_one_delta(res, on_delta);
                return res;
            }
        }
        std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) override {
            if constexpr (embedding_provider<P>)
                return provider.embed(inputs);
            else
                throw error(errc::not_found, "this provider has no embeddings endpoint", "provider.embed");
        }
        // An asynchronous provider's awaitable is returned as it is (the caller keeps this holder alive); a
        // synchronous one is called through one non-template coroutine, so no coroutine is instantiated per P.
        boost::asio::awaitable<chat_response> async_complete(const chat_request& r) override {
            if constexpr (async_provider<P>)
                return provider.async_complete(r);
            else
                return complete_inline(*this, r);  // blocks this coroutine's thread (see the header comment)
        }
        boost::asio::awaitable<chat_response> async_stream(const chat_request& r,
                                                           const delta_callback& on_delta) override {
            if constexpr (async_streaming_provider<P>)
                return provider.async_stream(r, on_delta);
            else if constexpr (async_provider<P>)
                return complete_as_one_delta(provider.async_complete(r), on_delta);
            else
                return stream_inline(*this, r, on_delta);  // blocks this coroutine's thread
        }
        boost::asio::awaitable<std::vector<std::vector<float>>> async_embed(
            const std::vector<std::string>& inputs) override {
            if constexpr (async_embedding_provider<P>)
                return provider.async_embed(inputs);
            else
                return embed_inline(*this, inputs);  // blocks this coroutine's thread, or throws not_found
        }
        P provider;
    };
    base& get() {
        if (!p_) throw error(errc::invalid_argument, "no provider was set", "provider");
        return *p_;
    }
    std::shared_ptr<base> share() const {
        if (!p_) throw error(errc::invalid_argument, "no provider was set", "provider");
        return p_;
    }
    std::shared_ptr<base> p_;  // shared: copies of an any_provider share one provider (and its connection pool)
};

static_assert(streaming_provider<any_provider> && embedding_provider<any_provider>);
static_assert(async_streaming_provider<any_provider> && async_embedding_provider<any_provider>);

}  // namespace agentkit::model
AGENTKIT_COROUTINES_END
