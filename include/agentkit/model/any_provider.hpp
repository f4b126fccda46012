#pragma once
// any_provider: one provider type for providers chosen at run time (scripted or HTTP, by configuration;
// the router's table of named providers). The cost is one indirect call per model call - nothing next to a
// model's latency. Where the provider is known at compile time, use its type directly.
#include <agentkit/core/error.hpp>
#include <agentkit/model/provider.hpp>

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentkit::model {

class any_provider {
public:
    any_provider() = default;
    template <provider P>
        requires(!std::same_as<std::remove_cvref_t<P>, any_provider>)
    any_provider(P p) : p_(std::make_shared<holder<P>>(std::move(p))) {}  // NOLINT: implicit by design

    explicit operator bool() const noexcept { return static_cast<bool>(p_); }

    chat_response complete(const chat_request& r) { return get().complete(r); }
    // A provider that cannot stream answers whole and its reply arrives as one delta.
    chat_response stream(const chat_request& r, const delta_callback& on_delta) { return get().stream(r, on_delta); }
    std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) { return get().embed(inputs); }

private:
    struct base {
        virtual ~base() = default;
        virtual chat_response complete(const chat_request&) = 0;
        virtual chat_response stream(const chat_request&, const delta_callback&) = 0;
        virtual std::vector<std::vector<float>> embed(const std::vector<std::string>&) = 0;
    };
    template <class P>
    struct holder final : base {
        explicit holder(P p) : provider(std::move(p)) {}
        chat_response complete(const chat_request& r) override { return provider.complete(r); }
        chat_response stream(const chat_request& r, const delta_callback& on_delta) override {
            if constexpr (streaming_provider<P>) {
                return provider.stream(r, on_delta);
            } else {
                auto res = provider.complete(r);
                if (on_delta) {
                    chat_delta d{res.reply.content(), {}};
                    for (std::size_t i = 0; i < res.reply.tool_calls().size(); ++i) {
                        const auto& c = res.reply.tool_calls()[i];
                        d.tool_calls.push_back({i, c.id, c.name, c.arguments});
                    }
                    on_delta(d);
                }
                return res;
            }
        }
        std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs) override {
            if constexpr (embedding_provider<P>)
                return provider.embed(inputs);
            else
                throw error(errc::not_found, "this provider has no embeddings endpoint", "provider.embed");
        }
        P provider;
    };
    base& get() {
        if (!p_) throw error(errc::invalid_argument, "no provider was set", "provider");
        return *p_;
    }
    std::shared_ptr<base> p_;  // shared: copies of an any_provider share one provider (and its connection pool)
};

static_assert(streaming_provider<any_provider> && embedding_provider<any_provider>);

}  // namespace agentkit::model
