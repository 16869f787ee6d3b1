#include "http_date.h"

#include <time.h>

namespace cpp_beast {
namespace {

void PutTwoDigits(int value, char* out) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

}  // namespace

void FormatHttpDate(std::time_t t, char* out) {
  static constexpr char kDays[] = "SunMonTueWedThuFriSat";
  static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  struct tm tm;
  gmtime_r(&t, &tm);
  const char* day = kDays + 3 * tm.tm_wday;
  const char* month = kMonths + 3 * tm.tm_mon;
  const int year = tm.tm_year + 1900;
  out[0] = day[0];
  out[1] = day[1];
  out[2] = day[2];
  out[3] = ',';
  out[4] = ' ';
  PutTwoDigits(tm.tm_mday, out + 5);
  out[7] = ' ';
  out[8] = month[0];
  out[9] = month[1];
  out[10] = month[2];
  out[11] = ' ';
  PutTwoDigits(year / 100, out + 12);
  PutTwoDigits(year % 100, out + 14);
  out[16] = ' ';
  PutTwoDigits(tm.tm_hour, out + 17);
  out[19] = ':';
  PutTwoDigits(tm.tm_min, out + 20);
  out[22] = ':';
  PutTwoDigits(tm.tm_sec, out + 23);
  out[25] = ' ';
  out[26] = 'G';
  out[27] = 'M';
  out[28] = 'T';
}

std::string_view CachedHttpDate() {
  // Per thread, so the hot path takes no lock; time() is a vDSO call.
  thread_local std::time_t cached_second = -1;
  thread_local char cached[kHttpDateLength];
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    FormatHttpDate(now, cached);
    cached_second = now;
  }
  return std::string_view(cached, kHttpDateLength);
}

}  // namespace cpp_beast
