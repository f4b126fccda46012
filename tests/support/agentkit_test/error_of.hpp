#pragma once
// The agentkit::error a call throws: error_of(f) returns it (error_of<model::provider_error>(f) one of that
// type), so that a test can check its code, field and message; expect_error(f, code, field) checks its code
// and field. Either fails the test when f throws none.
#include <agentkit/core/error.hpp>

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace agentkit_test {

template <class Error = agentkit::error, class F>
Error error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "no "
                  << (std::is_same_v<Error, agentkit::error> ? "agentkit::error" : "error of the type expected")
                  << " thrown";
    return Error(agentkit::errc::invalid_argument, "none");
}

template <class F>
void expect_error(F&& f, agentkit::errc code, const std::string& field) {
    try {
        f();
        ADD_FAILURE() << "no error thrown, expected field " << field;
    } catch (const agentkit::error& e) {
        EXPECT_EQ(e.code(), agentkit::make_error_code(code)) << e.what();
        EXPECT_EQ(e.field(), field) << e.what();
    }
}

}  // namespace agentkit_test
