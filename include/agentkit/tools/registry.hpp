#pragma once
// registry: tools added at run time (plugins, tools read from a config), type-erased behind one
// std::function each. Use tool_set when the tools are known at compile time.
#include <agentkit/core/error.hpp>
#include <agentkit/tools/tool.hpp>
#include <agentkit/tools/toolbox.hpp>

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace agentkit::tools {

class registry {
public:
    template <tool T>
    registry& add(T t) {
        const std::string name(t.name());
        if (name.empty()) throw_invalid_field("tool.name", "is empty");
        if (index_.contains(name)) throw_invalid_field("tool.name", "'" + name + "' is registered twice");
        auto held = std::make_shared<T>(std::move(t));
        index_.emplace(name, entries_.size());
        entries_.push_back({spec_of(*held), [held](std::string_view args, std::stop_token stop) {
                                return invoke_tool(*held, args, std::move(stop));
                            }});
        return *this;
    }
    std::vector<tool_spec> specs() const {
        std::vector<tool_spec> out;
        out.reserve(entries_.size());
        for (const auto& e : entries_) out.push_back(e.spec);
        return out;
    }
    bool contains(std::string_view name) const { return index_.contains(std::string(name)); }
    std::size_t size() const noexcept { return entries_.size(); }
    std::string invoke(std::string_view name, std::string_view arguments, std::stop_token stop = {}) {
        auto it = index_.find(std::string(name));
        if (it == index_.end())
            throw error(errc::not_found, std::string("unknown tool '").append(name).append("'"),
                        "tool_calls.function.name");
        return entries_[it->second].call(arguments, std::move(stop));
    }

private:
    struct entry {
        tool_spec spec;
        std::function<std::string(std::string_view, std::stop_token)> call;
    };
    std::vector<entry> entries_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace agentkit::tools
