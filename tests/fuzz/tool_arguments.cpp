// Fuzzes a tool call's arguments as the model sends them: tools::arguments either reads them or throws
// agentkit::error naming "arguments" (or the JSON limit it hit), and every accessor either answers or throws
// agentkit::error naming the field; the executor's schema check never throws.
#include <agentkit/core/error.hpp>
#include <agentkit/tools/argument_check.hpp>
#include <agentkit/tools/arguments.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
constexpr std::string_view schema =
    R"({"type":"object","properties":{"a":{"type":"number"},"b":{"type":["string","null"]},"c":{"type":"integer"}},"required":["a"]})";

template <class F>
void expect_field(F&& f, std::string_view name) {
    try {
        f();
    } catch (const agentkit::error& e) {
        if (e.field() != name) std::abort();
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    (void)agentkit::tools::check_arguments("fuzz", in, schema);  // must not throw
    try {
        const agentkit::tools::arguments args(in);
        for (const std::string_view name : {"a", "b", "c", ""}) {
            expect_field([&] { (void)args.number(name); }, name);
            expect_field([&] { (void)args.integer(name); }, name);
            expect_field([&] { (void)args.boolean(name); }, name);
            expect_field([&] { (void)args.string(name); }, name);
            expect_field([&] { (void)args.json(name); }, name);
            (void)args.kind_of(name);
        }
    } catch (const agentkit::error& e) {
        const std::string& f = e.field();
        if (f != "arguments" && f != "json.max_depth" && f != "json.max_bytes") std::abort();
    }
    return 0;
}
