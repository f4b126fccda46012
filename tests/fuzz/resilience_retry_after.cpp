// Fuzzes the Retry-After / HTTP-date / retry-after-ms parsers: no crash, no UB, no negative wait, and every
// date that parses survives a round trip through IMF-fixdate.
#include <agentkit/resilience/retry_after.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
std::string imf_fixdate(std::chrono::sys_seconds t) {
    using namespace std::chrono;
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto d = floor<std::chrono::days>(t);
    const year_month_day ymd(d);
    const hh_mm_ss hms(t - d);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02ld GMT", days[weekday(d).c_encoding()],
                  static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                  static_cast<int>(ymd.year()), static_cast<long>(hms.hours().count()),
                  static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
    return buf;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    if (const auto wait = agentkit::resilience::parse_retry_after(text, now); wait && wait->count() < 0) std::abort();
    if (const auto ms = agentkit::resilience::parse_retry_after_ms(text); ms && ms->count() < 0) std::abort();
    if (const auto date = agentkit::resilience::parse_http_date(text)) {
        if (date->time_since_epoch().count() >= 0 && date->time_since_epoch() < std::chrono::hours(24 * 366 * 8000)) {
            const auto again = agentkit::resilience::parse_http_date(imf_fixdate(*date));
            if (!again || *again != *date) std::abort();
        }
    }
    return 0;
}
