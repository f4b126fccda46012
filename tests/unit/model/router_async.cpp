// The router's coroutine API routes exactly as its synchronous one (tiers, delegation, retries, fallbacks),
// with retry waits through an async sleeper (a manual one here: nothing really waits), a full bulkhead waited
// for without a thread, and cancellation during either wait ending the call with errc::cancelled.
#include <agentkit/model/router.hpp>
#include <agentkit/model/scripted_provider.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <agentkit_test/router_fixtures.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace model_router_async_test {

using namespace agentkit;
using namespace agentkit::model;
namespace asio = boost::asio;
using step = scripted_provider::step;
using ns = std::chrono::nanoseconds;

static_assert(router::retries_itself);
static_assert(async_streaming_provider<router>);

// Records the waits asked for and yields once instead of waiting.
struct manual_sleeper {
    std::shared_ptr<std::vector<ns>> slept = std::make_shared<std::vector<ns>>();
    asio::awaitable<bool> operator()(ns d) const {
        slept->push_back(d);
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
        co_return true;
    }
};

router::config flynn_like(const manual_sleeper& sleeper) {
    router::config c = agentkit_test::flynn_like_routes();
    c.async_sleep = sleeper;
    return c;
}

chat_request ask(std::string route = {}) { return agentkit_test::routed_request(std::move(route)); }

// The outcome of a coroutine spawned on `io`, once io has run it.
struct result {
    std::optional<chat_response> response;
    std::exception_ptr failure;
    bool done = false;
    errc code() const {
        try {
            std::rethrow_exception(failure);
        } catch (const error& e) {
            return static_cast<errc>(e.code().value());
        } catch (...) {}
        return errc::invalid_argument;  // not an agentkit::error: no test expects that
    }
};

std::shared_ptr<result> spawn(asio::io_context& io, asio::awaitable<chat_response> a,
                              asio::cancellation_signal* cancel = nullptr) {
    auto out = std::make_shared<result>();
    auto done = [out](std::exception_ptr e, chat_response r) {
        out->done = true;
        if (e)
            out->failure = e;
        else
            out->response = std::move(r);
    };
    if (cancel)
        asio::co_spawn(io, std::move(a), asio::bind_cancellation_slot(cancel->slot(), done));
    else
        asio::co_spawn(io, std::move(a), done);
    return out;
}

TEST(RouterAsync, RoutesTiersAndDelegatedTasksLikeTheSynchronousCalls) {
    const manual_sleeper sleeper;
    router rt(flynn_like(sleeper));
    scripted_provider cloud;
    cloud.otherwise([](const chat_request& r) { return step::reply("model=" + r.model); });
    rt.add_provider("cloud", std::move(cloud));
    asio::io_context io;
    const auto fast = ask("fast");
    const auto plain = ask();
    auto a = spawn(io, rt.async_complete(plain));
    auto b = spawn(io, rt.async_complete(fast));
    auto c = spawn(io, rt.async_complete_task("complex_reasoning", plain));
    io.run();
    ASSERT_TRUE(a->response && b->response && c->response);
    EXPECT_EQ(a->response->reply.content(), "model=sonnet");
    EXPECT_EQ(b->response->reply.content(), "model=haiku");
    EXPECT_EQ(c->response->reply.content(), "model=opus");
    EXPECT_EQ(rt.complete_task("compaction", plain).reply.content(), "model=haiku");  // the same routing, driven
}

