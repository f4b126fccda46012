#pragma once
// task_summarizer(model): a summariser (memory::callable_summarizer) whose summary is written by a model
// that runs delegated tasks (model::router: complete_task("compaction", ...) -> the fast tier by default).
// When every target of the route fails, the offline extractive summariser writes it, so compaction never
// fails a turn. The model is copied (a router is a handle), so the summariser outlives moves of the agent.
#include <agentkit/core/message.hpp>
#include <agentkit/memory/summarizer.hpp>
#include <agentkit/model/chat.hpp>
#include <agentkit/model/provider_error.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace agentkit {

// A model that can run a delegated task (model::router): compaction can be bound to it.
template <class M>
concept task_model = requires(const M& m, model::chat_request r) {
    { m.complete_task(std::string_view{}, r) } -> std::same_as<model::chat_response>;
};

template <task_model Model>
memory::callable_summarizer task_summarizer(const Model& m, std::string task = "compaction") {
    return [m, task = std::move(task)](std::span<const message> msgs, std::size_t max_tokens) {
        model::chat_request r;
        r.max_tokens = static_cast<std::uint32_t>(max_tokens);
        r.messages.push_back(
            message::system(std::string("Summarise the conversation below for your own later use, in at most ")
                                .append(std::to_string(max_tokens))
                                .append(" tokens. Keep facts, numbers, names, decisions and open questions; the latest "
                                        "value of a fact wins. "
                                        "One fact per line.")));
        std::string transcript;
        for (const auto& msg : msgs) {
            transcript.append(to_string(msg.role())).append(": ").append(msg.content());
            for (const auto& c : msg.tool_calls())
                transcript.append(" [calls ").append(c.name).append(" ").append(c.arguments).append("]");
            transcript.push_back('\n');
        }
        r.messages.push_back(message::user(std::move(transcript)));
        try {
            std::string text = m.complete_task(task, std::move(r)).reply.content();
            if (!text.empty()) return std::string(memory::summary_header) + "\n" + text;
        } catch (const model::provider_error&) {
            // every target of the route failed: summarise offline below
        }
        return memory::extractive_summarizer<>{}(msgs, max_tokens);
    };
}

}  // namespace agentkit
