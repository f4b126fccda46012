// Streaming parse throughput: a realistic chat-completions SSE body (one JSON chunk per few characters, as
// OpenAI sends them) fed in 16 KiB network-sized pieces: the SSE parser alone, then the whole provider path
// (SSE -> JSON chunk -> delta -> accumulated reply) over the in-process transport.
#include <agentkit/model/openai_provider.hpp>
#include <agentkit/transport/in_process.hpp>
#include <agentkit/transport/sse_parser.hpp>

#include <benchmark/benchmark.h>

#include <string>

namespace {
std::string make_stream(std::size_t chunks) {
    std::string body;
    const std::string head =
        R"({"id":"chatcmpl-9x8y7z","object":"chat.completion.chunk","created":1732350000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","choices":[{"index":0,"delta":{"content":")";
    const char* words[] = {"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."};
    for (std::size_t i = 0; i < chunks; ++i)
        body += "data: " + head + words[i % 10] + R"("},"logprobs":null,"finish_reason":null}]})" + "\n\n";
    body += "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + std::to_string(chunks) +
        "}}\n\n";
    body += "data: [DONE]\n\n";
    return body;
}
const std::string& stream_body() {
    static const std::string s = make_stream(4000);
    return s;
}

void BM_SseParserOnly(benchmark::State& state) {
    const auto& body = stream_body();
    std::size_t events = 0;
    for (auto _ : state) {
        agentkit::transport::sse_parser p;
        for (std::size_t i = 0; i < body.size(); i += 16384)
            p.feed(std::string_view(body).substr(i, 16384), [&](const agentkit::transport::sse_event& e) {
                benchmark::DoNotOptimize(e.data.data());
                ++events;
            });
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_SseParserOnly);

void BM_OpenAiStreamDecode(benchmark::State& state) {
    const auto& body = stream_body();
    using fake = agentkit::transport::in_process<>;
    agentkit::model::openai_provider<fake>::config c;
    c.base_url = "http://local/v1";
    agentkit::model::openai_provider<fake> p(c,
                                             fake(
                                                 [&](const agentkit::transport::http_request&) {
                                                     return agentkit::transport::http_response{200, {}, body};
                                                 },
                                                 fake::config{16384}));
    agentkit::model::chat_request r;
    r.messages.push_back(agentkit::message::user("go"));
    std::size_t deltas = 0;
    for (auto _ : state) {
        auto res = p.stream(r, [&](const agentkit::model::chat_delta&) { ++deltas; });
        benchmark::DoNotOptimize(res);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(deltas));
}
BENCHMARK(BM_OpenAiStreamDecode);
}  // namespace