TEST(RouterAsync, RetriesOnTheSleeperThenFallsBack) {
    const manual_sleeper sleeper;
    router rt(flynn_like(sleeper));
    agentkit_test::add_cloud_and_backup(rt);
    asio::io_context io;
    const auto r = ask();
    std::string streamed;
    const delta_callback on_delta = [&](const chat_delta& d) { streamed += d.content; };
    auto first = spawn(io, rt.async_stream(r, on_delta));
    io.run();
    ASSERT_TRUE(first->response);
    EXPECT_EQ(first->response->reply.content(), "backup answered as sonnet-4-5");
    EXPECT_EQ(streamed, "backup answered as sonnet-4-5");
    ASSERT_EQ(sleeper.slept->size(), 2u);                      // 3 attempts on cloud: two waits, on the sleeper
    EXPECT_GE(sleeper.slept->at(1), std::chrono::seconds(2));  // Retry-After honoured
    io.restart();
    auto second = spawn(io, rt.async_complete(r));
    io.run();
    ASSERT_TRUE(second->response);
    EXPECT_EQ(second->response->reply.content(), "second request on cloud");
    const auto s = rt.statistics();
    EXPECT_EQ(s.fallbacks, 1u);
    EXPECT_EQ(s.retries, 2u);
    EXPECT_EQ(s.per_model.at("cloud:sonnet").failures, 3u);
    EXPECT_EQ(s.per_model.at("cloud:sonnet").calls, 1u);
    EXPECT_DOUBLE_EQ(s.per_model.at("cloud:sonnet").cost_usd, (1 * 3.0 + 6 * 15.0) / 1e6);
}

TEST(RouterAsync, ABadRequestFailsAtOnceAndEverythingFailingIsOneClearError) {
    const manual_sleeper sleeper;
    router rt(flynn_like(sleeper));
    scripted_provider down;
    down.otherwise([](const chat_request&) { return step::fail(503, "down"); });
    rt.add_provider("cloud", std::move(down));
    asio::io_context io;
    const auto r = ask();
    auto all_down = spawn(io, rt.async_complete(r));
    io.run();
    ASSERT_TRUE(all_down->failure);
    try {
        std::rethrow_exception(all_down->failure);
    } catch (const provider_error& e) {
        EXPECT_NE(std::string(e.what()).find("cloud:sonnet: HTTP 503: down"), std::string::npos) << e.what();
        EXPECT_EQ(e.field(), "router");
        EXPECT_TRUE(e.retryable());
    }
    router bad(flynn_like(sleeper));
    bad.add_provider("cloud", scripted_provider{step::fail(400, "context too long")});
    bad.add_provider("backup", scripted_provider{});
    io.restart();
    auto refused = spawn(io, bad.async_complete(r));
    io.run();
    ASSERT_TRUE(refused->failure);
    EXPECT_EQ(refused->code(), errc::invalid_argument);
    EXPECT_EQ(bad.statistics().per_model.count("backup:sonnet-4-5"), 0u);  // no fallback for a bad request
}

// A retry waiting on a real timer (Retry-After 1 h) is cancelled: the call ends at once with errc::cancelled
// and no other target is tried.
TEST(RouterAsync, CancellationDuringTheRetryWait) {
    router::config c = flynn_like(manual_sleeper{});
    c.async_sleep = nullptr;  // the production sleeper: an Asio timer
    c.retry.max_delay = std::chrono::hours(2);
    router rt(c);
    rt.add_provider("cloud", scripted_provider{step::fail(429, "slow", std::chrono::hours(1))});
    rt.add_provider("backup", scripted_provider{});
    asio::io_context io;
    asio::cancellation_signal cancel;
    const auto r = ask();
    auto call = spawn(io, rt.async_complete(r), &cancel);
    while (rt.statistics().retries == 0 && io.poll_one() > 0) {}
    ASSERT_EQ(rt.statistics().retries, 1u);  // the first attempt failed; the call now waits on the timer
    EXPECT_FALSE(call->done);
    cancel.emit(asio::cancellation_type::terminal);
    io.run();
    ASSERT_TRUE(call->done);
    ASSERT_TRUE(call->failure);
    EXPECT_EQ(call->code(), errc::cancelled);
    EXPECT_EQ(rt.statistics().per_model.count("backup:sonnet-4-5"), 0u);
}

// A provider with its own coroutine API whose calls wait until the test opens the gate.
struct gated_provider {
    struct gate {
        bool open = false;
        int entered = 0;
        std::vector<asio::steady_timer*> waiting;
        void release() {
            open = true;
            for (auto* t : waiting) t->cancel();
        }
    };
    std::shared_ptr<gate> g = std::make_shared<gate>();
    chat_response complete(const chat_request&) { throw error(errc::invalid_argument, "use the coroutine API"); }
    asio::awaitable<chat_response> async_complete(const chat_request& r) {
        const auto keep = g;
        ++keep->entered;
        if (!keep->open) {
            asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::hours(1));
            keep->waiting.push_back(&t);
            boost::system::error_code ec;
            co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            std::erase(keep->waiting, &t);
        }
        chat_response res;
        res.reply = message::assistant("done on " + r.model);
        co_return res;
    }
};

