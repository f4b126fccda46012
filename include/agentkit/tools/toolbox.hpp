#pragma once
// The toolbox concept: a set of tools the executor can list (for the model) and invoke by name. Two models:
// tool_set<Tools...> (known at compile time, a Hana tuple, no virtual call) and registry (runtime).
#include <agentkit/core/tool_spec.hpp>

#include <concepts>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace agentkit::tools {

/// @brief The tools slot of an agent (`with_tools<B>`): the tools a model may call.
/// @details `cb.specs()` lists them for the model (`tool_spec`: name, description, JSON schema),
/// `cb.contains(name)` tells whether one exists, `b.invoke(name, arguments, stop)` runs one and returns its
/// result text. Models: `tool_set<Tools...>` (compile time), `registry` (run time), `cached_toolbox<B, Cache>`.
/// Default: none (the model is offered no tools).
/// @tparam B the toolbox.
template <class B>
concept toolbox = requires(B& b, const B& cb, std::string_view name, std::string_view arguments, std::stop_token stop) {
    { cb.specs() } -> std::convertible_to<std::vector<tool_spec>>;
    { cb.contains(name) } -> std::convertible_to<bool>;
    // Throws agentkit::error(errc::not_found) for an unknown name.
    { b.invoke(name, arguments, stop) } -> std::convertible_to<std::string>;
};

}  // namespace agentkit::tools
