#pragma once
// The tool concept: a name, a JSON schema for its arguments, and invoke(arguments JSON text) -> output text.
// A tool may also take a std::stop_token (invoke(args, token)): the executor requests a stop when the tool's
// timeout passes or the executor shuts down, so a cooperative tool can end early. description() is optional.
//
// make_tool(name, description, schema, f) turns a callable into a tool without type erasure, so a tool_set of
// them dispatches with no virtual call.
#include <agentkit/core/tool_spec.hpp>

#include <concepts>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace agentkit::tools {

template <class T>
concept tool = requires(const T& ct, T& t, std::string_view arguments) {
    { ct.name() } -> std::convertible_to<std::string_view>;
    { ct.schema() } -> std::convertible_to<std::string_view>;
}
&&(
    requires(T& t, std::string_view arguments) {
        { t.invoke(arguments) } -> std::convertible_to<std::string>;
    } ||
    requires(T & t, std::string_view arguments, std::stop_token stop) {
        { t.invoke(arguments, stop) } -> std::convertible_to<std::string>;
    });

template <class T>
concept stoppable_tool = tool<T> && requires(T& t, std::string_view arguments, std::stop_token stop) {
    { t.invoke(arguments, stop) } -> std::convertible_to<std::string>;
};

template <tool T>
std::string invoke_tool(T& t, std::string_view arguments, std::stop_token stop) {
    if constexpr (stoppable_tool<T>)
        return t.invoke(arguments, std::move(stop));
    else
        return t.invoke(arguments);
}

template <tool T>
std::string_view description_of(const T& t) {
    if constexpr (requires {
                      { t.description() } -> std::convertible_to<std::string_view>;
                  })
        return t.description();
    else
        return {};
}

template <tool T>
tool_spec spec_of(const T& t) {
    return {std::string(t.name()), std::string(description_of(t)), std::string(t.schema())};
}

// A tool made from a callable taking (std::string_view arguments) or (std::string_view, std::stop_token).
template <class F>
class function_tool {
public:
    function_tool(std::string name, std::string description, std::string schema, F f)
        : name_(std::move(name)), description_(std::move(description)), schema_(std::move(schema)), f_(std::move(f)) {}

    std::string_view name() const noexcept { return name_; }
    std::string_view description() const noexcept { return description_; }
    std::string_view schema() const noexcept { return schema_; }

    std::string invoke(std::string_view arguments, std::stop_token stop) {
        if constexpr (std::is_invocable_v<F&, std::string_view, std::stop_token>)
            return f_(arguments, std::move(stop));
        else
            return f_(arguments);
    }

private:
    std::string name_, description_, schema_;
    F f_;
};

template <class F>
function_tool<std::decay_t<F>> make_tool(std::string name, std::string description, std::string schema, F&& f) {
    static_assert(std::is_invocable_r_v<std::string, std::decay_t<F>&, std::string_view> ||
                      std::is_invocable_r_v<std::string, std::decay_t<F>&, std::string_view, std::stop_token>,
                  "agentkit::tools::make_tool: f must be callable as f(std::string_view arguments) -> std::string "
                  "or f(std::string_view arguments, std::stop_token) -> std::string");
    return {std::move(name), std::move(description), std::move(schema), std::forward<F>(f)};
}

}  // namespace agentkit::tools