// Two calls on one thread, one provider slot: the second waits for the first's slot (no thread blocks: the
// first is suspended in its provider meanwhile), then proceeds on the same target.
TEST(RouterAsync, ACallerWaitsForABulkheadSlotWithoutAThread) {
    auto cfg = flynn_like(manual_sleeper{});
    cfg.bulkhead.max_concurrent_calls = 1;  // max_wait_duration stays 30 s
    router rt(cfg);
    gated_provider cloud;
    auto gate = cloud.g;
    rt.add_provider("cloud", cloud);
    rt.add_provider("backup", scripted_provider{});
    asio::io_context io;
    const auto r = ask();
    auto a = spawn(io, rt.async_complete(r));
    auto b = spawn(io, rt.async_complete(r));
    io.poll();
    EXPECT_EQ(gate->entered, 1);
    EXPECT_EQ(rt.in_flight("cloud"), 1u);
    EXPECT_EQ(rt.waiting("cloud"), 1u);  // b waits for a's slot instead of failing over
    gate->release();
    io.run();
    ASSERT_TRUE(a->response && b->response);
    EXPECT_EQ(a->response->reply.content(), "done on sonnet");
    EXPECT_EQ(b->response->reply.content(), "done on sonnet");
    EXPECT_EQ(rt.statistics().bulkhead_rejections, 0u);
    EXPECT_EQ(rt.in_flight("cloud"), 0u);
    EXPECT_EQ(rt.waiting("cloud"), 0u);
}

// A waiter whose wait runs out goes to the next target; one cancelled while waiting ends with errc::cancelled.
TEST(RouterAsync, ABulkheadWaitTimesOutToTheNextTargetOrIsCancelled) {
    auto cfg = flynn_like(manual_sleeper{});
    cfg.bulkhead.max_concurrent_calls = 1;
    cfg.bulkhead.max_wait_duration = std::chrono::milliseconds(1);
    router rt(cfg);
    gated_provider cloud;
    auto gate = cloud.g;
    rt.add_provider("cloud", cloud);
    rt.add_provider("backup", scripted_provider{});
    asio::io_context io;
    const auto r = ask();
    auto a = spawn(io, rt.async_complete(r));
    io.poll();
    auto b = spawn(io, rt.async_complete(r));
    while (!b->done && io.run_one() > 0) {}
    ASSERT_TRUE(b->response);
    EXPECT_EQ(b->response->reply.content(), "echo: hi");  // backup:sonnet-4-5
    EXPECT_EQ(rt.statistics().bulkhead_rejections, 1u);
    EXPECT_EQ(rt.statistics().fallbacks, 1u);

    router patient_rt = [&] {
        auto c = cfg;
        c.bulkhead.max_wait_duration = std::chrono::hours(1);
        return router(c);
    }();
    gated_provider slow;
    auto slow_gate = slow.g;
    patient_rt.add_provider("cloud", slow);
    io.restart();
    asio::cancellation_signal cancel;
    auto first = spawn(io, patient_rt.async_complete(r));
    auto waiter = spawn(io, patient_rt.async_complete(r), &cancel);
    io.poll();
    ASSERT_EQ(patient_rt.waiting("cloud"), 1u);
    cancel.emit(asio::cancellation_type::terminal);
    io.poll();
    ASSERT_TRUE(waiter->done);
    EXPECT_EQ(waiter->code(), errc::cancelled);
    EXPECT_EQ(patient_rt.waiting("cloud"), 0u);
    slow_gate->release();
    gate->release();
    io.run();
    EXPECT_TRUE(first->response);
    EXPECT_TRUE(a->response);
    EXPECT_EQ(patient_rt.in_flight("cloud"), 0u);
}

}  // namespace model_router_async_test
