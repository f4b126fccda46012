// Body sinks: a sink returns void (takes everything) or sink_result (stop ends the body there); the
// in-process transport honours both, as the HTTP transport does on a socket.
#include <agentkit/transport/in_process.hpp>

#include <gtest/gtest.h>

#include <string>

using namespace agentkit::transport;

namespace {
http_response answer(const http_request&) {
    http_response r;
    r.status = 200;
    r.body = "data: a\n\ndata: [DONE]\n\ndata: after\n\n";
    return r;
}
}  // namespace

TEST(BodySink, VoidSinksTakeEverything) {
    in_process<> t(answer, {4});
    std::string got;
    t.stream(http_request{}, [&](std::string_view s) { got += s; });
    EXPECT_EQ(got, answer({}).body);
    const body_sink erased = [&](std::string_view s) { got += s; };
    got.clear();
    t.stream(http_request{}, erased);
    EXPECT_EQ(got, answer({}).body);
}

TEST(BodySink, StopEndsTheBody) {
    in_process<> t(answer, {4});
    std::string got;
    t.stream(http_request{}, [&](std::string_view s) {
        got += s;
        return got.find("[DONE]") != std::string::npos ? sink_result::stop : sink_result::more;
    });
    EXPECT_NE(got.find("[DONE]"), std::string::npos);
    EXPECT_EQ(got.find("after"), std::string::npos);
}
