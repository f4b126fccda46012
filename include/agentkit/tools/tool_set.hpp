#pragma once
// tool_set<Tools...>: tools known at compile time, held by value in a Boost.Hana tuple. invoke() finds the
// tool by name and calls it directly - no virtual call, no std::function - and the compiler sees through
// every call.
#include <agentkit/core/error.hpp>
#include <agentkit/tools/tool.hpp>
#include <agentkit/tools/toolbox.hpp>

#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>

#include <string>
#include <utility>
#include <vector>

namespace agentkit::tools {

template <class... Tools>
class tool_set {
    static_assert((tool<Tools> && ...),
                  "agentkit::tools::tool_set<Tools...>: every element must model agentkit::tools::tool "
                  "(name(), schema(), invoke(std::string_view) -> std::string)");

public:
    explicit tool_set(Tools... tools) : tools_(std::move(tools)...) {}

    std::vector<tool_spec> specs() const {
        std::vector<tool_spec> out;
        out.reserve(sizeof...(Tools));
        boost::hana::for_each(tools_, [&](const auto& t) { out.push_back(spec_of(t)); });
        return out;
    }
    bool contains(std::string_view name) const {
        bool found = false;
        boost::hana::for_each(tools_, [&](const auto& t) { found = found || t.name() == name; });
        return found;
    }
    std::string invoke(std::string_view name, std::string_view arguments, std::stop_token stop = {}) {
        std::string out;
        bool found = false;
        boost::hana::for_each(tools_, [&](auto& t) {
            if (!found && t.name() == name) {
                found = true;
                out = invoke_tool(t, arguments, stop);
            }
        });
        if (!found)
            throw error(errc::not_found, std::string("unknown tool '").append(name).append("'"),
                        "tool_calls.function.name");
        return out;
    }
    static constexpr std::size_t size() noexcept { return sizeof...(Tools); }

private:
    boost::hana::tuple<Tools...> tools_;
};

template <class... Tools>
tool_set(Tools...) -> tool_set<Tools...>;

}  // namespace agentkit::tools
